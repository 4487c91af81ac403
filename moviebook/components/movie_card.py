"""A movie in the listings: poster, facts, genres and the day's showtimes."""

import reflex as rx

from moviebook.components.showtimes import showtime_buttons
from moviebook.components.theme import POSTER_RATIO
from moviebook.state.views import ListingView, MovieView


def poster(movie: MovieView, width: str | list[str] = "110px") -> rx.Component:
    return rx.image(
        src=movie.poster,
        alt=f"Poster for {movie.title}",
        width=width,
        aspect_ratio=POSTER_RATIO,
        object_fit="cover",
        border_radius="var(--radius-3)",
        loading="lazy",
        flex_shrink="0",
    )


def movie_facts(movie: MovieView) -> rx.Component:
    return rx.hstack(
        rx.badge(movie.age_rating, color_scheme="gray", variant="outline", aria_label="Age rating " + movie.age_rating),
        rx.text(movie.runtime, size="2", color_scheme="gray"),
        rx.text("·", size="2", color_scheme="gray"),
        rx.text(movie.language, size="2", color_scheme="gray"),
        align="center",
        spacing="2",
        wrap="wrap",
    )


def genre_badges(movie: MovieView) -> rx.Component:
    return rx.flex(
        rx.foreach(movie.genres, lambda g: rx.badge(g, variant="soft", radius="full")),
        spacing="1",
        wrap="wrap",
    )


def movie_card(listing: ListingView) -> rx.Component:
    movie = listing.movie
    return rx.card(
        rx.hstack(
            rx.link(poster(movie, ["96px", "110px"]), href=movie.href, aria_label=f"About {movie.title}"),
            rx.vstack(
                rx.link(
                    rx.heading(movie.title, size="5", as_="h2"),
                    href=movie.href,
                    color_scheme="gray",
                    high_contrast=True,
                    underline="hover",
                ),
                movie_facts(movie),
                genre_badges(movie),
                rx.box(height="2px"),
                showtime_buttons(listing.slots),
                spacing="2",
                align="start",
                width="100%",
            ),
            spacing="4",
            align="start",
            width="100%",
        ),
        role="article",
        aria_label=movie.title,
        width="100%",
    )
