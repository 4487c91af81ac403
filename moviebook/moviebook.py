"""The Reflex app: theme and page registration."""

import reflex as rx

from moviebook.components.theme import global_style
from moviebook.pages.browse import browse_page
from moviebook.pages.movie_detail import movie_detail_page
from moviebook.pages.showtime import showtime_page
from moviebook.state.browse import BrowseState
from moviebook.state.movie_detail import MovieDetailState
from moviebook.state.showtime import ShowtimeState

# The theme is applied by the RadixThemesPlugin configured in rxconfig.py.
app = rx.App(style=global_style)
app.add_page(
    movie_detail_page,
    route="/movies/[movie_id]",
    title="Film · Moviebook",
    on_load=MovieDetailState.on_load,
)
app.add_page(
    showtime_page,
    route="/showtimes/[showtime_id]",
    title="Choose seats · Moviebook",
    on_load=ShowtimeState.on_load,
)
app.add_page(browse_page, route="/", title="What's on · Moviebook", on_load=BrowseState.on_load)
