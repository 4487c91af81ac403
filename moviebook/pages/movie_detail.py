"""``/movies/[movie_id]``: one film, its synopsis and its week of showtimes."""

import reflex as rx

from moviebook.components.feedback import empty_state, page_spinner
from moviebook.components.layout import page_layout
from moviebook.components.movie_card import genre_badges, movie_facts, poster
from moviebook.components.showtimes import showtime_buttons
from moviebook.state.movie_detail import MovieDetailState
from moviebook.state.views import DayScheduleView


def _day(day: DayScheduleView) -> rx.Component:
    return rx.vstack(
        rx.heading(day.heading, size="3", as_="h3"),
        showtime_buttons(day.slots),
        spacing="2",
        width="100%",
    )


def _details() -> rx.Component:
    movie = MovieDetailState.movie
    return rx.flex(
        rx.center(poster(movie, ["220px", "260px"]), align_self="start"),
        rx.vstack(
            rx.heading(movie.title, size="8", as_="h1"),
            movie_facts(movie),
            genre_badges(movie),
            rx.text(movie.synopsis, size="3", line_height="1.6"),
            rx.cond(movie.released != "", rx.text("Released " + movie.released, size="2", color_scheme="gray")),
            rx.divider(),
            rx.heading("Showtimes this week", size="5", as_="h2"),
            rx.cond(
                MovieDetailState.schedule.length() > 0,
                rx.vstack(rx.foreach(MovieDetailState.schedule, _day), spacing="4", width="100%"),
                rx.text("No more showtimes this week.", color_scheme="gray"),
            ),
            spacing="3",
            align="start",
            width="100%",
        ),
        direction={"initial": "column", "sm": "row"},
        spacing="6",
        width="100%",
        max_width={"initial": "100%", "sm": "none"},
    )


def movie_detail_page() -> rx.Component:
    return page_layout(
        rx.link(rx.hstack(rx.icon("arrow-left", size=16), rx.text("All films"), align="center"), href="/"),
        rx.cond(
            MovieDetailState.loading,
            page_spinner(),
            rx.cond(
                MovieDetailState.not_found,
                empty_state(
                    "film",
                    "Film not found",
                    "That film is not in our programme. It may have been removed.",
                    rx.link(rx.button("See what's on"), href="/"),
                ),
                _details(),
            ),
        ),
    )
