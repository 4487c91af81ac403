"""The order being bought: a ticket type per seat, quick counters, a promotion code and the
totals. Used by the online checkout and the box office; ``state`` is either page's state,
which has the vars of ``state.order_views.OrderView`` and the handlers named below."""

import reflex as rx

from moviebook.state.order_views import OrderLine, TicketCount


def _ticket_select(state, line: OrderLine) -> rx.Component:
    return rx.el.select(
        rx.foreach(
            state.ticket_counts,
            lambda kind: rx.el.option(kind.name, value=kind.key, disabled=kind.refusal != ""),
        ),
        value=line.ticket_key,
        on_change=lambda value: state.choose_ticket(line.seat_key, value),
        aria_label="Ticket for " + line.label,
        class_name="mb-ticket-select",
        style={
            "padding": "4px 8px",
            "border_radius": "var(--radius-2)",
            "border": "1px solid var(--gray-7)",
            "background": "var(--color-panel-solid)",
            "color": "var(--gray-12)",
            "font_size": "var(--font-size-2)",
            "min_height": "32px",
        },
    )


def _line(state, line: OrderLine) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(line.label, size="2", weight="medium"),
            rx.text(line.kind, size="1", color_scheme="gray"),
            rx.spacer(),
            rx.text(line.price, size="2", weight="medium", aria_label="Price of " + line.label),
            width="100%",
            align="center",
        ),
        rx.hstack(
            _ticket_select(state, line),
            rx.spacer(),
            rx.text(
                line.unit,
                rx.cond(line.discount != "", " − " + line.discount + " off", ""),
                rx.cond(line.fee != "", " + " + line.fee + " fee", ""),
                size="1",
                color_scheme="gray",
            ),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        spacing="1",
        width="100%",
        role="listitem",
    )


def _counter(state, kind: TicketCount) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(kind.name, size="2", weight="medium"),
            rx.cond(
                kind.refusal != "",
                rx.text("Not for this film", size="1", color_scheme="red"),
                rx.cond(kind.note != "", rx.text(kind.note, size="1", color_scheme="gray")),
            ),
            spacing="0",
        ),
        rx.spacer(),
        rx.icon_button(
            rx.icon("minus", size=14),
            size="2",
            variant="soft",
            aria_label="One fewer " + kind.name,
            disabled=(kind.count == 0) | (kind.refusal != ""),
            on_click=state.count_ticket(kind.key, -1),
        ),
        rx.text(
            kind.count,
            size="3",
            weight="bold",
            min_width="1.5em",
            text_align="center",
            aria_label=kind.name + " tickets",
        ),
        rx.icon_button(
            rx.icon("plus", size=14),
            size="2",
            variant="soft",
            aria_label="One more " + kind.name,
            disabled=kind.refusal != "",
            on_click=state.count_ticket(kind.key, 1),
        ),
        width="100%",
        align="center",
        spacing="2",
    )


def _promo(state) -> rx.Component:
    return rx.cond(
        state.promo_applied != "",
        rx.hstack(
            rx.badge(rx.icon("tag", size=14), state.promo_applied, color_scheme="grass", size="2"),
            rx.text("applied", size="2"),
            rx.spacer(),
            rx.button("Remove code", size="1", variant="ghost", color_scheme="gray", on_click=state.remove_promo),
            width="100%",
            align="center",
        ),
        rx.form(
            rx.vstack(
                rx.el.label(
                    "Promo code",
                    html_for="field-promo_code",
                    style={"font_weight": "500", "font_size": "var(--font-size-2)"},
                ),
                rx.hstack(
                    rx.input(
                        id="field-promo_code",
                        name="promo_code",
                        max_length=32,
                        size="2",
                        width="100%",
                        auto_complete="off",
                    ),
                    rx.button("Apply", type="submit", size="2", variant="soft"),
                    width="100%",
                ),
                rx.cond(
                    state.promo_problem != "",
                    rx.text(state.promo_problem, size="2", color_scheme="red", role="alert"),
                ),
                spacing="1",
                width="100%",
            ),
            on_submit=state.apply_promo,
            reset_on_submit=False,
            width="100%",
        ),
    )


def _money_row(label: str, value, *, strong: bool = False) -> rx.Component:
    weight = "bold" if strong else "regular"
    return rx.hstack(
        rx.text(label, size="2", weight=weight),
        rx.spacer(),
        rx.text(value, size="2", weight=weight, aria_label=label),
        width="100%",
    )


def order_summary(state) -> rx.Component:
    """Seats with their tickets, the counters, the code, then subtotal, discount, fee and total."""
    return rx.vstack(
        rx.vstack(
            rx.foreach(state.order, lambda line: _line(state, line)),
            spacing="3",
            width="100%",
            role="list",
            aria_label="Order summary",
        ),
        rx.vstack(
            rx.text("Quick choice", size="1", weight="bold", color_scheme="gray"),
            rx.foreach(state.ticket_counts, lambda kind: _counter(state, kind)),
            spacing="2",
            width="100%",
            aria_label="Tickets by type",
            role="group",
        ),
        rx.cond(state.age_note != "", rx.callout(state.age_note, icon="info", size="1", width="100%")),
        _promo(state),
        rx.divider(),
        _money_row("Tickets", state.subtotal),
        rx.cond(state.discount != "", _money_row("Discount", "−" + state.discount)),
        rx.cond(state.fees != "", _money_row("Booking fee", state.fees)),
        rx.cond(state.fees != "", rx.text(state.fee_note, size="1", color_scheme="gray")),
        _money_row("Total", state.total, strong=True),
        spacing="3",
        width="100%",
    )


def order_panel(heading: str, holding, empty_text: str, *body: rx.Component) -> rx.Component:
    """The card beside a seat map: ``body`` (the summary, how to pay) while seats are held,
    otherwise a line saying how to start."""
    return rx.card(
        rx.vstack(
            rx.heading(heading, size="4", as_="h2"),
            rx.cond(
                holding,
                rx.vstack(*body, spacing="3", width="100%"),
                rx.text(empty_text, size="2", color_scheme="gray"),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
