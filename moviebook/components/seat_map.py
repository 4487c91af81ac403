"""The seat map: the screen at the front, rows labelled on both sides, aisles as gaps."""

import reflex as rx

from moviebook.components.theme import VISUALLY_HIDDEN
from moviebook.state.seat_picker import PickerCell, PickerRow, SeatPickerState
from moviebook.state.seatmap_views import PriceView

# At least 24 x 24 CSS px (WCAG 2.2 target size) at every width and zoom: the map scrolls
# sideways, and zooms, rather than shrink a seat below a thumb. The live size is the map's
# --seat-size, which the zoom buttons and a pinch change in the browser.
SEAT_MIN_PX, SEAT_START_PX, SEAT_MAX_PX = 24, 28, 44
SEAT_SIZE = f"var(--seat-size, {SEAT_START_PX}px)"
SEAT_TEXT = "#111113"  # near black: at least 4.5:1 on every seat colour below

# Seat colours by type, shared by the map, the editor and the legend so they always agree.
# Light enough for near-black seat numbers (4.5:1); gray 11, not 9, for the standard seat.
TYPE_COLOURS = {
    "regular": rx.color("gray", 11),
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
_SCRIPT = (
    """
// Once per page load: the router inserts this script again on each visit to a map page, and a
// second copy would redeclare its constants and double every listener and timer.
if (!window.moviebookSeatMap) { window.moviebookSeatMap = true; (() => {
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
// Zoom: the buttons and a two-finger pinch change the map's --seat-size, never below 24 px.
const SEAT_MIN = SEAT_MIN_PX, SEAT_MAX = SEAT_MAX_PX;
const seatSize = (map) => parseFloat(getComputedStyle(map).getPropertyValue('--seat-size')) || SEAT_START_PX;
const setSeatSize = (map, px) =>
  map.style.setProperty('--seat-size', Math.max(SEAT_MIN, Math.min(SEAT_MAX, px)) + 'px');
document.addEventListener('click', (e) => {
  const button = e.target.closest && e.target.closest('[data-zoom]');
  const map = button && document.getElementById(button.dataset.zoom);
  if (map) setSeatSize(map, seatSize(map) + 4 * (+button.dataset.step));
});
let pinch = null;
document.addEventListener('touchstart', (e) => {
  const map = e.target.closest && e.target.closest('[data-seat-map]');
  if (map && e.touches.length === 2) {
    const [a, b] = e.touches;
    pinch = {map, gap: Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY), size: seatSize(map)};
  }
}, {passive: true});
document.addEventListener('touchmove', (e) => {
  if (!pinch || e.touches.length !== 2) return;
  const [a, b] = e.touches;
  setSeatSize(pinch.map, pinch.size * Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY) / pinch.gap);
}, {passive: true});
document.addEventListener('touchend', () => { pinch = null; });
// Opened centred on the middle of the rows, where the best seats are.
const centreSeatMaps = () => document.querySelectorAll('[data-seat-map]').forEach((map) => {
  if (map.dataset.centred || !map.querySelector('[data-seat]')) return;
  map.dataset.centred = '1';
  map.scrollLeft = (map.scrollWidth - map.clientWidth) / 2;
});
// Live changes, said politely to screen readers: a seat taken, the last two minutes, seats
// released. Worked out from the map itself, so it says what the person can see.
const said = new Map();
const announce = (text) => {
  const region = document.getElementById('seat-news');
  if (region) region.textContent = text;
};
const watchSeats = () => document.querySelectorAll('[data-seat]').forEach((seat) => {
  const before = said.get(seat.id), now = seat.dataset.state;
  said.set(seat.id, now);
  if (!before || before === now) return;
  const name = seat.getAttribute('aria-label').split(',').slice(0, 2).join(',');
  if (before === 'available' && (now === 'held' || now === 'booked')) announce(name + ' was just taken.');
  if (before === 'mine' && now === 'available') announce('Your seats were released.');
});
setInterval(() => {
  centreSeatMaps();
  watchSeats();
  document.querySelectorAll('[data-seconds]').forEach((el) => {
    if (el.dataset.seenStamp !== el.dataset.stamp) {
      el.dataset.seenStamp = el.dataset.stamp;
      el.dataset.end = +el.dataset.seconds ? String(performance.now() + 1000 * el.dataset.seconds) : '0';
    }
    const end = +el.dataset.end;
    if (!end) { el.textContent = ''; return; }
    const left = Math.max(0, Math.round((end - performance.now()) / 1000));
    if (left === 120 && el.dataset.warned !== el.dataset.stamp) {
      el.dataset.warned = el.dataset.stamp;
      announce('2 minutes left on your seats.');
    }
    el.textContent = String(Math.floor(left / 60)).padStart(2, '0') + ':' + String(left % 60).padStart(2, '0');
  });
}, 500);
})(); }
""".replace("SEAT_MIN_PX", str(SEAT_MIN_PX))
    .replace("SEAT_MAX_PX", str(SEAT_MAX_PX))
    .replace("SEAT_START_PX", str(SEAT_START_PX))
)


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
            # Not by colour alone: yours has a tick, sold a cross, held the stripes.
            rx.match(
                state,
                ("mine", rx.icon("check", size=14, aria_hidden="true")),
                ("booked", rx.icon("x", size=12, aria_hidden="true")),
                rx.fragment(cell.number),
            ),
            type="button",
            id="seat-" + cell.key,
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
                "font_size": "12px",
                "font_weight": "600",
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
                    SEAT_TEXT,
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


def _zoom_button(icon: str, label: str, step: int) -> rx.Component:
    return rx.icon_button(
        rx.icon(icon, size=18),
        type="button",
        variant="soft",
        color_scheme="gray",
        size="2",
        aria_label=label,
        title=label,
        data_zoom="seat-map",
        data_step=step,
    )


def seat_map(rows) -> rx.Component:
    """Scrolls sideways inside its box on a narrow phone instead of widening the page, and zooms
    (the buttons, or a pinch): seats stay at least 24 px whatever the width."""
    return rx.vstack(
        rx.box(
            rx.vstack(
                _screen(),
                rx.vstack(rx.foreach(rows, _row), spacing="1", align="center"),
                spacing="5",
                align="center",
                min_width="max-content",
                margin_x="auto",
                padding="4",
            ),
            id="seat-map",
            data_seat_map="1",
            overflow_x="auto",
            width="100%",
            tab_index=0,  # a scrollable region takes focus, so the keyboard can scroll it too
            background=rx.color("gray", 2),
            border_radius="var(--radius-4)",
            border=f"1px solid {rx.color('gray', 4)}",
            role="region",
            aria_label="Seat map",
            style={"touch_action": "pan-x pan-y", "--seat-size": f"{SEAT_START_PX}px"},
        ),
        rx.hstack(
            _zoom_button("zoom-out", "Smaller seats", -1),
            _zoom_button("zoom-in", "Bigger seats", 1),
            rx.el.div(id="seat-news", aria_live="polite", role="status", style=VISUALLY_HIDDEN),
            spacing="2",
            align="center",
        ),
        width="100%",
        spacing="2",
    )


def _swatch(colour, dashed: bool = False, icon: str | None = None) -> rx.Component:
    """The legend's sample seat: the same colour and the same mark as on the map."""
    return rx.box(
        rx.icon(icon, size=12, color=SEAT_TEXT if icon == "check" else rx.color("gray", 8), aria_hidden="true")
        if icon
        else None,
        width="1.25em",
        height="1.25em",
        display="flex",
        align_items="center",
        justify_content="center",
        border_radius="4px 4px 2px 2px",
        background=colour,
        border=f"1px dashed {rx.color('gray', 6)}" if dashed else "none",
        flex_shrink="0",
        aria_hidden="true",
    )


def _price_item(item: PriceView) -> rx.Component:
    return rx.hstack(
        _swatch(_type_colour(item.seat_type)),
        rx.text(item.name, size="2"),
        rx.text(item.price, size="2", weight="bold"),
        align="center",
        spacing="2",
        role="listitem",
    )


def _legend_item(swatch: rx.Component, text: str) -> rx.Component:
    return rx.hstack(swatch, rx.text(text, size="2"), align="center", spacing="2", role="listitem")


def seat_legend(prices) -> rx.Component:
    return rx.flex(
        rx.foreach(prices, _price_item),
        _legend_item(_swatch(MINE_COLOUR, icon="check"), "Your seats"),
        _legend_item(_swatch(HELD_BACKGROUND), "Held by someone"),
        _legend_item(_swatch(BOOKED_COLOUR, icon="x"), "Sold"),
        _legend_item(_swatch("transparent", dashed=True), "Not for sale"),
        spacing="4",
        wrap="wrap",
        role="list",
        aria_label="Seat types and prices",
    )
