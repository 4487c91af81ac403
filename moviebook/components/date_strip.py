"""Seven day chips, today first; the chosen one is highlighted and announced as pressed."""

import reflex as rx

from moviebook.state.browse import BrowseState
from moviebook.state.views import DayView


def _day_chip(state, day: DayView) -> rx.Component:
    chosen = state.selected_day == day.iso
    return rx.button(
        rx.vstack(
            # A <div>, not a bold <p> that reads like a heading (axe: p-as-heading).
            rx.text(day.weekday, size="2", weight="bold", as_="div"),
            rx.text(day.date_label, size="1"),
            spacing="0",
            align="center",
        ),
        on_click=state.select_day(day.iso),
        variant=rx.cond(chosen, "solid", "soft"),
        color_scheme=rx.cond(chosen, "amber", "gray"),
        aria_pressed=rx.cond(chosen, "true", "false"),
        height="auto",
        padding_y="2",
        min_width="4.8em",
        id="day-" + day.iso,  # BrowseState.select_day scrolls the chosen chip into view
    )


def date_strip(state=BrowseState) -> rx.Component:
    """``state`` has ``days``, ``selected_day`` and a ``select_day(iso)`` handler: the programme's
    (BrowseState) or the box office's."""
    return rx.box(
        rx.scroll_area(
            rx.hstack(
                rx.foreach(state.days, lambda day: _day_chip(state, day)), spacing="2", padding_bottom="var(--space-3)"
            ),
            type="auto",
            scrollbars="horizontal",
            width="100%",
        ),
        role="group",
        aria_label="Choose a day",
        width="100%",
    )
