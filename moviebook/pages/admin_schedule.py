"""``/admin/showtimes``: the day's schedule as a timeline per room, and the forms that change it."""

import reflex as rx

from moviebook.components.admin_nav import admin_nav
from moviebook.components.confirm import confirm_dialog
from moviebook.components.forms import NATIVE_SELECT_STYLE, labelled_control
from moviebook.components.layout import page_layout
from moviebook.components.scroll_region import scroll_region
from moviebook.state.admin_schedule import FORMATS, HOUR_LABELS, AdminScheduleState, TimelineRoom, TimelineSlot

_NATIVE_SELECT = {**NATIVE_SELECT_STYLE, "width": "100%"}


def _slot(slot: TimelineSlot) -> rx.Component:
    return rx.el.button(
        rx.text(slot.title, size="1", weight="bold", truncate=True),
        " ",  # the visible text reads "Title 19:00–20:50", as the name begins
        rx.text(slot.when, size="1"),
        type="button",
        on_click=AdminScheduleState.edit_showtime(slot.id),
        aria_label=slot.detail,
        title=slot.detail,
        style={
            "position": "absolute",
            "left": slot.left,
            "width": slot.width,
            "top": "4px",
            "bottom": "4px",
            "overflow": "hidden",
            "text_align": "left",
            "padding": "2px 6px",
            "border_radius": "6px",
            "cursor": "pointer",
            "color": "var(--gray-1)",
            "background": rx.cond(slot.cancelled, "var(--gray-6)", rx.color("accent", 9)),
            "text_decoration": rx.cond(slot.cancelled, "line-through", "none"),
            "border": "1px solid var(--gray-1)",
        },
    )


def _room_lane(room: TimelineRoom) -> rx.Component:
    return rx.hstack(
        rx.text(room.name, size="2", weight="medium", width="9em", flex_shrink="0"),
        rx.box(
            rx.foreach(room.slots, _slot),
            position="relative",
            height="52px",
            width="100%",
            background=rx.color("gray", 3),
            border_radius="var(--radius-2)",
        ),
        width="100%",
        align="center",
        role="group",
        aria_label="Schedule of " + room.name,
    )


def _timeline() -> rx.Component:
    return scroll_region(
        rx.vstack(
            rx.hstack(
                rx.box(width="9em", flex_shrink="0"),
                rx.flex(*[rx.text(h, size="1", color_scheme="gray", width="100%") for h in HOUR_LABELS], width="100%"),
                width="100%",
            ),
            rx.foreach(AdminScheduleState.rooms, _room_lane),
            spacing="2",
            min_width="760px",
            width="100%",
        ),
        label="Day timeline",
    )


def _select(label: str, name: str, choices, placeholder: str) -> rx.Component:
    return _labelled(
        label,
        name,
        rx.el.select(
            rx.el.option(placeholder, value=""),
            rx.foreach(choices, lambda c: rx.el.option(c.label, value=c.value)),
            id=f"st-{name}",
            name=name,
            default_value=AdminScheduleState.form.get(name, ""),
            style=_NATIVE_SELECT,
        ),
    )


def _labelled(label: str, name: str, control: rx.Component, errors=AdminScheduleState.errors) -> rx.Component:
    """A schedule form field: its control's id is ``st-<name>`` and its error is keyed by name."""
    return labelled_control(label, f"st-{name}", control, error=errors.get(name, ""), width="100%")


def _text(label: str, name: str, type: str = "text", errors=AdminScheduleState.errors) -> rx.Component:
    return _labelled(
        label,
        name,
        rx.input(
            id=f"st-{name}",
            name=name,
            type=type,
            max_length=40,
            width="100%",
            default_value=AdminScheduleState.form.get(name, ""),
        ),
        errors,
    )


def _format_select(errors=AdminScheduleState.errors) -> rx.Component:
    return _labelled(
        "Format",
        "format",
        rx.el.select(
            *[rx.el.option(f, value=f) for f in FORMATS],
            id="st-format",
            name="format",
            default_value=AdminScheduleState.form.get("format", "2D"),
            style=_NATIVE_SELECT,
        ),
        errors,
    )


def _showtime_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(
                    rx.cond(AdminScheduleState.editing_id > 0, "Edit showtime", "New showtime"), size="4", as_="h2"
                ),
                _select("Film", "movie_id", AdminScheduleState.movies, "Choose a film"),
                _select("Room", "auditorium_id", AdminScheduleState.room_choices, "Choose a room"),
                rx.grid(
                    _text("Date", "day", "date"),
                    _text("Start time", "start", "time"),
                    columns="2",
                    spacing="3",
                    width="100%",
                ),
                rx.grid(_format_select(), _text("Base price", "price"), columns="2", spacing="3", width="100%"),
                rx.grid(
                    _text("Language", "language"),
                    _text("Subtitles", "subtitles"),
                    columns="2",
                    spacing="3",
                    width="100%",
                ),
                rx.text("Ends after the film's running time plus the cleaning buffer.", size="1", color_scheme="gray"),
                rx.cond(
                    AdminScheduleState.problem != "",
                    rx.callout(
                        AdminScheduleState.problem, icon="calendar-x", color_scheme="red", role="alert", width="100%"
                    ),
                ),
                rx.hstack(
                    rx.button(rx.cond(AdminScheduleState.editing_id > 0, "Save changes", "Schedule"), type="submit"),
                    rx.cond(
                        AdminScheduleState.editing_id > 0,
                        rx.fragment(
                            rx.button(
                                "New instead",
                                type="button",
                                variant="soft",
                                color_scheme="gray",
                                on_click=AdminScheduleState.new_showtime,
                            ),
                            confirm_dialog(
                                rx.button("Cancel showtime", type="button", color_scheme="red", variant="soft"),
                                title="Cancel this showtime?",
                                description="Every booking for it is cancelled and marked for a full refund. "
                                "Customers see this on My bookings.",
                                confirm_label="Cancel showtime",
                                on_confirm=AdminScheduleState.cancel(AdminScheduleState.editing_id),
                            ),
                        ),
                    ),
                    spacing="2",
                    wrap="wrap",
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=AdminScheduleState.save,
            reset_on_submit=False,
            key=AdminScheduleState.form_version.to_string(),
        ),
        width="100%",
    )


def _bulk_form() -> rx.Component:
    errors = AdminScheduleState.bulk_errors
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Bulk schedule", size="4", as_="h2"),
                rx.text(
                    "The same film at the same times on every day of a range. Slots that clash are skipped.",
                    size="2",
                    color_scheme="gray",
                ),
                _labelled(
                    "Film",
                    "movie_id",
                    rx.el.select(
                        rx.el.option("Choose a film", value=""),
                        rx.foreach(AdminScheduleState.movies, lambda c: rx.el.option(c.label, value=c.value)),
                        id="bulk-movie_id",
                        name="movie_id",
                        style=_NATIVE_SELECT,
                        aria_label="Bulk film",
                    ),
                    errors,
                ),
                _labelled(
                    "Room",
                    "auditorium_id",
                    rx.el.select(
                        rx.el.option("Choose a room", value=""),
                        rx.foreach(AdminScheduleState.room_choices, lambda c: rx.el.option(c.label, value=c.value)),
                        id="bulk-auditorium_id",
                        name="auditorium_id",
                        style=_NATIVE_SELECT,
                        aria_label="Bulk room",
                    ),
                    errors,
                ),
                rx.grid(
                    rx.input(name="first_day", type="date", aria_label="First day"),
                    rx.input(name="last_day", type="date", aria_label="Last day"),
                    columns="2",
                    spacing="3",
                    width="100%",
                ),
                rx.cond(
                    errors.get("last_day", "") != "", rx.text(errors.get("last_day", ""), color_scheme="red", size="2")
                ),
                rx.input(
                    name="times",
                    placeholder="Start times, like 13:00, 19:30",
                    aria_label="Start times",
                    max_length=100,
                    width="100%",
                ),
                rx.cond(errors.get("times", "") != "", rx.text(errors.get("times", ""), color_scheme="red", size="2")),
                rx.grid(
                    rx.el.select(
                        *[rx.el.option(f, value=f) for f in FORMATS],
                        name="format",
                        style=_NATIVE_SELECT,
                        aria_label="Bulk format",
                    ),
                    rx.input(name="price", default_value="11.50", aria_label="Bulk base price", max_length=8),
                    columns="2",
                    spacing="3",
                    width="100%",
                ),
                rx.cond(errors.get("price", "") != "", rx.text(errors.get("price", ""), color_scheme="red", size="2")),
                rx.button("Schedule all", type="submit"),
                rx.cond(
                    AdminScheduleState.bulk_result.length() > 0,
                    rx.vstack(
                        rx.foreach(AdminScheduleState.bulk_result, lambda line: rx.text(line, size="2")),
                        role="status",
                        spacing="1",
                    ),
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=AdminScheduleState.bulk,
            reset_on_submit=False,
        ),
        width="100%",
    )


def admin_schedule_page() -> rx.Component:
    return page_layout(
        admin_nav(),
        rx.flex(
            rx.button(
                rx.icon("chevron-left"),
                variant="soft",
                on_click=AdminScheduleState.shift_day(-1),
                aria_label="Previous day",
            ),
            rx.input(
                type="date",
                value=AdminScheduleState.day,
                on_change=AdminScheduleState.choose_day,
                aria_label="Day",
                width="11em",
            ),
            rx.button(
                rx.icon("chevron-right"),
                variant="soft",
                on_click=AdminScheduleState.shift_day(1),
                aria_label="Next day",
            ),
            rx.heading(AdminScheduleState.day_label, size="4", as_="h2"),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        _timeline(),
        rx.grid(_showtime_form(), _bulk_form(), columns={"initial": "1", "md": "2"}, spacing="4", width="100%"),
        title="Schedule",
    )
