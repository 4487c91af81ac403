"""``/admin/showtimes``: the schedule, as the showtimes page runs it (admins only).

A showtime is sent with its start as an instant (ISO 8601 with offset); it is checked as the
page's form checks the cinema-local day and time it stands for. A clash with another showtime
in the room is a 409 whose detail names it (film, room, time) and whose
``clashing_showtime_id`` is its id.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, Field

from moviebook.api.deps import Address, Admin
from moviebook.api.problems import ShowtimeClashProblem
from moviebook.api.routes.admin_common import Id, api_fields, refusals
from moviebook.api.schemas import text
from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import Showtime
from moviebook.services.clock import local_today
from moviebook.services.errors import FormInvalid
from moviebook.services.money import format_amount
from moviebook.services.schedule_admin import (
    FIRST_YEAR,
    LAST_YEAR,
    cancel_showtime,
    create_showtime,
    day_schedule,
    parse_calendar_day,
    parse_showtime_form,
    showtime_for_editing,
    update_showtime,
)
from moviebook.services.seat_changes import tell_seat_maps
from moviebook.services.tokens import Identity

router = APIRouter(tags=["admin: showtimes"])

# The showtime form's fields, as this API calls them.
FIELDS = {"day": "starts_at", "start": "starts_at", "price": "base_price_cents"}
SCHEDULING_REFUSALS = refusals(404) | {409: {"model": ShowtimeClashProblem}}


class ShowtimeIn(BaseModel):
    movie_id: int
    auditorium_id: int
    starts_at: AwareDatetime = Field(description="On a whole minute, in the future.")
    format: text(20) = Field(default="2D", examples=["2D", "3D", "IMAX"])
    base_price_cents: int = Field(examples=[1150])
    language: text(200) = Field(default="", description="Empty: the film's language.")
    subtitles: text(200) | None = None


class ShowtimePatch(BaseModel):
    """Only the fields sent change. Film, room and time cannot change once people have booked."""

    movie_id: int | None = None
    auditorium_id: int | None = None
    starts_at: AwareDatetime | None = None
    format: text(20) | None = None
    base_price_cents: int | None = None
    language: text(200) | None = None
    subtitles: text(200) | None = None


class ShowtimeOut(BaseModel):
    id: int
    movie_id: int
    auditorium_id: int
    starts_at: datetime
    ends_at: datetime = Field(description="When the room is free again: the film plus cleaning time.")
    format: str
    base_price_cents: int
    language: str
    subtitles: str | None
    is_cancelled: bool


class ScheduledShowtimeOut(BaseModel):
    id: int
    movie_title: str
    auditorium_id: int
    auditorium_name: str
    starts_at: datetime
    ends_at: datetime
    format: str
    base_price_cents: int
    is_cancelled: bool
    bookings: int = Field(description="Bookings not cancelled.")


class DayScheduleOut(BaseModel):
    day: date = Field(description="A cinema-local day.")
    showtimes: list[ScheduledShowtimeOut] = Field(description="Every room's, cancelled ones included.")


class ShowtimeCancelledOut(BaseModel):
    id: int
    bookings_refunded: int


def _out(show: Showtime) -> ShowtimeOut:
    return ShowtimeOut(
        id=show.id,
        movie_id=show.movie_id,
        auditorium_id=show.auditorium_id,
        starts_at=show.starts_at,
        ends_at=show.ends_at,
        format=show.format,
        base_price_cents=show.base_price_cents,
        language=show.language,
        subtitles=show.subtitles,
        is_cancelled=show.is_cancelled,
    )


def _form_fields(values: dict) -> dict:
    """The fields as the showtime form sends them: the start as the cinema-local day and time."""
    raw = {}
    for name, value in values.items():
        if name == "starts_at":
            if value.second or value.microsecond:
                raise FormInvalid({"starts_at": "Start on a whole minute."})
            try:
                local = value.astimezone(get_settings().timezone)
            except (OverflowError, ValueError):
                raise FormInvalid({"starts_at": f"Enter a time between {FIRST_YEAR} and {LAST_YEAR}."}) from None
            raw["day"], raw["start"] = local.date().isoformat(), local.strftime("%H:%M")
        elif name == "base_price_cents":
            raw["price"] = format_amount(value) if value >= 0 else "-"
        elif name in ("movie_id", "auditorium_id"):
            raw[name] = str(value)
        else:
            raw[name] = "" if value is None else value
    return raw


def _current(show: Showtime) -> dict:
    return _form_fields(
        {
            "movie_id": show.movie_id,
            "auditorium_id": show.auditorium_id,
            "starts_at": show.starts_at,
            "format": show.format,
            "base_price_cents": show.base_price_cents,
            "language": show.language,
            "subtitles": show.subtitles,
        }
    )


def _rules() -> dict:
    settings = get_settings()
    return {"tz": settings.timezone, "cleaning_buffer_minutes": settings.cleaning_buffer_minutes}


@router.get("/admin/showtimes", response_model=DayScheduleOut, responses=refusals())
def day_of_showtimes(
    me: Admin, day: Annotated[text(10), Query(description="YYYY-MM-DD; empty: today.")] = ""
) -> DayScheduleOut:
    """A cinema-local day's showtimes in every room, as the schedule page's timeline shows them."""
    tz = get_settings().timezone
    chosen = parse_calendar_day(day) if day else local_today(tz)
    if chosen is None:
        raise FormInvalid({"day": f"Enter a date between {FIRST_YEAR} and {LAST_YEAR}, like 2026-03-01."})
    with session_scope() as session:
        rooms = day_schedule(session, me, chosen, tz)
    return DayScheduleOut(
        day=chosen,
        showtimes=[
            ScheduledShowtimeOut(
                id=slot.id,
                movie_title=slot.movie_title,
                auditorium_id=room.auditorium_id,
                auditorium_name=room.auditorium_name,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                format=slot.format,
                base_price_cents=slot.base_price_cents,
                is_cancelled=slot.is_cancelled,
                bookings=slot.bookings,
            )
            for room in rooms
            for slot in room.slots
        ],
    )


@router.post("/admin/showtimes", status_code=201, response_model=ShowtimeOut, responses=SCHEDULING_REFUSALS)
def schedule(body: ShowtimeIn, me: Admin, address: Address) -> ShowtimeOut:
    """Schedule a showtime. It occupies the room for the film plus cleaning time; an overlap with
    another showtime there is a 409 naming it."""
    with api_fields(FIELDS), session_scope() as session:
        form = parse_showtime_form(_form_fields(body.model_dump()))
        return _out(create_showtime(session, me, form, ip=address, **_rules()))


def _edit(me: Identity, showtime_id: int, changes: dict, address: str) -> ShowtimeOut:
    with api_fields(FIELDS), session_scope() as session:
        current = _current(showtime_for_editing(session, me, showtime_id))
        form = parse_showtime_form(current | _form_fields(changes))
        return _out(update_showtime(session, me, showtime_id, form, ip=address, **_rules()))


@router.patch("/admin/showtimes/{showtime_id}", response_model=ShowtimeOut, responses=SCHEDULING_REFUSALS)
def edit(showtime_id: Id, body: ShowtimePatch, me: Admin, address: Address) -> ShowtimeOut:
    """Change some of a showtime's fields, checked as a new one is."""
    changes = body.model_dump(exclude_unset=True)
    for required in ("movie_id", "auditorium_id", "starts_at", "base_price_cents"):
        if required in changes and changes[required] is None:
            raise FormInvalid({required: "This field cannot be emptied."})
    return _edit(me, showtime_id, changes, address)


@router.post("/admin/showtimes/{showtime_id}/cancel", response_model=ShowtimeCancelledOut, responses=refusals(404))
def cancel(showtime_id: Id, me: Admin, address: Address) -> ShowtimeCancelledOut:
    """Cancel a showtime: its bookings are cancelled with a full refund and the customers told.
    Cancelling a cancelled showtime again changes nothing."""
    with session_scope() as session:
        refunded = cancel_showtime(session, me, showtime_id, ip=address)
    tell_seat_maps(showtime_id)  # every open seat map of it re-reads, as after the page's cancel
    return ShowtimeCancelledOut(id=showtime_id, bookings_refunded=refunded)
