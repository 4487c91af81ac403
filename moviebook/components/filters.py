"""Genre filter and title search for the browse page; both apply as you choose or type."""

import reflex as rx

from moviebook.state.browse import BrowseState


def genre_select() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(placeholder="All genres", aria_label="Genre", min_width="11em"),
        rx.select.content(
            rx.select.item("All genres", value="all"),
            rx.foreach(BrowseState.genres, lambda g: rx.select.item(g, value=g)),
        ),
        value=rx.cond(BrowseState.genre == "", "all", BrowseState.genre),
        on_change=BrowseState.set_genre,
    )


def title_search() -> rx.Component:
    return rx.input(
        rx.input.slot(rx.icon("search", size=16)),
        placeholder="Search titles",
        aria_label="Search titles",
        type="search",
        value=BrowseState.search,
        on_change=BrowseState.set_search,
        debounce_timeout=300,
        max_length=100,
        width=["100%", "16em"],
    )


def filters_bar() -> rx.Component:
    return rx.flex(
        genre_select(),
        title_search(),
        rx.cond(
            BrowseState.has_filters,
            rx.button("Clear filters", variant="ghost", on_click=BrowseState.clear_filters),
        ),
        spacing="3",
        wrap="wrap",
        align="center",
        width="100%",
    )
