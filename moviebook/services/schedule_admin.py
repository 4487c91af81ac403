"""Admins run the schedule: create, edit, cancel and bulk-schedule showtimes; see a day."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from moviebook.models import FORMATS, Auditorium, Booking, BookingStatus, Movie, Role, Showtime, utcnow
from moviebook.services import audit, notifications, webhooks
from moviebook.services.bookings import refund_in_full
from moviebook.services.clock import local_day_bounds
from moviebook.services.errors import Conflict, DomainError, FormInvalid, NotFound
from moviebook.services.roles import require_role
from moviebook.services.scheduling import (
    clash_error,
    find_overlap,
    occupied_until,
    save_without_overlap,
    schedule_showtime,
)
from moviebook.services.tokens import Identity

MAX_PRICE_CENTS = 100_000
MAX_BULK_DAYS = 62
# The years a schedule can hold: a date outside them is a typo (or an attack), and near
# date.max the arithmetic of start and end times would overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2100
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class ShowtimeForm:
    movie_id: int
    auditorium_id: int
    day: date
    start: time
    format: str
    base_price_cents: int
    language: str
    subtitles: str | None


def parse_price(text: str) -> int | None:
    """'11.50' or '11' as cents; None when it is not a price."""
    match = re.fullmatch(r"\s*(\d{1,4})(?:[.,](\d{1,2}))?\s*", text or "")
    if not match:
        return None
    whole, frac = match.group(1), (match.group(2) or "0").ljust(2, "0")
    return int(whole) * 100 + int(frac)


def parse_calendar_day(text: str) -> date | None:
    """A day the schedule can hold, from 'YYYY-MM-DD'; None for anything else."""
    try:
        day = date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def within_calendar(day: date) -> date:
    """The nearest day the schedule can hold (for stepping through days)."""
    return min(max(day, date(FIRST_YEAR, 1, 1)), date(LAST_YEAR, 12, 31))


def _form_id(raw: dict, name: str) -> int | None:
    value = str(raw.get(name, "")).strip()
    return int(value) if value.isdecimal() and len(value) <= 9 else None


def parse_showtime_form(raw: dict) -> ShowtimeForm:
    """Field-level validation of what the browser sent; nothing is trusted to be well-formed."""
    errors: dict[str, str] = {}

    def number(name: str, label: str) -> int:
        if (value := _form_id(raw, name)) is None:
            errors[name] = f"Choose a {label}."
            return 0
        return value

    movie_id = number("movie_id", "film")
    auditorium_id = number("auditorium_id", "room")
    day = parse_calendar_day(raw.get("day", ""))
    if day is None:
        errors["day"] = "Enter a date."
    start = None
    match = _TIME.match(str(raw.get("start", "")).strip())
    if match:
        start = time(int(match.group(1)), int(match.group(2)))
    else:
        errors["start"] = "Enter a start time like 19:30."
    fmt = str(raw.get("format", "2D"))
    if fmt not in FORMATS:
        errors["format"] = "Choose 2D, 3D or IMAX."
    price = parse_price(str(raw.get("price", "")))
    if price is None or price > MAX_PRICE_CENTS:
        errors["price"] = "Enter a price like 11.50."
    language = str(raw.get("language", "")).strip()[:40]
    subtitles = str(raw.get("subtitles", "")).strip()[:40] or None
    if errors:
        raise FormInvalid(errors)
    return ShowtimeForm(movie_id, auditorium_id, day, start, fmt, price, language, subtitles)


def _starts_at(form: ShowtimeForm, tz: ZoneInfo) -> datetime:
    return datetime.combine(form.day, form.start, tzinfo=tz).astimezone(timezone.utc)


def _live_movie(session: Session, movie_id: int) -> Movie:
    movie = session.get(Movie, movie_id)
    if movie is None or movie.deleted_at is not None:
        raise FormInvalid({"movie_id": "That film is not in the catalog."})
    return movie


def _room(session: Session, auditorium_id: int) -> Auditorium:
    room = session.get(Auditorium, auditorium_id)
    if room is None:
        raise FormInvalid({"auditorium_id": "That room does not exist."})
    return room


def _snapshot(showtime: Showtime) -> dict:
    return {
        "movie_id": showtime.movie_id,
        "auditorium_id": showtime.auditorium_id,
        "starts_at": showtime.starts_at.isoformat(),
        "ends_at": showtime.ends_at.isoformat(),
        "format": showtime.format,
        "base_price_cents": showtime.base_price_cents,
        "language": showtime.language,
        "subtitles": showtime.subtitles,
        "is_cancelled": showtime.is_cancelled,
    }


def create_showtime(
    session: Session,
    actor: Identity,
    form: ShowtimeForm,
    *,
    tz: ZoneInfo,
    cleaning_buffer_minutes: int,
    now: datetime | None = None,
    ip: str | None = None,
) -> Showtime:
    require_role(actor, Role.ADMIN.value)
    movie, _ = _live_movie(session, form.movie_id), _room(session, form.auditorium_id)
    starts_at = _starts_at(form, tz)
    if starts_at <= (now or utcnow()):
        raise FormInvalid({"start": "That time has passed. Showtimes are scheduled in the future."})
    showtime = schedule_showtime(
        session,
        movie=movie,
        auditorium_id=form.auditorium_id,
        starts_at=starts_at,
        base_price_cents=form.base_price_cents,
        cleaning_buffer_minutes=cleaning_buffer_minutes,
        format=form.format,
        language=form.language or movie.language,
        subtitles=form.subtitles,
        tz=tz,
    )
    audit.record(
        session,
        "showtime.create",
        actor_id=actor.user_id,
        entity_type="showtime",
        entity_id=showtime.id,
        new=_snapshot(showtime),
        ip=ip,
    )
    return showtime


def active_booking_count(session: Session, showtime_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(Booking)
        .where(Booking.showtime_id == showtime_id, Booking.status != BookingStatus.CANCELLED.value)
    ).one()


def update_showtime(
    session: Session,
    actor: Identity,
    showtime_id: int,
    form: ShowtimeForm,
    *,
    tz: ZoneInfo,
    cleaning_buffer_minutes: int,
    now: datetime | None = None,
    ip: str | None = None,
) -> Showtime:
    require_role(actor, Role.ADMIN.value)
    showtime = session.get(Showtime, showtime_id)
    if showtime is None or showtime.is_cancelled:
        raise NotFound("That showtime does not exist or was cancelled.")
    movie, _ = _live_movie(session, form.movie_id), _room(session, form.auditorium_id)
    starts_at = _starts_at(form, tz)
    ends_at = occupied_until(starts_at, movie.runtime_minutes, cleaning_buffer_minutes)
    moved = (form.movie_id, form.auditorium_id, starts_at) != (
        showtime.movie_id,
        showtime.auditorium_id,
        showtime.starts_at,
    )
    if moved and active_booking_count(session, showtime.id):
        raise Conflict(
            "People have booked this showtime, so its film, room and time cannot change. "
            "Cancel it instead, and their bookings are refunded."
        )
    if moved and starts_at <= (now or utcnow()):
        raise FormInvalid({"start": "That time has passed. Showtimes are scheduled in the future."})
    clash = find_overlap(session, form.auditorium_id, starts_at, ends_at, ignore_showtime_id=showtime.id)
    if clash is not None:
        raise clash_error(session, clash, tz)
    old = _snapshot(showtime)
    showtime.movie_id, showtime.auditorium_id = form.movie_id, form.auditorium_id
    showtime.starts_at, showtime.ends_at = starts_at, ends_at
    showtime.format, showtime.base_price_cents = form.format, form.base_price_cents
    showtime.language, showtime.subtitles = form.language or movie.language, form.subtitles
    showtime.updated_at = utcnow()
    save_without_overlap(session)  # the check above names the clash; this settles a race
    audit.record(
        session,
        "showtime.update",
        actor_id=actor.user_id,
        entity_type="showtime",
        entity_id=showtime.id,
        old=old,
        new=_snapshot(showtime),
        ip=ip,
    )
    return showtime


CANCELLED_BY_CINEMA = "The cinema cancelled this showtime. You get a full refund."


def cancel_showtime(session: Session, actor: Identity, showtime_id: int, *, ip: str | None = None) -> int:
    """Cancel a showtime: its bookings become cancelled with a full refund. Returns how many."""
    require_role(actor, Role.ADMIN.value)
    showtime = session.exec(select(Showtime).where(Showtime.id == showtime_id).with_for_update()).first()
    if showtime is None:
        raise NotFound("That showtime does not exist.")
    if showtime.is_cancelled:
        return 0
    now = utcnow()
    if showtime.ends_at <= now:
        raise DomainError("This showtime has already ended, so it can no longer be cancelled.")
    bookings = session.exec(
        select(Booking)
        .where(Booking.showtime_id == showtime_id, Booking.status == BookingStatus.CONFIRMED.value)
        .with_for_update()
    ).all()
    for booking in bookings:
        refund_in_full(session, booking, now=now, reason=CANCELLED_BY_CINEMA)
        notifications.booking_cancelled(session, booking, notifications.SHOWTIME_CANCELLED)
        audit.record(
            session,
            "booking.cancel",
            actor_id=actor.user_id,
            entity_type="booking",
            entity_id=booking.id,
            old={"status": "confirmed"},
            new={"status": "cancelled", "refund_cents": booking.refund_cents, "reason": CANCELLED_BY_CINEMA},
            ip=ip,
        )
    showtime.is_cancelled, showtime.updated_at = True, now
    session.flush()
    for booking in bookings:  # told once the showtime reads as cancelled
        webhooks.booking_cancelled(session, booking, by=webhooks.BY_CINEMA)
    webhooks.showtime_cancelled(session, showtime, bookings_cancelled=len(bookings))
    audit.record(
        session,
        "showtime.cancel",
        actor_id=actor.user_id,
        entity_type="showtime",
        entity_id=showtime.id,
        old={"is_cancelled": False},
        new={"is_cancelled": True, "bookings_refunded": len(bookings)},
        ip=ip,
    )
    return len(bookings)


@dataclass
class BulkReport:
    created: list[datetime] = field(default_factory=list)
    skipped: list[tuple[datetime, str]] = field(default_factory=list)


def bulk_schedule(
    session: Session,
    actor: Identity,
    *,
    movie_id: int,
    auditorium_id: int,
    first_day: date,
    last_day: date,
    times: list[time],
    format: str,
    base_price_cents: int,
    tz: ZoneInfo,
    cleaning_buffer_minutes: int,
    now: datetime | None = None,
    ip: str | None = None,
) -> BulkReport:
    """The same film at the same times on every day of a range; clashes are skipped and reported."""
    require_role(actor, Role.ADMIN.value)
    movie, _ = _live_movie(session, movie_id), _room(session, auditorium_id)
    if last_day < first_day:
        raise FormInvalid({"last_day": "The last day is before the first."})
    if (last_day - first_day).days >= MAX_BULK_DAYS:
        raise FormInvalid({"last_day": f"Schedule at most {MAX_BULK_DAYS} days at once."})
    if not times:
        raise FormInvalid({"times": "Enter at least one start time."})
    report = BulkReport()
    now = now or utcnow()
    day = first_day
    while day <= last_day:
        for start in sorted(set(times)):
            starts_at = datetime.combine(day, start, tzinfo=tz).astimezone(timezone.utc)
            if starts_at <= now:
                report.skipped.append((starts_at, "in the past"))
                continue
            try:
                schedule_showtime(
                    session,
                    movie=movie,
                    auditorium_id=auditorium_id,
                    starts_at=starts_at,
                    base_price_cents=base_price_cents,
                    cleaning_buffer_minutes=cleaning_buffer_minutes,
                    format=format,
                    tz=tz,
                )
            except Conflict as clash:
                report.skipped.append((starts_at, str(clash)))
                continue
            report.created.append(starts_at)
        day += timedelta(days=1)
    audit.record(
        session,
        "showtime.bulk_create",
        actor_id=actor.user_id,
        entity_type="movie",
        entity_id=movie.id,
        new={
            "auditorium_id": auditorium_id,
            "created": len(report.created),
            "skipped": len(report.skipped),
            "first_day": first_day.isoformat(),
            "last_day": last_day.isoformat(),
        },
        ip=ip,
    )
    return report


@dataclass(frozen=True)
class BulkForm:
    movie_id: int
    auditorium_id: int
    first_day: date
    last_day: date
    times: list[time]
    format: str
    base_price_cents: int


def parse_bulk_form(raw: dict) -> BulkForm:
    """The bulk-scheduling form, checked field by field (FormInvalid says what is wrong)."""
    errors: dict[str, str] = {}
    first, last = parse_calendar_day(raw.get("first_day", "")), parse_calendar_day(raw.get("last_day", ""))
    if first is None or last is None:
        errors["last_day"] = "Enter the first and last day."
    times = parse_times(str(raw.get("times", "")))
    if times is None:
        errors["times"] = "Enter start times like 13:00, 19:30."
    price = parse_price(str(raw.get("price", "")))
    if price is None or price > MAX_PRICE_CENTS:
        errors["price"] = "Enter a price like 11.50."
    movie, room = _form_id(raw, "movie_id"), _form_id(raw, "auditorium_id")
    if movie is None or room is None:
        errors["movie_id"] = "Choose a film and a room."
    fmt = str(raw.get("format", "2D"))
    if fmt not in FORMATS:
        errors["format"] = "Choose 2D, 3D or IMAX."
    if errors:
        raise FormInvalid(errors)
    return BulkForm(movie, room, first, last, times, fmt, price)


def parse_times(text: str) -> list[time] | None:
    """'13:00, 16:30 19:45' as times; None if any part is not a time."""
    parts = [p for p in re.split(r"[,\s]+", text or "") if p]
    found = []
    for part in parts[:12]:
        match = _TIME.match(part)
        if not match:
            return None
        found.append(time(int(match.group(1)), int(match.group(2))))
    return found


@dataclass(frozen=True)
class DaySlot:
    id: int
    movie_title: str
    starts_at: datetime
    ends_at: datetime
    format: str
    base_price_cents: int
    is_cancelled: bool
    bookings: int


@dataclass(frozen=True)
class RoomDay:
    auditorium_id: int
    auditorium_name: str
    slots: tuple[DaySlot, ...]


def day_schedule(session: Session, actor: Identity, day: date, tz: ZoneInfo) -> list[RoomDay]:
    """Every room's showtimes on a local day, cancelled ones included (marked), for the timeline."""
    require_role(actor, Role.ADMIN.value)
    start, end = local_day_bounds(day, tz)
    booking_counts = (
        select(Booking.showtime_id, func.count().label("n"))
        .where(Booking.status != BookingStatus.CANCELLED.value)
        .group_by(Booking.showtime_id)
        .subquery()
    )
    rows = session.exec(
        select(Showtime, Movie.title, func.coalesce(booking_counts.c.n, 0))
        .join(Movie, Movie.id == Showtime.movie_id)
        .outerjoin(booking_counts, booking_counts.c.showtime_id == Showtime.id)
        .where(Showtime.starts_at >= start, Showtime.starts_at < end)
        .order_by(Showtime.starts_at)
    ).all()
    by_room: dict[int, list[DaySlot]] = defaultdict(list)
    for showtime, title, bookings in rows:
        by_room[showtime.auditorium_id].append(
            DaySlot(
                showtime.id,
                title,
                showtime.starts_at,
                showtime.ends_at,
                showtime.format,
                showtime.base_price_cents,
                showtime.is_cancelled,
                bookings,
            )
        )
    rooms = session.exec(select(Auditorium).order_by(Auditorium.name)).all()
    return [RoomDay(room.id, room.name, tuple(by_room.get(room.id, ()))) for room in rooms]


def schedule_choices(session: Session, actor: Identity) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """What the schedule form offers: films in the catalog, and rooms."""
    require_role(actor, Role.ADMIN.value)
    movies = session.exec(
        select(Movie.id, Movie.title).where(col(Movie.deleted_at).is_(None)).order_by(Movie.title)
    ).all()
    rooms = session.exec(select(Auditorium.id, Auditorium.name).order_by(Auditorium.name)).all()
    return [tuple(m) for m in movies], [tuple(r) for r in rooms]


def showtime_for_editing(session: Session, actor: Identity, showtime_id: int) -> Showtime:
    require_role(actor, Role.ADMIN.value)
    showtime = session.get(Showtime, showtime_id)
    if showtime is None:
        raise NotFound("That showtime does not exist.")
    return showtime
