"""``/admin/outbox`` and ``/admin/mailbox``."""

import reflex as rx

from moviebook.components.admin_nav import admin_nav
from moviebook.components.feedback import empty_state, page_spinner
from moviebook.components.forms import pager
from moviebook.components.layout import page_layout
from moviebook.components.list_table import list_table
from moviebook.state.admin_mail import AdminOutboxState, DevMailboxState, MailboxRowView, OutboxRowView

STATUS_COLOURS = {"pending": "amber", "sent": "grass", "dead": "red"}


def _status_badge(status) -> rx.Component:
    return rx.match(
        status,
        ("sent", rx.badge("sent", color_scheme="grass")),
        ("dead", rx.badge("dead", color_scheme="red")),
        rx.badge(status, color_scheme="amber"),
    )


def _outbox_row(row: OutboxRowView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row.when, size="1", white_space="nowrap")),
        rx.table.cell(row.kind),
        rx.table.cell(rx.text(row.recipient, size="2")),
        rx.table.cell(rx.text(row.subject, size="2")),
        rx.table.cell(_status_badge(row.status)),
        rx.table.cell(row.tries),
        rx.table.cell(rx.text(row.last_error, size="1", color_scheme="red")),
        rx.table.cell(
            rx.cond(
                row.can_retry,
                rx.button(
                    "Retry",
                    size="1",
                    variant="soft",
                    on_click=AdminOutboxState.retry(row.id),
                    aria_label="Retry message to " + row.recipient,
                ),
            )
        ),
    )


def _status_tabs() -> rx.Component:
    return rx.flex(
        *[
            rx.button(
                label,
                size="2",
                variant=rx.cond(AdminOutboxState.status == value, "solid", "soft"),
                aria_pressed=rx.cond(AdminOutboxState.status == value, "true", "false"),
                on_click=AdminOutboxState.show_status(value),
            )
            for label, value in (("All", ""), ("Waiting", "pending"), ("Sent", "sent"), ("Dead", "dead"))
        ],
        spacing="2",
        wrap="wrap",
        role="group",
        aria_label="Show messages",
    )


def admin_outbox_page() -> rx.Component:
    counts = AdminOutboxState.counts
    return page_layout(
        admin_nav(),
        rx.text(
            counts["pending"].to_string()
            + " waiting · "
            + counts["sent"].to_string()
            + " sent · "
            + counts["dead"].to_string()
            + " dead",
            size="2",
            color_scheme="gray",
        ),
        _status_tabs(),
        rx.cond(
            AdminOutboxState.loading,
            page_spinner(),
            rx.cond(
                AdminOutboxState.total == 0,
                empty_state(
                    "mail",
                    "No messages",
                    "Emails appear here as soon as something causes one: a booking, a reset request.",
                ),
                list_table(
                    ("When", "Kind", "To", "Subject", "Status", "Tries", "Last error", ""),
                    AdminOutboxState.rows,
                    _outbox_row,
                    label="Outbox messages",
                ),
            ),
        ),
        pager(AdminOutboxState.page, AdminOutboxState.pages, AdminOutboxState.go_to_page),
        title="Outbox",
    )


def _mailbox_row(row: MailboxRowView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row.when, size="1", white_space="nowrap")),
        rx.table.cell(rx.text(row.recipient, size="2")),
        rx.table.cell(
            rx.button(
                row.subject, variant="ghost", size="2", on_click=DevMailboxState.open_message(row.id), text_align="left"
            )
        ),
    )


def _open_message() -> rx.Component:
    message = DevMailboxState.open
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(message.subject, size="4", as_="h2"),
                rx.spacer(),
                rx.button(
                    "Close", size="1", variant="soft", color_scheme="gray", on_click=DevMailboxState.close_message
                ),
                width="100%",
            ),
            rx.text(
                "From " + message.sender + " to " + message.recipient + " · " + message.when,
                size="1",
                color_scheme="gray",
            ),
            rx.cond(
                message.links.length() > 0,
                rx.vstack(
                    rx.text("Links in this message", size="2", weight="bold"),
                    rx.foreach(message.links, lambda link: rx.link(link, href=link, size="2", word_break="break-all")),
                    spacing="1",
                    width="100%",
                ),
            ),
            rx.cond(
                message.attachments.length() > 0,
                rx.text("Attached: ", rx.foreach(message.attachments, lambda name: rx.code(name + " ")), size="2"),
            ),
            rx.el.pre(
                message.text,
                style={"white_space": "pre-wrap", "font_size": "13px", "width": "100%"},
                aria_label="Message text",
            ),
            rx.cond(
                message.html != "",
                rx.el.iframe(
                    src_doc=message.html,
                    sandbox="",
                    title="Message as HTML",
                    style={
                        "width": "100%",
                        "height": "480px",
                        "border": "1px solid var(--gray-6)",
                        "border_radius": "8px",
                        "background": "white",
                    },
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def dev_mailbox_page() -> rx.Component:
    return page_layout(
        admin_nav(),
        rx.cond(
            DevMailboxState.enabled,
            rx.vstack(
                rx.text(
                    "Every email the app sent, as the development mail server received it.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.form(
                    rx.hstack(
                        rx.input(name="to", placeholder="Recipient", aria_label="Recipient", max_length=254),
                        rx.button("Filter", type="submit"),
                    ),
                    on_submit=DevMailboxState.filter,
                    reset_on_submit=False,
                ),
                rx.cond(DevMailboxState.open.id != "", _open_message()),
                rx.text(DevMailboxState.listing, size="2", color_scheme="gray", role="status"),
                rx.cond(
                    DevMailboxState.loading,
                    page_spinner(),
                    rx.cond(
                        DevMailboxState.rows.length() == 0,
                        empty_state(
                            "inbox",
                            "No mail yet",
                            "Book a seat or ask for a password reset, and the message appears here.",
                        ),
                        list_table(
                            ("Received", "To", "Subject"), DevMailboxState.rows, _mailbox_row, label="Received mail"
                        ),
                    ),
                ),
                spacing="4",
                width="100%",
            ),
            empty_state(
                "mail-check",
                "Mail goes to a real server",
                "SMTP_URL sends mail through " + DevMailboxState.relay + ", so nothing is kept here.",
            ),
        ),
        title="Dev mailbox",
    )
