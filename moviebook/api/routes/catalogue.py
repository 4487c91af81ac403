"""The public catalogue: films, showtimes and a showtime's live seat map. No token needed.

The same services as the browse, movie and seat-picker pages (``services.programme``,
``services.seatmap``, ``services.live_seats``), so a kiosk lists exactly what the website does.
The catalogue reads carry an ``ETag``; the seat map is live and never cached.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from moviebook.api.caching import NOT_MODIFIED, PageLinks, conditional_json, link_header, page_links
from moviebook.api.deps import MaybeCaller
from moviebook.api.problems import Problem
from moviebook.api.schemas import MAX_ID, text
from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import SeatType
from moviebook.services.clock import local_today
from moviebook.services.holds import hold_store
from moviebook.services.live_seats import BOOKED, live_seats
from moviebook.services.paging import MAX_PAGE_SIZE
from moviebook.services.programme import (
    CatalogueFilters,
    MovieSummary,
    ShowtimeSlot,
    catalogue_page,
    listings_for_day,
    movie_with_week,
)
from moviebook.services.seatmap import SeatInfo, ShowtimeOverview, showtime_seat_map

router = APIRouter(tags=["catalogue"])

ShowtimeId = Annotated[int, Path(ge=1, le=MAX_ID, description="A showtime's id.")]
MovieId = Annotated[int, Path(ge=1, le=MAX_ID, description="A film's id.")]
Rating = Literal["U", "PG", "12A", "15", "18"]
SeatState = Literal["free", "held", "mine", "sold", "blocked"]

READ_REFUSALS = {401: {"model": Problem}, 422: {"model": Problem}, 429: {"model": Problem}}


class MovieOut(BaseModel):
    id: int
    title: str
    synopsis: str
    poster_path: str | None = Field(description="The poster's path on this site, when the film has one.")
    genres: list[str]
    runtime_minutes: int
    age_rating: str = Field(examples=["12A"])
    language: str
    release_date: dt.date | None


class ShowtimeOut(BaseModel):
    id: int
    movie_id: int
    movie_title: str
    starts_at: dt.datetime = Field(description="UTC, ISO 8601.")
    auditorium: str
    format: str = Field(examples=["2D"])
    language: str
    subtitles: str | None
    base_price_cents: int = Field(description="A regular seat's price before ticket type and fees.")


class MoviePage(BaseModel):
    items: list[MovieOut]
    page: int
    per_page: int
    total: int = Field(description="Films matching the filters, on every page.")
    pages: int
    links: PageLinks


class MovieDetailOut(MovieOut):
    showtimes: list[ShowtimeOut] = Field(description="Its bookable showtimes this week, soonest first.")


class ShowtimesOut(BaseModel):
    date: dt.date = Field(description="The cinema-local day listed.")
    showtimes: list[ShowtimeOut]


class SeatOut(BaseModel):
    id: int
    label: str = Field(examples=["C7"])
    row: str
    number: int
    seat_type: str = Field(examples=["regular", "premium", "couple", "blocked"])
    x: int = Field(description="Column on the room's grid, from 0 at the left.")
    y: int = Field(description="Row on the room's grid, from 0 at the front.")
    price_cents: int | None = Field(description="A regular ticket for this seat; null when it is never sold.")
    state: SeatState = Field(description="`mine`: held by the caller; `held`: by someone else.")


class SeatRowOut(BaseModel):
    label: str
    seats: list[SeatOut]


class SeatMapOut(BaseModel):
    showtime: ShowtimeOut
    age_rating: str
    version: int = Field(description="The seat state's version: it only grows, and every change moves it.")
    seats_free: int
    rows: list[SeatRowOut]


def movie_out(movie: MovieSummary) -> MovieOut:
    return MovieOut(
        id=movie.id,
        title=movie.title,
        synopsis=movie.synopsis,
        poster_path=movie.poster_path,
        genres=list(movie.genres),
        runtime_minutes=movie.runtime_minutes,
        age_rating=movie.age_rating,
        language=movie.language,
        release_date=movie.release_date,
    )


def _slot_out(slot: ShowtimeSlot, movie: MovieSummary) -> ShowtimeOut:
    return ShowtimeOut(
        id=slot.id,
        movie_id=movie.id,
        movie_title=movie.title,
        starts_at=slot.starts_at,
        auditorium=slot.auditorium_name,
        format=slot.format,
        language=slot.language,
        subtitles=slot.subtitles,
        base_price_cents=slot.base_price_cents,
    )


def overview_out(show: ShowtimeOverview) -> ShowtimeOut:
    return ShowtimeOut(
        id=show.id,
        movie_id=show.movie_id,
        movie_title=show.movie_title,
        starts_at=show.starts_at,
        auditorium=show.auditorium_name,
        format=show.format,
        language=show.language,
        subtitles=show.subtitles,
        base_price_cents=show.base_price_cents,
    )


@router.get(
    "/movies",
    response_model=MoviePage,
    responses={**NOT_MODIFIED, **READ_REFUSALS},
)
def list_movies(
    request: Request,
    _me: MaybeCaller,
    genre: Annotated[text(100) | None, Query(description="One genre, by name.")] = None,
    date: Annotated[dt.date | None, Query(description="A cinema-local day: films showing then.")] = None,  # noqa: A002
    language: Annotated[text(40) | None, Query(description="A showtime's language, any case.")] = None,
    rating: Annotated[Rating | None, Query(description="An age rating.")] = None,
    q: Annotated[text(100) | None, Query(description="Part of a title.")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> Response:
    """The films with a showtime one can still book (on `date`, or from now on), by title."""
    filters = CatalogueFilters(day=date, genre=genre, language=language, age_rating=rating, title_query=q)
    with session_scope() as session:
        found = catalogue_page(session, get_settings().timezone, filters, page=page, page_size=per_page)
    links = page_links(request, found.page, found.pages)
    body = MoviePage(
        items=[movie_out(m) for m in found.rows],
        page=found.page,
        per_page=per_page,
        total=found.total,
        pages=found.pages,
        links=links,
    )
    return conditional_json(request, body, {"Link": link_header(links)})


@router.get(
    "/movies/{movie_id}",
    response_model=MovieDetailOut,
    responses={**NOT_MODIFIED, 404: {"model": Problem}, **READ_REFUSALS},
)
def get_movie(request: Request, movie_id: MovieId, _me: MaybeCaller) -> Response:
    """One film and its bookable showtimes this week."""
    with session_scope() as session:
        listing = movie_with_week(session, movie_id, get_settings().timezone)
    body = MovieDetailOut(
        **movie_out(listing.movie).model_dump(),
        showtimes=[_slot_out(slot, listing.movie) for slot in listing.showtimes],
    )
    return conditional_json(request, body)


@router.get(
    "/showtimes",
    response_model=ShowtimesOut,
    responses={**NOT_MODIFIED, **READ_REFUSALS},
)
def list_showtimes(
    request: Request,
    _me: MaybeCaller,
    date: Annotated[dt.date | None, Query(description="A cinema-local day; today when absent.")] = None,  # noqa: A002
    movie_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only this film's.")] = None,
) -> Response:
    """The showtimes of one day that can still be booked, soonest first."""
    tz = get_settings().timezone
    day = date or local_today(tz)
    with session_scope() as session:
        listings = listings_for_day(session, day, tz)
    slots = [
        _slot_out(slot, listing.movie)
        for listing in listings
        if movie_id is None or listing.movie.id == movie_id
        for slot in listing.showtimes
    ]
    body = ShowtimesOut(date=day, showtimes=sorted(slots, key=lambda s: (s.starts_at, s.id)))
    return conditional_json(request, body)


def _state(seat: SeatInfo, holder: int | None, user_id: int | None) -> SeatState:
    if seat.seat_type == SeatType.BLOCKED:
        return "blocked"
    if holder == BOOKED or seat.is_booked:
        return "sold"
    if holder is None:
        return "free"
    return "mine" if holder == user_id else "held"


@router.get(
    "/showtimes/{showtime_id}/seats",
    response_model=SeatMapOut,
    responses={404: {"model": Problem}, 409: {"model": Problem}, **READ_REFUSALS},
)
def seat_map(showtime_id: ShowtimeId, me: MaybeCaller, response: Response) -> SeatMapOut:
    """The room's seats and the live state of each (sold, held, yours), with the version of that
    state. A cancelled or started showtime is 409."""
    store = hold_store()
    with session_scope() as session:
        layout = showtime_seat_map(session, showtime_id)
        version = store.version(showtime_id)  # read first: the seats below are at least this new
        live = live_seats(session, store, showtime_id)
    user_id = me.user_id if me else None
    rows: dict[str, list[SeatOut]] = {}
    for seat in layout.seats:  # by row, then column
        rows.setdefault(seat.row_label, []).append(
            SeatOut(
                id=seat.id,
                label=f"{seat.row_label}{seat.number}",
                row=seat.row_label,
                number=seat.number,
                seat_type=seat.seat_type,
                x=seat.x,
                y=seat.y,
                price_cents=seat.price_cents,
                state=_state(seat, live.taken.get(seat.id), user_id),
            )
        )
    response.headers["Cache-Control"] = "no-store"
    return SeatMapOut(
        showtime=overview_out(layout.showtime),
        age_rating=layout.showtime.age_rating,
        version=version,
        seats_free=live.free,
        rows=[SeatRowOut(label=label, seats=seats) for label, seats in rows.items()],
    )
