"""The moviegoer's endpoints: hold seats, quote, pay, and their own bookings and tickets.

The same services as the seat picker and the bookings pages (``services.bookings``,
``services.checkout``), so the limits (seats per showtime, couple seats held together), the
prices and the refunds are the website's. After every seat change the open browser seat maps
are told (``services.seat_changes.tell_seat_maps``, as ``live.seat_maps.announce`` does for the
pages), so a seat held or sold here shows as such there at once.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Body, Header, Path, Query, Response
from pydantic import BaseModel, Field

from moviebook.api.deps import Address, Caller
from moviebook.api.problems import ApiProblem, FieldError, Problem
from moviebook.api.schemas import MAX_ID, RowId, text
from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import SalesChannel, utcnow
from moviebook.services.bookings import (
    BookingSummary,
    bookings_of,
    cancel_booking,
    confirm_sale,
    customer_refund_cents,
    hold_seats,
    release_seats,
    summary_ics,
    why_not_cancellable,
)
from moviebook.services.checkout import Checkout, TicketOption, bookable_showtime, quote_held, ticket_options
from moviebook.services.clock import local_today
from moviebook.services.errors import Conflict, FormInvalid
from moviebook.services.holds import HoldStore, SeatTaken, hold_store
from moviebook.services.live_seats import booked_seat_ids
from moviebook.services.payments import SimulatedProvider, parse_card
from moviebook.services.promotions import customer_key
from moviebook.services.seat_changes import tell_seat_maps
from moviebook.services.seatmap import showtime_seat_map
from moviebook.services.tickets import qr_svg

router = APIRouter(tags=["moviegoer"])

# The payment provider of this installation (the seat picker's is the same simulated one).
PAYMENTS = SimulatedProvider()

ShowtimeId = Annotated[int, Path(ge=1, le=MAX_ID, description="A showtime's id.")]
BookingId = Annotated[int, Path(ge=1, le=MAX_ID, description="One of your bookings.")]
SeatIds = Annotated[list[RowId], Field(min_length=1, max_length=50)]

PROBLEM = {"model": Problem}
CALLER = {401: {"model": Problem}, 422: {"model": Problem}, 429: {"model": Problem}}
SHOWTIME = {**CALLER, 404: {"model": Problem}, 409: {"model": Problem}}


class HoldsIn(BaseModel):
    seat_ids: SeatIds


class ReleaseIn(BaseModel):
    seat_ids: list[RowId] = Field(default_factory=list, max_length=50, description="None: all of yours.")


class HoldsOut(BaseModel):
    showtime_id: int
    seat_ids: list[int] = Field(description="Every seat you hold on this showtime now.")
    seconds_left: int = Field(description="Until your earliest hold runs out (0: nothing held).")
    version: int = Field(description="The showtime's seat-state version after the change.")


class TicketChoice(BaseModel):
    seat_id: RowId
    ticket_type_id: RowId


class QuoteIn(BaseModel):
    tickets: list[TicketChoice] = Field(
        default_factory=list, max_length=50, description="A ticket type per held seat; the default type otherwise."
    )
    promo_code: text(32) = ""


class CardIn(BaseModel):
    """The simulated card: 4242 4242 4242 4242 is accepted, 4000 0000 0000 0002 declined."""

    card_number: text(40) = Field(examples=["4242 4242 4242 4242"])
    expiry: text(10) = Field(examples=["12/39"], description="MM/YY")
    cvc: text(4) = Field(examples=["123"])
    card_name: text(100) = Field(examples=["Ann Smith"])


class ConfirmIn(QuoteIn):
    card: CardIn


class QuoteLine(BaseModel):
    seat_id: int
    label: str
    seat_type: str
    ticket_type_id: int | None
    ticket_type_name: str
    unit_cents: int
    discount_cents: int
    fee_cents: int
    total_cents: int


class TicketTypeOut(BaseModel):
    id: int
    name: str
    door_note: str
    refusal: str | None = Field(description="Why this film cannot sell it, or null.")


class QuoteOut(BaseModel):
    lines: list[QuoteLine] = Field(description="Your held seats, priced; empty when you hold none.")
    subtotal_cents: int
    discount_cents: int
    fee_cents: int
    total_cents: int
    currency: str
    promo_code: str | None = Field(description="The code applied, or null.")
    promo_problem: str | None = Field(description="Why the code sent does not apply, or null.")
    age_note: str | None
    ticket_types: list[TicketTypeOut]
    seconds_left: int


class BookingOut(BaseModel):
    id: int
    code: str = Field(examples=["ABCD-EFGH"])
    status: str = Field(examples=["confirmed", "cancelled", "completed"])
    showtime_id: int
    movie_title: str
    starts_at: datetime
    ends_at: datetime
    auditorium: str
    seats: list[str] = Field(examples=[["C5", "C6"]])
    total_cents: int
    fee_cents: int
    refund_cents: int
    cancel_reason: str | None
    channel: str
    can_cancel: bool
    cancel_refund_cents: int = Field(description="What cancelling now would give back.")


class BookingList(BaseModel):
    items: list[BookingOut]


class TicketOut(BaseModel):
    booking_id: int
    code: str
    status: str
    cinema: str
    movie_title: str
    starts_at: datetime
    ends_at: datetime
    auditorium: str
    seats: list[str]
    qr_svg: str = Field(description="The QR code (of the booking code) as SVG, at this path.")
    ics: str = Field(description="The calendar entry, at this path.")


# --- helpers ----------------------------------------------------------------------------------


def _holds_out(store: HoldStore, showtime_id: int, user_id: int) -> HoldsOut:
    return HoldsOut(
        showtime_id=showtime_id,
        seat_ids=store.held_by(showtime_id, user_id),
        seconds_left=store.seconds_left(showtime_id, user_id),
        version=store.version(showtime_id),
    )


def _chosen(tickets: list[TicketChoice]) -> dict[int, int]:
    seen: dict[int, int] = {}
    errors = []
    for index, ticket in enumerate(tickets):
        if ticket.seat_id in seen:
            errors.append(FieldError(field=f"tickets.{index}.seat_id", message="This seat is listed twice."))
        seen[ticket.seat_id] = ticket.ticket_type_id
    if errors:
        raise ApiProblem(422, "invalid-request", "Some fields are not right; see errors.", errors=errors)
    return seen


def _booking_out(summary: BookingSummary) -> BookingOut:
    settings = get_settings()
    refusal = why_not_cancellable(
        summary.status,
        summary.starts_at,
        summary.ends_at,
        now=utcnow(),
        customer_cutoff=timedelta(minutes=settings.cancel_cutoff_minutes),
        channel=summary.channel,
    )
    return BookingOut(
        id=summary.id,
        code=summary.code,
        status=summary.status,
        showtime_id=summary.showtime_id,
        movie_title=summary.movie_title,
        starts_at=summary.starts_at,
        ends_at=summary.ends_at,
        auditorium=summary.auditorium_name,
        seats=list(summary.seats),
        total_cents=summary.total_cents,
        fee_cents=summary.fee_cents,
        refund_cents=summary.refund_cents,
        cancel_reason=summary.cancel_reason,
        channel=summary.channel,
        can_cancel=refusal is None,
        cancel_refund_cents=customer_refund_cents(
            summary.total_cents, summary.fee_cents, refund_fee=settings.refund_booking_fee
        ),
    )


def _not_found() -> ApiProblem:
    return ApiProblem(404, "not-found", "We could not find that booking.")


def _summary(user_id: int, booking_id: int) -> BookingSummary:
    """One of the caller's bookings; someone else's is 404, the same answer as none."""
    with session_scope() as session:
        found = bookings_of(session, user_id, booking_id)
    if not found:
        raise _not_found()
    return found[0]


def _option_out(option: TicketOption) -> TicketTypeOut:
    return TicketTypeOut(id=option.id, name=option.name, door_note=option.door_note, refusal=option.refusal)


def _quote_out(checkout: Checkout, seconds_left: int) -> QuoteOut:
    order = checkout.order
    return QuoteOut(
        lines=[
            QuoteLine(
                seat_id=line.seat_id,
                label=line.label,
                seat_type=line.seat_type,
                ticket_type_id=line.ticket_type_id,
                ticket_type_name=line.ticket_type_name,
                unit_cents=line.unit_cents,
                discount_cents=line.discount_cents,
                fee_cents=line.fee_cents,
                total_cents=line.total_cents,
            )
            for line in order.lines
        ],
        subtotal_cents=order.subtotal_cents,
        discount_cents=order.discount_cents,
        fee_cents=order.fee_cents,
        total_cents=order.total_cents,
        currency=get_settings().currency,
        promo_code=checkout.promotion_code or None,
        promo_problem=checkout.promotion_problem,
        age_note=checkout.age_note,
        ticket_types=[_option_out(o) for o in checkout.options],
        seconds_left=seconds_left,
    )


# --- holds ------------------------------------------------------------------------------------


@router.post("/showtimes/{showtime_id}/holds", response_model=HoldsOut, responses=SHOWTIME)
def hold(showtime_id: ShowtimeId, body: HoldsIn, me: Caller) -> HoldsOut:
    """Hold these seats for you, all or none. A couple seat is held with its partner. At most the
    cinema's limit per showtime (409 `too-many-seats`); a seat someone else holds or bought is
    409 `seat-taken`, naming it. Holds run out after a few minutes unless you confirm."""
    store = hold_store()
    with session_scope() as session:
        layout = showtime_seat_map(session, showtime_id)
        labels = {s.id: f"{s.row_label}{s.number}" for s in layout.seats}
        unknown = [
            FieldError(field=f"seat_ids.{i}", message="Not a seat of this showtime's room.")
            for i, seat_id in enumerate(body.seat_ids)
            if seat_id not in labels
        ]
        if unknown:
            raise ApiProblem(422, "invalid-request", "Some seats are not in this showtime's room.", errors=unknown)
        try:
            hold_seats(session, store, showtime_id=showtime_id, user_id=me.user_id, seat_ids=body.seat_ids)
        except SeatTaken as taken:
            label = labels.get(taken.seat_id, str(taken.seat_id))
            raise ApiProblem(409, "seat-taken", f"Seat {label} is held by someone else. Nothing was held.") from taken
        except Conflict as sold:
            booked = sorted(labels[s] for s in booked_seat_ids(session, showtime_id, body.seat_ids))
            which = f"Seat {', '.join(booked)} has" if booked else "A seat you chose has"
            raise ApiProblem(409, "seat-taken", f"{which} just been sold. Nothing was held.") from sold
    tell_seat_maps(showtime_id)  # as the seat picker's announce does after a hold
    return _holds_out(store, showtime_id, me.user_id)


@router.delete("/showtimes/{showtime_id}/holds", response_model=HoldsOut, responses=SHOWTIME)
def release(
    showtime_id: ShowtimeId,
    me: Caller,
    seat_ids: Annotated[list[RowId] | None, Query(max_length=50, description="Seats to give back.")] = None,
    body: Annotated[ReleaseIn | None, Body(description="Or the seats in the body.")] = None,
) -> HoldsOut:
    """Give back some of your holds (a couple seat with its partner), or all of them when no
    seat is named. Seats you do not hold are left alone."""
    store = hold_store()
    chosen = list(seat_ids or []) + list(body.seat_ids if body else [])
    with session_scope() as session:
        bookable_showtime(session, showtime_id, utcnow())  # unknown: 404; over: 409
        wanted = chosen or store.held_by(showtime_id, me.user_id)
        release_seats(session, store, showtime_id=showtime_id, user_id=me.user_id, seat_ids=wanted)
    tell_seat_maps(showtime_id)
    return _holds_out(store, showtime_id, me.user_id)


# --- quote and confirm -----------------------------------------------------------------------


@router.get("/showtimes/{showtime_id}/ticket-types", response_model=list[TicketTypeOut], responses=SHOWTIME)
def ticket_types(showtime_id: ShowtimeId, me: Caller) -> list[TicketTypeOut]:
    """The ticket types on sale, as this showtime's film offers them (some are refused by its rating)."""
    with session_scope() as session:
        layout = showtime_seat_map(session, showtime_id)
        options = ticket_options(session, layout.showtime.age_rating)
    return [_option_out(o) for o in options]


@router.post("/showtimes/{showtime_id}/quote", response_model=QuoteOut, responses=SHOWTIME)
def quote(showtime_id: ShowtimeId, body: QuoteIn, me: Caller) -> QuoteOut:
    """What your held seats cost with these ticket types and code: the same figures the confirm
    charges. A code that does not apply is reported in `promo_problem`, not refused."""
    store = hold_store()
    chosen = _chosen(body.tickets)
    with session_scope() as session:
        bookable_showtime(session, showtime_id, utcnow())
        checkout = quote_held(
            session,
            store,
            showtime_id=showtime_id,
            holder_id=me.user_id,
            channel=SalesChannel.ONLINE.value,
            chosen_types=chosen,
            promo_code=body.promo_code,
            customer=customer_key(user_id=me.user_id, email=None),
        )
    return _quote_out(checkout, store.seconds_left(showtime_id, me.user_id) if checkout.order.lines else 0)


IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        pattern=r"^[A-Za-z0-9_-]{8,100}$",
        description="One per purchase (8 to 100 of A-Z a-z 0-9 _ -). Sent again, it returns the same booking.",
    ),
]


@router.post(
    "/showtimes/{showtime_id}/confirm",
    status_code=201,
    response_model=BookingOut,
    responses={200: {"model": BookingOut, "description": "A retry: the key's booking."}, 402: PROBLEM, **SHOWTIME},
)
def confirm(
    showtime_id: ShowtimeId,
    body: ConfirmIn,
    me: Caller,
    address: Address,
    response: Response,
    idempotency_key: IdempotencyKey,
) -> BookingOut:
    """Pay for the seats you hold: they become one booking (201). The same `Idempotency-Key`
    again returns that booking (200) and charges nothing. A declined card is 402; holds that ran
    out are 409 `hold-lost`; a bad card field is 422 naming it (`card.card_number`, ...)."""
    chosen = _chosen(body.tickets)
    try:
        card = parse_card(body.card.model_dump(), local_today(get_settings().timezone))
    except FormInvalid as invalid:
        raise FormInvalid({f"card.{field}": message for field, message in invalid.errors.items()}) from invalid
    # Stored hashed: any length of key fits the column, and one client's key never looks like a page's.
    key = hashlib.sha256(idempotency_key.encode()).hexdigest()
    try:
        with session_scope() as session:
            outcome = confirm_sale(
                session,
                hold_store(),
                PAYMENTS,
                showtime_id=showtime_id,
                user_id=me.user_id,
                idempotency_key=key,
                card=card,
                chosen_types=chosen,
                promo_code=body.promo_code,
                ip=address,
            )
            booking_id, sold_on = outcome.booking.id, outcome.booking.showtime_id
    except Conflict:
        tell_seat_maps(showtime_id)  # a seat sold under us: its holds were given back
        raise
    if sold_on != showtime_id:
        raise ApiProblem(422, "idempotency-key-reused", "That Idempotency-Key was used for another showtime.")
    if outcome.created:
        tell_seat_maps(showtime_id)  # held → sold, on every open map
    response.status_code = 201 if outcome.created else 200
    return _booking_out(_summary(me.user_id, booking_id))


# --- my bookings -----------------------------------------------------------------------------


@router.get("/me/bookings", response_model=BookingList, responses=CALLER)
def my_bookings(me: Caller) -> BookingList:
    """Your bookings, the latest showtime first."""
    with session_scope() as session:
        summaries = bookings_of(session, me.user_id)
    return BookingList(items=[_booking_out(s) for s in summaries])


@router.get("/me/bookings/{booking_id}", response_model=BookingOut, responses={**CALLER, 404: {"model": Problem}})
def my_booking(booking_id: BookingId, me: Caller) -> BookingOut:
    return _booking_out(_summary(me.user_id, booking_id))


@router.post(
    "/me/bookings/{booking_id}/cancel",
    response_model=BookingOut,
    responses={**CALLER, 404: {"model": Problem}},
)
def cancel(booking_id: BookingId, me: Caller, address: Address) -> BookingOut:
    """Cancel your booking, up to the cinema's cut-off before the start (422 after it). The
    refund is the total, less the booking fee unless the cinema refunds fees."""
    settings = get_settings()
    with session_scope() as session:
        booking = cancel_booking(
            session,
            user_id=me.user_id,
            booking_id=booking_id,
            cutoff=timedelta(minutes=settings.cancel_cutoff_minutes),
            refund_fee=settings.refund_booking_fee,
            ip=address,
        )
        showtime_id = booking.showtime_id
    tell_seat_maps(showtime_id)  # the seats are free again for everyone looking
    return _booking_out(_summary(me.user_id, booking_id))


@router.get("/me/bookings/{booking_id}/ticket", response_model=TicketOut, responses={**CALLER, 404: {"model": Problem}})
def ticket(booking_id: BookingId, me: Caller) -> TicketOut:
    summary = _summary(me.user_id, booking_id)
    return TicketOut(
        booking_id=summary.id,
        code=summary.code,
        status=summary.status,
        cinema=get_settings().cinema_name,
        movie_title=summary.movie_title,
        starts_at=summary.starts_at,
        ends_at=summary.ends_at,
        auditorium=summary.auditorium_name,
        seats=list(summary.seats),
        qr_svg=f"/api/v1/me/bookings/{summary.id}/ticket.svg",
        ics=f"/api/v1/me/bookings/{summary.id}/ticket.ics",
    )


def _file(media_type: str, description: str) -> dict:
    return {200: {"content": {media_type: {"schema": {"type": "string"}}}, "description": description}}


@router.get(
    "/me/bookings/{booking_id}/ticket.ics",
    response_class=Response,
    responses={**_file("text/calendar", "An iCalendar event."), **CALLER, 404: {"model": Problem}},
)
def ticket_ics(booking_id: BookingId, me: Caller) -> Response:
    summary = _summary(me.user_id, booking_id)
    return Response(
        summary_ics(summary, get_settings().cinema_name),
        media_type="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="moviebook-{summary.code}.ics"'},
    )


@router.get(
    "/me/bookings/{booking_id}/ticket.svg",
    response_class=Response,
    responses={**_file("image/svg+xml", "The booking code as a QR code."), **CALLER, 404: {"model": Problem}},
)
def ticket_svg(booking_id: BookingId, me: Caller) -> Response:
    summary = _summary(me.user_id, booking_id)
    return Response(qr_svg(summary.code), media_type="image/svg+xml")
