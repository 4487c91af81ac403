"""``/staff/checkin``: made for a phone held at the door: one input, one big verdict."""

import reflex as rx

from moviebook.components.forms import NATIVE_SELECT_STYLE
from moviebook.components.layout import page_layout
from moviebook.state.checkin import CODE_INPUT_ID, CheckinState

S = CheckinState
V = S.verdict
# Green: let them in. Amber: look again (already in, or another show). Red: no entry.
COLOURS = (
    ("valid", "grass"),
    ("checked_in", "grass"),
    ("already_checked_in", "amber"),
    ("wrong_showtime", "amber"),
    ("wrong_day", "amber"),
    "red",
)


def _icon() -> rx.Component:
    return rx.match(
        V.kind,
        ("valid", rx.icon("circle-check", size=32)),
        ("checked_in", rx.icon("circle-check-big", size=32)),
        ("already_checked_in", rx.icon("circle-alert", size=32)),
        ("wrong_showtime", rx.icon("clock-alert", size=32)),
        ("wrong_day", rx.icon("calendar-x", size=32)),
        rx.icon("circle-x", size=32),
    )


def _fact(label: str, value) -> rx.Component:
    return rx.cond(value != "", rx.data_list.item(rx.data_list.label(label), rx.data_list.value(value)))


def _verdict() -> rx.Component:
    return rx.callout.root(
        rx.vstack(
            rx.hstack(_icon(), rx.heading(V.headline, size="7", as_="h2"), align="center", spacing="3"),
            rx.text(V.detail, size="4"),
            rx.data_list.root(
                _fact("Code", V.code),
                _fact("Name", V.customer),
                _fact("Film", V.movie),
                _fact("Showtime", V.when),
                _fact("Room", V.room),
                _fact("Seats", V.seats),
                orientation="horizontal",
                size="3",
            ),
            rx.cond(
                V.kind == "valid",
                rx.button(
                    rx.icon("door-open"),
                    "Check in",
                    size="4",
                    color_scheme="grass",
                    width="100%",
                    on_click=S.admit(V.code),
                ),
            ),
            spacing="3",
            width="100%",
        ),
        color_scheme=rx.match(V.kind, *COLOURS),
        size="3",
        width="100%",
        role="status",
        aria_live="polite",
        aria_label="Verdict",
    )


def _door_select() -> rx.Component:
    return rx.vstack(
        rx.el.label("Showtime", html_for="checkin-showtime", style={"font_weight": "500"}),
        rx.el.select(
            rx.el.option("Any showtime today", value=""),
            rx.foreach(S.showtimes, lambda c: rx.el.option(c.label, value=c.value)),
            id="checkin-showtime",
            value=S.showtime,
            on_change=S.choose_showtime,
            style={**NATIVE_SELECT_STYLE, "width": "100%", "font_size": "16px"},
        ),
        spacing="1",
        width="100%",
    )


def _code_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.label("Booking code", html_for=CODE_INPUT_ID, style={"font_weight": "500"}),
            rx.hstack(
                # 16px text stops phones zooming in; no autocorrect or capitalising surprises.
                rx.input(
                    id=CODE_INPUT_ID,
                    name="code",
                    auto_focus=True,
                    auto_complete="off",
                    auto_correct="off",
                    auto_capitalize="characters",
                    spell_check=False,
                    placeholder="ABCD-EF23",
                    max_length=40,
                    size="3",
                    width="100%",
                    font_family="monospace",
                    font_size="16px",
                ),
                rx.button("Look up", type="submit", size="3"),
                spacing="2",
                width="100%",
            ),
            spacing="1",
            width="100%",
        ),
        on_submit=S.look_up,
        reset_on_submit=True,
        width="100%",
    )


def staff_checkin_page() -> rx.Component:
    return page_layout(
        rx.vstack(
            _door_select(),
            _code_form(),
            rx.cond(V.kind != "", _verdict()),
            spacing="4",
            width="100%",
            max_width="34em",
        ),
        title="Door check-in",
    )
