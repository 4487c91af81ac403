"""``/staff/tickets/[sale_ref]``: a box-office sale's receipt, print-ready at till-roll width
(80 mm), with its QR code; reprint it, or refund the sale."""

import reflex as rx

from moviebook.components.confirm import confirm_dialog
from moviebook.components.feedback import empty_state, page_spinner
from moviebook.components.layout import page_layout
from moviebook.components.staff_nav import staff_nav
from moviebook.state.counter import ReceiptLineView, ReceiptState

S = ReceiptState
R = S.receipt

# On paper only the receipt is printed, on an 80 mm roll (72 mm of it printable).
PRINT_CSS = """
@media print {
  @page { size: 80mm auto; margin: 4mm; }
  body * { visibility: hidden; }
  .mb-receipt, .mb-receipt * { visibility: visible; }
  .mb-receipt * { color: #000 !important; }  /* the theme's grey text is pale on paper */
  .mb-receipt { position: absolute; left: 0; top: 0; width: 72mm !important; max-width: 72mm !important;
                border: none !important; box-shadow: none !important; padding: 0 !important;
                color: #000 !important; background: #fff !important; }
}
"""


def _row(label, value, *, strong: bool = False) -> rx.Component:
    weight = "bold" if strong else "regular"
    return rx.cond(
        value != "",
        rx.hstack(
            rx.text(label, size="2", weight=weight),
            rx.spacer(),
            rx.text(value, size="2", weight=weight, aria_label=label),
            width="100%",
        ),
    )


def _line(line: ReceiptLineView) -> rx.Component:
    return rx.hstack(
        rx.text(line.seat, size="2", weight="bold", min_width="3em"),
        rx.text(line.ticket_type, size="2"),
        rx.spacer(),
        rx.cond(line.discount != "", rx.text(line.unit, size="1", color_scheme="gray", text_decoration="line-through")),
        rx.text(line.price, size="2"),
        width="100%",
        role="listitem",
        aria_label="Seat " + line.seat,
    )


def _receipt() -> rx.Component:
    return rx.box(
        rx.vstack(
            rx.vstack(
                rx.text(R.cinema, size="4", weight="bold"),
                rx.text("Box office receipt", size="1", color_scheme="gray"),
                align="center",
                spacing="0",
                width="100%",
            ),
            rx.cond(
                R.refunded,
                rx.callout(R.status_line, icon="undo-2", color_scheme="amber", size="1", width="100%"),
            ),
            rx.vstack(
                rx.text(R.movie + " (" + R.age_rating + ")", size="3", weight="bold"),
                rx.text(R.when, size="2"),
                rx.text(R.room, size="2"),
                spacing="0",
                width="100%",
            ),
            rx.center(
                rx.image(src=S.qr, alt="QR code of booking " + R.code, width="38mm", height="38mm"), width="100%"
            ),
            rx.center(
                rx.text(R.code, size="5", weight="bold", font_family="monospace", aria_label="Booking code"),
                width="100%",
            ),
            rx.divider(),
            rx.vstack(rx.foreach(R.lines, _line), spacing="1", width="100%", role="list", aria_label="Tickets"),
            rx.divider(),
            _row("Discount " + R.promo, R.discount),
            _row("Total", R.total, strong=True),
            _row("Paid by", R.payment),
            _row("Cash handed over", R.tendered),
            _row("Change", R.change, strong=True),
            _row("Customer", R.customer_email),
            rx.text(R.sold, size="1", color_scheme="gray"),
            rx.text("Show this code or QR at the door.", size="1", color_scheme="gray"),
            spacing="2",
            width="100%",
        ),
        class_name="mb-receipt",
        width="100%",
        max_width="80mm",
        padding="4mm",
        border=f"1px solid {rx.color('gray', 6)}",
        border_radius="var(--radius-2)",
        background=rx.color("gray", 1),
        role="article",
        aria_label="Receipt",
    )


def _actions() -> rx.Component:
    return rx.flex(
        rx.button(rx.icon("printer"), "Print", size="3", on_click=S.print_receipt),
        rx.button(rx.link("New sale", href="/staff/sell"), size="3", variant="soft", as_child=True),
        rx.cond(
            R.can_refund,
            confirm_dialog(
                rx.button(
                    rx.icon("undo-2"), "Refund", size="3", color_scheme="red", variant="soft", loading=S.refunding
                ),  # fmt: skip
                title="Refund this sale?",
                description="The customer gets "
                + R.total
                + " back in full, paid the way they paid ("
                + R.payment.lower()
                + "), and the seats go back on sale.",
                confirm_label="Refund " + R.total,
                on_confirm=S.refund,
            ),
            rx.cond(~R.refunded, rx.text(R.refund_note, size="2", color_scheme="gray")),
        ),
        spacing="3",
        wrap="wrap",
        align="center",
    )


def staff_ticket_page() -> rx.Component:
    return page_layout(
        rx.el.style(PRINT_CSS),
        staff_nav(),
        rx.cond(
            S.loading,
            page_spinner(),
            rx.cond(
                S.problem != "",
                empty_state(
                    "ticket-x",
                    "No receipt to show",
                    S.problem,
                    rx.button(rx.link("Back to the box office", href="/staff/sell"), as_child=True),
                ),
                rx.vstack(_actions(), _receipt(), spacing="4", width="100%"),
            ),
        ),
        title="Receipt",
    )
