"""The seat map: the screen at the front, rows labelled on both sides, aisles as gaps."""

import reflex as rx

from moviebook.state.seat_picker import PickerCell, PickerRow, SeatPickerState
from moviebook.state.seatmap_views import PriceView

SEAT_SIZE = "1.75em"

# Seat colours by type, shared by the map, the editor and the legend so they always agree.
TYPE_COLOURS = {
    "regular": rx.color("gray", 9),
    "premium": rx.color("amber", 9),
    "wheelchair": rx.color("blue", 9),
    "companion": rx.color("cyan", 9),
    "couple": rx.color("crimson", 9),
}
BOOKED_COLOUR = rx.color("gray", 4)
MINE_COLOUR = rx.color("grass", 9)
HELD_BACKGROUND = f"repeating-linear-gradient(45deg, {rx.color('gray', 6)} 0 4px, {rx.color('gray', 4)} 4px 8px)"

# Arrow keys move between seats, like a spreadsheet; Enter or Space then selects. And the
# hold countdown, ticking in the browser from when the server's "seconds left" arrived (the
# browser's own clock may be wrong; only its passing time is trusted).
_SCRIPT = """
document.addEventListener('keydown', (e) => {
  const seat = e.target.closest && e.target.closest('[data-seat]');
  const moves = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
  if (!seat || !moves[e.key]) return;
  e.preventDefault();
  const [dx, dy] = moves[e.key];
  const x = +seat.dataset.x, y = +seat.dataset.y;
  const seats = [...document.querySelectorAll('[data-seat]')];
  const ahead = seats.filter(s => dx ? (+s.dataset.y === y && Math.sign(+s.dataset.x - x) === dx)
                                     : (Math.sign(+s.dataset.y - y) === dy));
  ahead.sort((a, b) => (Math.abs(+a.dataset.x - x) + 10 * Math.abs(+a.dataset.y - y)) -
                       (Math.abs(+b.dataset.x - x) + 10 * Math.abs(+b.dataset.y - y)));
  if (ahead[0]) ahead[0].focus();
});
setInterval(() => {
  document.querySelectorAll('[data-seconds]').forEach((el) => {
    if (el.dataset.seenStamp !== el.dataset.stamp) {
      el.dataset.seenStamp = el.dataset.stamp;
      el.dataset.end = +el.dataset.seconds ? String(performance.now() + 1000 * el.dataset.seconds) : '0';
    }
    const end = +el.dataset.end;
    if (!end) { el.textContent = ''; return; }
    const left = Math.max(0, Math.round((end - performance.now()) / 1000));
    el.textContent = String(Math.floor(left / 60)).padStart(2, '0') + ':' + String(left % 60).padStart(2, '0');
  });
}, 500);
"""


def seat_map_script() -> rx.Component:
    return rx.script(_SCRIPT)


def _type_colour(seat_type) -> rx.Var:
    return rx.match(seat_type, *TYPE_COLOURS.items(), rx.color("gray", 9))


def _seat_state(cell: PickerCell) -> rx.Var:
    """available | mine | held | booked | blocked, worked out in the browser from ``taken``
    (trusted only when it is this page's showtime's: a tab that just moved on may still get one
    last update of the map it left)."""
    holder = SeatPickerState.taken[cell.key]
    return rx.cond(
        ~cell.sellable,
        "blocked",
        rx.cond(
            (SeatPickerState.seat_showtime == SeatPickerState.showtime_key) & SeatPickerState.taken.contains(cell.key),
            rx.cond(holder == -1, "booked", rx.cond(holder == SeatPickerState.me, "mine", "held")),
            "available",
        ),
    )


_READABLE = (("mine", "selected by you"), ("held", "held by someone else"))


def _seat(cell: PickerCell) -> rx.Component:
    state = _seat_state(cell)
    label = cell.label + ", " + rx.match(state, *_READABLE, state).to(str)
    return rx.cond(
        cell.is_seat,
        rx.el.button(
            rx.cond(state == "mine", rx.icon("check", size=14), cell.number),
            type="button",
            aria_label=label,
            aria_pressed=rx.cond(state == "mine", "true", "false"),
            disabled=(state == "booked") | (state == "blocked") | (state == "held"),
            data_seat="1",
            data_state=state,
            data_type=cell.seat_type,
            data_x=cell.x,
            data_y=cell.y,
            on_click=SeatPickerState.toggle_seat(cell.key),
            title=label,
            style={
                "width": SEAT_SIZE,
                "height": SEAT_SIZE,
                "flex_shrink": "0",
                "font_size": "11px",
                "display": "flex",
                "align_items": "center",
                "justify_content": "center",
                "border_radius": "6px 6px 3px 3px",
                "cursor": rx.match(state, ("available", "pointer"), ("mine", "pointer"), "not-allowed"),
                "color": rx.match(
                    state,
                    ("booked", rx.color("gray", 8)),
                    ("held", rx.color("gray", 11)),
                    ("blocked", rx.color("gray", 7)),
                    "var(--gray-1)",
                ),
                "background": rx.match(
                    state,
                    ("mine", MINE_COLOUR),
                    ("booked", BOOKED_COLOUR),
                    ("held", HELD_BACKGROUND),
                    ("blocked", "transparent"),
                    _type_colour(cell.seat_type),
                ),
                "border": rx.cond(state == "blocked", f"1px dashed {rx.color('gray', 6)}", "none"),
                "outline_offset": "2px",
                "transition": "background 120ms",
            },
        ),
        rx.box(width=SEAT_SIZE, height=SEAT_SIZE, flex_shrink="0", aria_hidden="true"),
    )


def _row_label(text) -> rx.Component:
    return rx.text(
        text, size="1", weight="bold", color_scheme="gray", width="1.5em", text_align="center", flex_shrink="0"
    )


def _row(row: PickerRow) -> rx.Component:
    return rx.hstack(
        _row_label(row.label),
        rx.foreach(row.cells, _seat),
        _row_label(row.label),
        spacing="1",
        align="center",
        role="group",
        aria_label="Row " + row.label,
    )


def _screen() -> rx.Component:
    return rx.vstack(
        rx.box(
            width="80%",
            height="10px",
            border_radius="50% 50% 0 0 / 100% 100% 0 0",
            background=f"linear-gradient(180deg, {rx.color('amber', 9)}, transparent)",
            box_shadow=f"0 -6px 24px {rx.color('amber', 6)}",
        ),
        rx.text("SCREEN", size="1", letter_spacing="0.4em", color_scheme="gray"),
        align="center",
        width="100%",
        spacing="1",
        aria_hidden="true",
    )


def seat_map(rows) -> rx.Component:
    """Scrolls sideways inside its box on a narrow phone instead of widening the page."""
    return rx.box(
        rx.vstack(
            _screen(),
            rx.vstack(rx.foreach(rows, _row), spacing="1", align="center"),
            spacing="5",
            align="center",
            min_width="max-content",
            margin_x="auto",
            padding="4",
        ),
        overflow_x="auto",
        width="100%",
        background=rx.color("gray", 2),
        border_radius="var(--radius-4)",
        border=f"1px solid {rx.color('gray', 4)}",
        role="region",
        aria_label="Seat map",
    )


def _swatch(colour, dashed: bool = False) -> rx.Component:
    return rx.box(
        width="1em",
        height="1em",
        border_radius="4px 4px 2px 2px",
        background=colour,
        border=f"1px dashed {rx.color('gray', 6)}" if dashed else "none",
        flex_shrink="0",
    )


def _price_item(item: PriceView) -> rx.Component:
    return rx.hstack(
        _swatch(_type_colour(item.seat_type)),
        rx.text(item.name, size="2"),
        rx.text(item.price, size="2", weight="bold"),
        align="center",
        spacing="2",
    )


def seat_legend(prices) -> rx.Component:
    return rx.flex(
        rx.foreach(prices, _price_item),
        rx.hstack(_swatch(MINE_COLOUR), rx.text("Your seats", size="2"), align="center", spacing="2"),
        rx.hstack(_swatch(HELD_BACKGROUND), rx.text("Held by someone", size="2"), align="center", spacing="2"),
        rx.hstack(_swatch(BOOKED_COLOUR), rx.text("Sold", size="2"), align="center", spacing="2"),
        rx.hstack(_swatch("transparent", dashed=True), rx.text("Not for sale", size="2"), align="center", spacing="2"),
        spacing="4",
        wrap="wrap",
        role="list",
        aria_label="Seat types and prices",
    )
