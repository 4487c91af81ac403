"""Which emails a change causes, queued in the change's own transaction (see ``outbox``)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from moviebook.config import get_settings
from moviebook.models import Auditorium, Booking, BookingSeat, Movie, Promotion, Seat, Showtime, User
from moviebook.services import outbox
from moviebook.services.mail_render import render
from moviebook.services.money import format_cents
from moviebook.services.tickets import booking_ics, qr_png

QR_CID = "ticket-qr"


def recipient_of(session: Session, booking: Booking) -> str | None:
    """Who hears about a booking: the account's email, or the email given at the counter."""
    if booking.user_id is not None:
        user = session.get(User, booking.user_id)
        return user.email if user else None
    return booking.customer_email


def _booking_context(session: Session, booking: Booking) -> dict:
    settings = get_settings()
    showtime = session.get(Showtime, booking.showtime_id)
    movie = session.get(Movie, showtime.movie_id)
    room = session.get(Auditorium, showtime.auditorium_id)
    seats = session.exec(
        select(BookingSeat, Seat.row_label, Seat.number)
        .join(Seat, Seat.id == BookingSeat.seat_id)
        .where(BookingSeat.booking_id == booking.id)
        .order_by(col(Seat.y), col(Seat.x))
    ).all()
    money = lambda cents: format_cents(cents, settings.currency)  # noqa: E731
    promo = session.get(Promotion, booking.promotion_id) if booking.promotion_id else None
    local = showtime.starts_at.astimezone(settings.timezone)
    return {
        "title": movie.title,
        "when": local.strftime("%A %d %B %Y, %H:%M").replace(" 0", " "),
        "room": room.name,
        "code": booking.code,
        "lines": [
            {
                "seat": f"{row}{number}",
                "ticket": seat.ticket_type_name,
                "price": money(seat.price_cents + seat.fee_cents),
            }
            for seat, row, number in seats
        ],
        "seat_labels": ", ".join(f"{row}{number}" for _, row, number in seats),
        "discount": money(booking.discount_cents) if booking.discount_cents else "",
        "promo": promo.code if promo else "",
        "fee": money(booking.fee_cents) if booking.fee_cents else "",
        "total": money(booking.total_cents),
        "ticket_url": f"{settings.site_url}/bookings/{booking.id}",
        "showtime": showtime,
    }


def booking_confirmed(session: Session, booking: Booking) -> None:
    """The ticket by email: seats, code, a QR image and the .ics, queued with the sale."""
    to = recipient_of(session, booking)
    if not to:
        return  # a counter sale without an email: the printed ticket is the ticket
    context = _booking_context(session, booking)
    showtime = context.pop("showtime")
    ics = booking_ics(
        code=booking.code,
        title=context["title"],
        starts_at=showtime.starts_at,
        ends_at=showtime.ends_at,
        place=context["room"],
        seats=context["seat_labels"],
        cinema=get_settings().cinema_name,
    )
    mail = render(
        "booking_confirmed",
        to,
        f"Your tickets for {context['title']} · {booking.code}",
        qr_cid=QR_CID,
        attachments=(
            outbox.Attachment("ticket-qr.png", "image/png", qr_png(booking.code), inline_id=QR_CID),
            outbox.Attachment(f"moviebook-{booking.code}.ics", "text/calendar", ics.encode()),
        ),
        **context,
    )
    outbox.enqueue(session, "booking_confirmed", mail, dedupe_key=f"booking_confirmed:{booking.id}")
