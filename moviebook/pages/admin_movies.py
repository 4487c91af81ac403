"""``/admin/movies`` and ``/admin/movies/[edit_id]``: the catalog and the film form."""

import reflex as rx

from moviebook.components.admin_nav import admin_nav
from moviebook.components.confirm import confirm_dialog
from moviebook.components.feedback import empty_state
from moviebook.components.forms import NATIVE_SELECT_STYLE, file_drop, pager, search_box
from moviebook.components.layout import page_layout
from moviebook.components.list_table import list_table
from moviebook.components.theme import POSTER_RATIO
from moviebook.state.admin_movies import AGE_RATINGS, AdminMovieRow, AdminMoviesState, MovieFormState


def _movie_row(row: AdminMovieRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.image(
                src=row.poster,
                alt="Poster for " + row.title,
                width="40px",
                aspect_ratio=POSTER_RATIO,
                object_fit="cover",
                border_radius="4px",
            )
        ),
        rx.table.row_header_cell(rx.link(row.title, href=row.href, weight="medium")),
        rx.table.cell(row.genres),
        rx.table.cell(row.runtime),
        rx.table.cell(rx.badge(row.age_rating, variant="outline", color_scheme="gray")),
        rx.table.cell(row.rental),
        rx.table.cell(
            confirm_dialog(
                rx.button("Delete", color_scheme="red", variant="soft", size="1", aria_label="Delete " + row.title),
                title="Delete " + row.title + "?",
                description="The film leaves the catalog and its unbooked future showtimes are cancelled. "
                "Past bookings and reports keep it.",
                confirm_label="Delete film",
                on_confirm=AdminMoviesState.delete(row.id),
            )
        ),
        aria_label=row.title,
    )


def admin_movies_page() -> rx.Component:
    return page_layout(
        admin_nav(),
        rx.flex(
            search_box("Search films", "Search titles", AdminMoviesState.query, AdminMoviesState.search),
            rx.select.root(
                rx.select.trigger(placeholder="All genres", aria_label="Genre filter"),
                rx.select.content(
                    rx.select.item("All genres", value="all"),
                    rx.foreach(AdminMoviesState.genres, lambda g: rx.select.item(g, value=g)),
                ),
                value=rx.cond(AdminMoviesState.genre == "", "all", AdminMoviesState.genre),
                on_change=AdminMoviesState.filter_genre,
            ),
            rx.spacer(),
            rx.button(rx.link("New film", href="/admin/movies/new"), as_child=True),
            spacing="3",
            wrap="wrap",
            align="center",
            width="100%",
        ),
        rx.cond(
            AdminMoviesState.rows.length() > 0,
            list_table(
                ("Poster", "Title", "Genres", "Runtime", "Rating", "Distributor share", ""),
                AdminMoviesState.rows,
                _movie_row,
                label="Films",
            ),
            empty_state("film", "No films found", "Add a film, or change the search."),
        ),
        pager(AdminMoviesState.page, AdminMoviesState.pages, AdminMoviesState.go_to_page),
        title="Films",
    )


def _field(label: str, name: str, control: rx.Component) -> rx.Component:
    error = MovieFormState.errors.get(name, "")
    return rx.vstack(
        rx.el.label(label, html_for=f"movie-{name}", style={"font_weight": "500", "font_size": "var(--font-size-2)"}),
        control,
        rx.cond(error != "", rx.text(error, color_scheme="red", size="2")),
        spacing="1",
        width="100%",
    )


def _input(label: str, name: str, value, **props) -> rx.Component:
    return _field(label, name, rx.input(id=f"movie-{name}", name=name, default_value=value, width="100%", **props))


def _genre_chip(name) -> rx.Component:
    chosen = MovieFormState.chosen_genres.contains(name)
    return rx.button(
        name,
        type="button",
        size="1",
        radius="full",
        variant=rx.cond(chosen, "solid", "outline"),
        aria_pressed=rx.cond(chosen, "true", "false"),
        on_click=MovieFormState.toggle_genre(name),
    )


def _poster_upload() -> rx.Component:
    return rx.vstack(
        rx.text("Poster", weight="medium", size="2"),
        rx.hstack(
            rx.cond(
                MovieFormState.poster_url != "",
                rx.image(
                    src=MovieFormState.poster_url,
                    alt="Poster preview",
                    width="120px",
                    aspect_ratio=POSTER_RATIO,
                    object_fit="cover",
                    border_radius="var(--radius-3)",
                ),
                rx.center(
                    rx.icon("image", size=32, color=rx.color("gray", 8)),
                    width="120px",
                    aspect_ratio=POSTER_RATIO,
                    border=f"1px dashed {rx.color('gray', 7)}",
                    border_radius="var(--radius-3)",
                ),
            ),
            file_drop(
                rx.vstack(
                    rx.icon("upload", size=20),
                    rx.text(
                        "Drop a PNG, JPEG or WebP here, or click to choose (up to 5 MB).", size="2", align="center"
                    ),
                    align="center",
                    spacing="2",
                ),
                id="poster",
                max_files=1,
                multiple=False,
                on_drop=MovieFormState.upload_poster(rx.upload_files(upload_id="poster")),
                border=f"1px dashed {rx.color('accent', 7)}",
                padding="4",
                border_radius="var(--radius-3)",
                cursor="pointer",
                label="Upload poster",
                max_width="18em",
            ),
            spacing="4",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            MovieFormState.upload_error != "",
            rx.callout(MovieFormState.upload_error, icon="circle-alert", color_scheme="red", role="alert"),
        ),
        spacing="2",
        width="100%",
    )


def _form() -> rx.Component:
    return rx.vstack(
        _poster_upload(),
        rx.form(
            rx.vstack(
                _input("Title", "title", MovieFormState.title, max_length=200),
                _field(
                    "Synopsis",
                    "synopsis",
                    rx.text_area(
                        id="movie-synopsis",
                        name="synopsis",
                        default_value=MovieFormState.synopsis,
                        rows="4",
                        width="100%",
                        max_length=4000,
                    ),
                ),
                rx.grid(
                    _input("Runtime (minutes)", "runtime", MovieFormState.runtime, input_mode="numeric", max_length=3),
                    _field(
                        "Age rating",
                        "age_rating",
                        rx.el.select(
                            *[rx.el.option(r, value=r) for r in AGE_RATINGS],
                            id="movie-age_rating",
                            name="age_rating",
                            default_value=MovieFormState.age_rating,
                            style={**NATIVE_SELECT_STYLE, "width": "100%"},
                        ),
                    ),
                    _input("Language", "language", MovieFormState.language, max_length=40),
                    _input("Release date", "release_date", MovieFormState.release_date, type="date"),
                    _input(
                        "Distributor share (%)",
                        "rental_percent",
                        MovieFormState.rental_percent,
                        input_mode="decimal",
                        max_length=6,
                    ),
                    columns={"initial": "1", "sm": "2"},
                    spacing="3",
                    width="100%",
                ),
                rx.vstack(
                    rx.text("Genres", weight="medium", size="2"),
                    rx.flex(
                        rx.foreach(MovieFormState.known_genres, _genre_chip),
                        spacing="2",
                        wrap="wrap",
                        role="group",
                        aria_label="Genres",
                    ),
                    rx.cond(
                        MovieFormState.errors.get("genres", "") != "",
                        rx.text(MovieFormState.errors.get("genres", ""), color_scheme="red", size="2"),
                    ),
                    spacing="2",
                    width="100%",
                ),
                rx.hstack(
                    rx.button("Save film", type="submit", size="3"),
                    rx.button(
                        rx.link("Back to films", href="/admin/movies"),
                        variant="soft",
                        color_scheme="gray",
                        as_child=True,
                    ),
                    spacing="3",
                ),
                spacing="4",
                width="100%",
            ),
            on_submit=MovieFormState.save,
            reset_on_submit=False,
            key=MovieFormState.movie_id.to_string() + MovieFormState.title,
            width="100%",
        ),
        rx.form(
            rx.hstack(
                rx.input(name="new_genre", placeholder="Add a genre", aria_label="New genre", max_length=40),
                rx.button("Add genre", type="submit", variant="soft"),
                spacing="2",
            ),
            on_submit=MovieFormState.add_genre,
            reset_on_submit=True,
        ),
        spacing="5",
        width="100%",
        max_width="44em",
    )


def movie_form_page() -> rx.Component:
    return page_layout(
        admin_nav(),
        rx.heading(MovieFormState.heading, size="7", as_="h1"),
        rx.cond(
            MovieFormState.not_found,
            empty_state(
                "film",
                "Film not found",
                "It may have been removed from the catalog.",
                rx.button(rx.link("Back to films", href="/admin/movies"), as_child=True),
            ),
            _form(),
        ),
    )
