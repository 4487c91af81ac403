"""``/admin/users``: accounts and roles."""

import reflex as rx

from moviebook.components.admin_nav import admin_nav
from moviebook.components.forms import pager, search_box
from moviebook.components.layout import page_layout
from moviebook.components.list_table import list_table
from moviebook.state.admin_users import AdminUsersState, UserRowView


def _role_select(row: UserRowView) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label="Role of " + row.name),
        rx.select.content(
            rx.select.item("Moviegoer", value="user"),
            rx.select.item("Staff", value="staff"),
            rx.select.item("Admin", value="admin"),
        ),
        value=row.role,
        on_change=lambda role: AdminUsersState.set_role(row.id, role),
        disabled=row.is_me,
        size="2",
    )


def _status(row: UserRowView) -> rx.Component:
    return rx.cond(
        row.active,
        rx.badge("Active", color_scheme="green", variant="soft"),
        rx.badge("Deactivated", color_scheme="red", variant="soft"),
    )


def _action(row: UserRowView) -> rx.Component:
    return rx.cond(
        row.is_me,
        rx.text("You", size="2", color_scheme="gray"),
        rx.cond(
            row.active,
            rx.button(
                "Deactivate",
                on_click=AdminUsersState.set_active(row.id, False),
                color_scheme="red",
                variant="soft",
                size="1",
                aria_label="Deactivate " + row.name,
            ),
            rx.button(
                "Reactivate",
                on_click=AdminUsersState.set_active(row.id, True),
                variant="soft",
                size="1",
                aria_label="Reactivate " + row.name,
            ),
        ),
    )


def _row(row: UserRowView) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.name),
        rx.table.cell(row.email),
        rx.table.cell(_role_select(row)),
        rx.table.cell(_status(row)),
        rx.table.cell(_action(row)),
        aria_label=row.email,
    )


def admin_users_page() -> rx.Component:
    return page_layout(
        admin_nav(),
        rx.flex(
            search_box(
                "Search accounts",
                "Search by name or email",
                AdminUsersState.query,
                AdminUsersState.search,
                width=["100%", "22em"],
            ),
            rx.text(AdminUsersState.total.to_string() + " accounts", size="2", color_scheme="gray"),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        list_table(("Name", "Email", "Role", "Status", ""), AdminUsersState.rows, _row, label="Users"),
        pager(AdminUsersState.page, AdminUsersState.pages, AdminUsersState.go_to_page),
        title="Users and roles",
    )
