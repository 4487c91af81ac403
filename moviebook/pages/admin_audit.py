"""``/admin/audit``: the audit log."""

import reflex as rx

from moviebook.components.admin_nav import admin_nav
from moviebook.components.forms import NATIVE_SELECT_STYLE, pager
from moviebook.components.layout import page_layout
from moviebook.components.list_table import list_table
from moviebook.state.admin_audit import AdminAuditState, AuditRowView

ACTION_PREFIXES = ("", "login.", "user.", "movie.", "auditorium.", "showtime.")


def _row(row: AuditRowView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row.when, size="1", white_space="nowrap")),
        rx.table.cell(row.actor),
        rx.table.cell(rx.code(row.action)),
        rx.table.cell(row.entity),
        rx.table.cell(rx.text(row.change, size="1", font_family="monospace")),
    )


def admin_audit_page() -> rx.Component:
    return page_layout(
        admin_nav(),
        rx.form(
            rx.flex(
                rx.el.select(
                    *[rx.el.option(p.rstrip(".") or "All actions", value=p) for p in ACTION_PREFIXES],
                    name="action",
                    aria_label="Action",
                    style=NATIVE_SELECT_STYLE,
                ),
                rx.el.select(
                    rx.el.option("All records", value="all"),
                    rx.foreach(AdminAuditState.entities, lambda e: rx.el.option(e, value=e)),
                    name="entity",
                    aria_label="Record type",
                    style=NATIVE_SELECT_STYLE,
                ),
                rx.input(name="who", placeholder="Who (name or email)", aria_label="Who", max_length=100),
                rx.button("Filter", type="submit"),
                spacing="3",
                wrap="wrap",
                align="center",
            ),
            on_submit=AdminAuditState.filter,
            reset_on_submit=False,
        ),
        rx.text(AdminAuditState.total.to_string() + " entries", size="2", color_scheme="gray"),
        list_table(
            ("When", "Who", "Action", "Record", "Change"), AdminAuditState.rows, _row, label="Audit log entries"
        ),
        pager(AdminAuditState.page, AdminAuditState.pages, AdminAuditState.go_to_page),
        title="Audit log",
    )
