"""The seat map: the screen at the front, rows labelled on both sides, aisles as gaps."""

import reflex as rx

from moviebook.components.theme import VISUALLY_HIDDEN
from moviebook.state.seat_picker import PickerCell, PickerRow, SeatPickerState
from moviebook.state.seatmap_views import PriceView

# At least 24 x 24 CSS px (WCAG 2.2 target size) at every width and zoom: the map scrolls
# sideways, and zooms, rather than shrink a seat below a thumb. The live size is the map's
# --seat-size: the script fits it to the best rows when the map opens, and the zoom buttons and a
# pinch change it in the browser.
SEAT_MIN_PX, SEAT_START_PX, SEAT_MAX_PX = 24, 28, 44
SEAT_SIZE = f"var(--seat-size, {SEAT_START_PX}px)"


def seat_token(name: str, standard) -> str:
    """A seat colour of the standard theme, which the high-contrast theme may replace by setting
    ``--seat-<name>`` (assets/accessibility.css, "High contrast")."""
    return f"var(--seat-{name}, {standard})"


SEAT_TEXT = seat_token("text", "#111113")  # near black: at least 4.5:1 on every seat colour below

# Seat colours by type, shared by the map, the editor and the legend so they always agree.
# Light enough for near-black seat numbers (4.5:1); gray 11, not 9, for the standard seat.
TYPE_COLOURS = {
    "regular": seat_token("regular", rx.color("gray", 11)),
    "premium": seat_token("premium", rx.color("amber", 9)),
    "wheelchair": seat_token("wheelchair", rx.color("blue", 9)),
    "companion": seat_token("companion", rx.color("cyan", 9)),
    "couple": seat_token("couple", rx.color("crimson", 9)),
}
BOOKED_COLOUR = seat_token("booked", rx.color("gray", 4))
BOOKED_MARK = seat_token("booked-text", rx.color("gray", 8))  # the cross on a sold seat
MINE_COLOUR = seat_token("mine", rx.color("grass", 9))
HELD_BACKGROUND = seat_token(
    "held", f"repeating-linear-gradient(45deg, {rx.color('gray', 6)} 0 4px, {rx.color('gray', 4)} 4px 8px)"
)
HELD_TEXT = seat_token("held-text", rx.color("gray", 11))
BLOCKED_BORDER = seat_token("blocked-border", f"1px dashed {rx.color('gray', 6)}")
# Borders by state: none in the standard theme, strong ones in high contrast.
STATE_BORDERS = {
    "available": seat_token("border", "none"),
    "mine": seat_token("mine-border", "none"),
    "held": seat_token("held-border", "none"),
    "booked": seat_token("booked-border", "none"),
    "blocked": BLOCKED_BORDER,
}

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
// Opened fitted to the best rows: data-best-rows (their y) and data-best-left/right (the x of
// the block in their middle) come from the server's rule (services/best_available.ideal_view).
// The widest of those rows, labels and all, is made as wide as the map allows, seats staying
// between SEAT_MIN and SEAT_MAX px; then the middle block is scrolled to the middle of the view
// (a big room on a phone pans from there). Once per room shown: a zoom or a live change stays.
const fitSeatMap = (map) => {
  const seats = [...map.querySelectorAll('[data-seat]')];
  const key = [map.dataset.bestRows, map.dataset.bestLeft, map.dataset.bestRight, seats.length].join('|');
  if (!seats.length || !map.clientWidth || map.dataset.fitted === key) return;
  map.dataset.fitted = key;
  const rows = new Set((map.dataset.bestRows || '').split(' ').filter(Boolean));
  const best = seats.filter((s) => rows.has(s.dataset.y));
  const shown = best.length ? best : seats;
  const columns = Math.max(...seats.map((s) => +s.dataset.x)) + 1;
  const widest = Math.max(...shown.map((s) => s.closest('[role=group]').getBoundingClientRect().width));
  const inner = map.firstElementChild;
  const padding = 2 * parseFloat(getComputedStyle(inner).paddingLeft || '0');
  // Every column grows with the seat; labels, gaps and padding stay as they are.
  setSeatSize(map, Math.floor(seatSize(map) + (map.clientWidth - padding - widest) / columns));
  const left = +map.dataset.bestLeft, right = +map.dataset.bestRight;
  const middle = shown.filter((s) => +s.dataset.x >= left && +s.dataset.x <= right);
  const boxes = (middle.length ? middle : shown).map((s) => s.getBoundingClientRect());
  const view = map.getBoundingClientRect();
  const x = (Math.min(...boxes.map((b) => b.left)) + Math.max(...boxes.map((b) => b.right))) / 2;
  const y = (Math.min(...boxes.map((b) => b.top)) + Math.max(...boxes.map((b) => b.bottom))) / 2;
  map.scrollLeft += x - (view.left + map.clientLeft + map.clientWidth / 2);
  map.scrollTop += y - (view.top + map.clientTop + map.clientHeight / 2);
};
const fitSeatMaps = () => document.querySelectorAll('[data-seat-map]').forEach(fitSeatMap);
// Fitted before the seats are first painted: the rows arrive as DOM changes, and a frame
// callback runs before the next paint, so the map never shows at the wrong size first.
let fitQueued = false;
new MutationObserver(() => {
  if (fitQueued) return;
  fitQueued = true;
  requestAnimationFrame(() => { fitQueued = false; fitSeatMaps(); });
}).observe(document.body, {childList: true, subtree: true});
fitSeatMaps();
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
  fitSeatMaps();
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
                ("booked", rx.icon("x", size=12, aria_hidden="true", color=BOOKED_MARK)),
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
                # Numbers grow with a zoom: 12 px at the smallest seats, 16 px at the largest.
                "font_size": "clamp(12px, calc(var(--seat-size) * 0.4), 16px)",
                "font_weight": "600",
                "display": "flex",
                "align_items": "center",
                "justify_content": "center",
                "border_radius": "6px 6px 3px 3px",
                "cursor": rx.match(state, ("available", "pointer"), ("mine", "pointer"), "not-allowed"),
                "color": rx.match(
                    state,
                    ("booked", BOOKED_MARK),
                    ("held", HELD_TEXT),
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
                "border": rx.match(state, *STATE_BORDERS.items(), "none"),
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


def seat_map(state: type[SeatPickerState] = SeatPickerState) -> rx.Component:
    """The map of ``state`` (the seat picker, or the box office's subclass of it). Scrolls inside
    its box on a narrow phone instead of widening the page, and zooms (the buttons, or a pinch):
    seats stay at least 24 px whatever the width. It opens fitted to the best rows, with the
    block in their middle in the middle of the view (the script, from ``state.best_rows``)."""
    return rx.vstack(
        rx.box(
            rx.vstack(
                _screen(),
                rx.vstack(rx.foreach(state.rows, _row), spacing="1", align="center"),
                spacing="5",
                align="center",
                min_width="max-content",
                margin_x="auto",
                padding="4",
            ),
            id="seat-map",
            data_seat_map="1",
            # Where it opens (the script fits it): the best rows and the block in their middle.
            data_best_rows=state.best_rows,
            data_best_left=state.best_left,
            data_best_right=state.best_right,
            overflow="auto",
            width="100%",
            # On a phone a big room pans both ways inside the map rather than run off the screen.
            max_height=["70vh", "70vh", "none"],
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


def _swatch(colour, border="none", icon: str | None = None, mark=SEAT_TEXT) -> rx.Component:
    """The legend's sample seat: the same colour, border and mark as on the map."""
    return rx.box(
        rx.icon(icon, size=12, color=mark, aria_hidden="true") if icon else None,
        width="1.25em",
        height="1.25em",
        display="flex",
        align_items="center",
        justify_content="center",
        border_radius="4px 4px 2px 2px",
        background=colour,
        border=border,
        flex_shrink="0",
        aria_hidden="true",
    )


def _price_item(item: PriceView) -> rx.Component:
    return rx.hstack(
        _swatch(_type_colour(item.seat_type), STATE_BORDERS["available"]),
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
        _legend_item(_swatch(MINE_COLOUR, STATE_BORDERS["mine"], icon="check"), "Your seats"),
        _legend_item(_swatch(HELD_BACKGROUND, STATE_BORDERS["held"]), "Held by someone"),
        _legend_item(_swatch(BOOKED_COLOUR, STATE_BORDERS["booked"], icon="x", mark=BOOKED_MARK), "Sold"),
        _legend_item(_swatch("transparent", BLOCKED_BORDER), "Not for sale"),
        spacing="4",
        wrap="wrap",
        role="list",
        aria_label="Seat types and prices",
    )
