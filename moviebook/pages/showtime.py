"""``/showtimes/[showtime_id]``: a showtime's details, prices and seat map."""

import reflex as rx

from moviebook.components.feedback import empty_state, page_spinner
from moviebook.components.layout import page_layout
from moviebook.components.seat_map import seat_legend, seat_map
from moviebook.components.theme import POSTER_RATIO
from moviebook.state.showtime import ShowtimeState


def _header() -> rx.Component:
    show = ShowtimeState.show
    return rx.hstack(
        rx.image(src=show.poster, alt="Poster for " + show.movie_title, width="72px",
                 aspect_ratio=POSTER_RATIO, object_fit="cover", border_radius="var(--radius-2)"),
        rx.vstack(
            rx.link(rx.heading(show.movie_title, size="7", as_="h1"), href=show.movie_href,
                    color_scheme="gray", high_contrast=True, underline="hover"),
            rx.text(show.when, size="4", weight="medium"),
            rx.flex(
                rx.badge(show.format, size="2"),
                rx.badge(show.auditorium, variant="soft", color_scheme="gray", size="2"),
                rx.badge(show.age_rating, variant="outline", color_scheme="gray", size="2"),
                rx.text(show.runtime + " · " + show.language, size="2", color_scheme="gray"),
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            spacing="1",
            align="start",
        ),
        spacing="4",
        align="center",
    )


def _map_section() -> rx.Component:
    return rx.vstack(
        _header(),
        seat_legend(ShowtimeState.prices),
        seat_map(ShowtimeState.rows),
        rx.callout(
            rx.text(ShowtimeState.seats_free.to_string() + " seats are still free for this showtime. "
                    "Online seat selection and checkout are being built; until then, book at the box office."),
            icon="info",
            color_scheme="gray",
            width="100%",
        ),
        spacing="5",
        width="100%",
    )


def showtime_page() -> rx.Component:
    return page_layout(
        rx.cond(
            ShowtimeState.loading,
            page_spinner(),
            rx.cond(
                ShowtimeState.problem != "",
                empty_state(
                    "ticket-x",
                    "This showtime cannot be booked",
                    ShowtimeState.problem,
                    rx.link(rx.button("See what's on"), href="/"),
                ),
                _map_section(),
            ),
        ),
    )
