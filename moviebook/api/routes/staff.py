"""``/staff/reservations`` and ``/staff/checkin``: finding bookings and letting people in at the
door (staff and admins), and ``/admin/reservations/{id}/cancel`` (admins), through the services
the reservations and door pages call."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from moviebook.api.deps import Address, Admin, Staff
from moviebook.api.routes.admin_common import MAX_ID, Id, PageOut, api_fields, refusals
from moviebook.api.schemas import long_text, text
from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import BookingStatus, utcnow
from moviebook.services.checkin import check_in
from moviebook.services.clock import local_today
from moviebook.services.reservations import (
    ReservationFilter,
    admin_cancel_booking,
    check_period,
    search_reservations,
)
from moviebook.services.seat_changes import tell_seat_maps

router = APIRouter(tags=["staff"])

Status = Literal[tuple(s.value for s in BookingStatus)]  # type: ignore[valid-type]
Sort = Literal["starts_at", "created_at", "total", "code", "customer"]


class ReservationOut(BaseModel):
    id: int
    code: str
    customer_name: str
    customer_email: str
    movie_title: str
    showtime_id: int
    starts_at: datetime
    ends_at: datetime
    auditorium_name: str
    seat_count: int
    total_cents: int
    refund_cents: int
    status: str = Field(examples=[s.value for s in BookingStatus])
    checked_in_at: datetime | None


class CancelIn(BaseModel):
    reason: long_text(1000) = Field(description="Shown to the customer: 3 to 300 characters.")


class CancelledOut(BaseModel):
    id: int
    status: str
    refund_cents: int


class CheckinIn(BaseModel):
    code: text(40) = Field(examples=["ABCD-EF23"], description="Case, spaces and dashes are forgiven.")
    showtime_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="The show this door is for; omitted: any of today's."
    )


class VerdictOut(BaseModel):
    """The door page's verdict. ``kind`` is ``checked_in`` when this call let them in; otherwise
    it says why not, and nothing changed."""

    kind: Literal["checked_in", "already_checked_in", "cancelled", "wrong_showtime", "wrong_day", "unknown", "valid"]
    headline: str
    detail: str
    code: str
    booking_id: int | None
    customer: str
    movie: str
    showtime_id: int | None
    when: str = Field(description="The showtime, in the cinema's time zone, as the door page says it.")
    room: str
    seats: list[str]
    checked_in_at: datetime | None
    checked_in_by: str


@router.get("/staff/reservations", response_model=PageOut[ReservationOut], responses=refusals())
def reservations(
    me: Staff,
    start: Annotated[date | None, Query(alias="from", description="First cinema-local day of the showtimes.")] = None,
    end: Annotated[date | None, Query(alias="to", description="Last day, inclusive.")] = None,
    movie_id: int | None = Query(default=None, ge=1, le=2**31 - 1),
    showtime_id: int | None = Query(default=None, ge=1, le=2**31 - 1),
    status: Status | None = None,
    q: Annotated[text(100), Query(description="Part of a booking code or the customer's email.")] = "",
    sort: Sort = "starts_at",
    descending: bool = False,
    page: int = Query(default=1, ge=1, le=100_000),
    page_size: int = Query(default=25, ge=1, le=100),
) -> PageOut[ReservationOut]:
    """Bookings, filtered and sorted as on the reservations page."""
    with api_fields({"start": "from", "end": "to"}):
        check_period(start, end)
    flt = ReservationFilter(
        start=start, end=end, movie_id=movie_id, showtime_id=showtime_id, status=status or "", query=q
    )
    with session_scope() as session:
        found = search_reservations(
            session,
            me,
            flt,
            tz=get_settings().timezone,
            sort=sort,
            descending=descending,
            page=page,
            page_size=page_size,
        )
    return PageOut[ReservationOut](
        items=[
            ReservationOut(
                id=r.id,
                code=r.code,
                customer_name=r.customer_name,
                customer_email=r.customer_email,
                movie_title=r.movie_title,
                showtime_id=r.showtime_id,
                starts_at=r.starts_at,
                ends_at=r.ends_at,
                auditorium_name=r.auditorium_name,
                seat_count=r.seat_count,
                total_cents=r.total_cents,
                refund_cents=r.refund_cents,
                status=r.status,
                checked_in_at=r.checked_in_at,
            )
            for r in found.rows
        ],
        total=found.total,
        page=found.page,
        pages=found.pages,
    )


@router.post("/admin/reservations/{booking_id}/cancel", response_model=CancelledOut, responses=refusals(404))
def cancel_reservation(booking_id: Id, body: CancelIn, me: Admin, address: Address) -> CancelledOut:
    """Cancel a confirmed booking whose show has not ended: a full refund, the seats back on sale,
    and the customer told the reason (by email and on My bookings)."""
    with session_scope() as session:
        booking = admin_cancel_booking(session, me, booking_id=booking_id, reason=body.reason, now=utcnow(), ip=address)
        out = CancelledOut(id=booking.id, status=booking.status, refund_cents=booking.refund_cents)
        showtime_id = booking.showtime_id
    tell_seat_maps(showtime_id)  # the freed seats show as available on every open seat map
    return out


@router.post("/staff/checkin", response_model=VerdictOut, responses=refusals())
def checkin(body: CheckinIn, me: Staff, address: Address) -> VerdictOut:
    """Check a booking in by its code, as the door page's Check in does: once only, and only for
    today's show (and this door's, when ``showtime_id`` is sent). The verdict says what happened."""
    tz, now = get_settings().timezone, utcnow()
    with session_scope() as session:
        verdict = check_in(
            session,
            me,
            code=body.code,
            showtime_id=body.showtime_id,
            ip=address,
            today=local_today(tz, now),
            tz=tz,
            now=now,
        )
    return VerdictOut(
        kind=verdict.kind,
        headline=verdict.headline,
        detail=verdict.detail,
        code=verdict.code,
        booking_id=verdict.booking_id or None,
        customer=verdict.customer,
        movie=verdict.movie,
        showtime_id=verdict.showtime_id or None,
        when=verdict.when,
        room=verdict.room,
        seats=list(verdict.seats),
        checked_in_at=verdict.checked_in_at,
        checked_in_by=verdict.checked_in_by,
    )
