"""Which emails a change causes, queued in the change's own transaction (see ``outbox``)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from moviebook.config import get_settings
from moviebook.models import (
    Auditorium,
    Booking,
    BookingSeat,
    Movie,
    OutboxMessage,
    PaymentMethod,
    Promotion,
    Seat,
    Showtime,
    User,
    WaitingListEntry,
)
from moviebook.models.base import row_values
from moviebook.services import email_prefs, outbox
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


def _when(showtime: Showtime) -> str:
    """The start in the cinema's time zone, as a mail says it: "Friday 4 December 2026, 19:30"."""
    local = showtime.starts_at.astimezone(get_settings().timezone)
    return local.strftime("%A %d %B %Y, %H:%M").replace(" 0", " ")


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
    return {
        "title": movie.title,
        "when": _when(showtime),
        "room": room.name,
        "code": booking.code,
        "lines": [
            {
                "seat": f"{row}{number}",
                "ticket": seat.ticket_type_name,
                "price": money(seat.price_cents),  # the fee is its own line, so it is not counted twice
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


TICKET = "booking_confirmed"  # the outbox kind of the ticket mail


def ticket_subject(title: str, code: str) -> str:
    return f"Your tickets for {title} · {code}"


def ticket_intent(booking: Booking, to: str, title: str) -> dict:
    """The ticket mail as the sale queues it (an outbox_messages row's values): who, the subject
    and the booking, nothing rendered. The sender renders it (``render_queued``) when it first
    sends it, off the sale's path. ``booking.id`` must be known; the sale writes the row."""
    return row_values(
        OutboxMessage,
        kind=TICKET,
        dedupe_key=f"{TICKET}:{booking.id}",
        to_address=to,
        subject=ticket_subject(title, booking.code)[:200],
        body_text="",
        body_html="",
        attachments=[],
        booking_id=booking.id,
        message_id=outbox.new_message_id(),
    )


def ticket_mail(session: Session, booking: Booking, to: str) -> outbox.Mail:
    """The ticket mail itself: seats, code, a QR image and the .ics."""
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
    return render(
        TICKET,
        to,
        ticket_subject(context["title"], booking.code),
        qr_cid=QR_CID,
        attachments=(
            outbox.Attachment("ticket-qr.png", "image/png", qr_png(booking.code), inline_id=QR_CID),
            outbox.Attachment(f"moviebook-{booking.code}.ics", "text/calendar", ics.encode()),
        ),
        **context,
    )


def needs_rendering(row: OutboxMessage) -> bool:
    return row.booking_id is not None and not row.body_html


def render_queued(session: Session, row: OutboxMessage) -> None:
    """Fill in a queued intent's bodies and attachments (in the sender's transaction, so every
    retry sends what the first attempt rendered). Raises LookupError when its booking is gone."""
    booking = session.get(Booking, row.booking_id)
    if booking is None:
        raise LookupError(f"booking {row.booking_id} no longer exists")
    mail = ticket_mail(session, booking, row.to_address)
    row.body_text, row.body_html = mail.text, mail.html
    row.attachments = outbox.attachment_rows(mail.attachments)


# --- cancellations and refunds -------------------------------------------------------------

# Who cancelled, and so which message the customer gets.
BY_CUSTOMER = "booking_cancelled"  # the customer, on My bookings: the refund, a kept fee said
BY_ADMIN = "booking_cancelled_by_cinema"  # an admin, with the reason they gave
SHOWTIME_CANCELLED = "showtime_cancelled"  # the cinema cancelled the whole showing: full refund

# How the money comes back, by how it was paid.
REFUND_HOW = {
    PaymentMethod.CARD.value: "to the card you paid with; it usually shows within 5 working days",
    PaymentMethod.CASH.value: "in cash at the box office: bring your booking code",
}
# A refund made at the till (``refunded_by`` is set) was handed over there and then.
PAID_OUT_AT_THE_COUNTER = {PaymentMethod.CASH.value: "in cash, paid out at the box office"}

_SUBJECTS = {
    BY_CUSTOMER: "Booking {code} cancelled: {refund} refunded",
    BY_ADMIN: "We have cancelled your booking {code} for {title}",
    SHOWTIME_CANCELLED: "{title} on {when} is cancelled: full refund",
}


def _refund_how(booking: Booking) -> str:
    card = REFUND_HOW[PaymentMethod.CARD.value]
    if booking.refunded_by is not None:
        return PAID_OUT_AT_THE_COUNTER.get(booking.payment_method, card)
    return REFUND_HOW.get(booking.payment_method, card)


def booking_cancelled(session: Session, booking: Booking, kind: str = BY_CUSTOMER) -> None:
    """The cancellation and its refund, queued with the cancel (call after ``refund_in_full``).
    For ``BY_ADMIN`` the reason is the booking's ``cancel_reason``."""
    to = recipient_of(session, booking)
    if not to:
        return
    settings = get_settings()
    context = _booking_context(session, booking)
    context.pop("showtime")
    kept = booking.total_cents - booking.refund_cents
    context.update(
        refund=format_cents(booking.refund_cents, settings.currency),
        kept_fee=format_cents(kept, settings.currency) if kept > 0 else "",
        reason=booking.cancel_reason or "",
        refund_how=_refund_how(booking),
        bookings_url=f"{settings.site_url}/bookings",
        programme_url=f"{settings.site_url}/",
    )
    subject = _SUBJECTS[kind].format(**context)
    outbox.enqueue(session, kind, render(kind, to, subject, **context), dedupe_key=f"{kind}:{booking.id}")


# --- optional messages: reminders and the waiting list --------------------------------------


def _unsubscribe(user_id: int, what: str, showtime_id: int | None = None) -> str:
    settings = get_settings()
    token = email_prefs.unsubscribe_token(settings.secret_key, user_id, what, showtime_id=showtime_id)
    return email_prefs.unsubscribe_url(settings.site_url, token)


def reminder(session: Session, booking: Booking, hours: int) -> bool:
    """The reminder before the show, with an unsubscribe link; False when nobody can get it."""
    user = session.get(User, booking.user_id) if booking.user_id else None
    if user is None:
        return False
    settings = get_settings()
    context = _booking_context(session, booking)
    context.pop("showtime")
    mail = render(
        "reminder",
        user.email,
        f"Reminder: {context['title']} at {context['when'].rsplit(', ', 1)[-1]} · {booking.code}",
        unsubscribe_url=_unsubscribe(user.id, email_prefs.REMINDERS),
        hours=hours,
        account_url=f"{settings.site_url}/account",
        **context,
    )
    outbox.enqueue(session, "reminder", mail, dedupe_key=f"reminder:{booking.id}")
    return True


def waiting_list_opening(session: Session, entry: WaitingListEntry, showtime: Showtime, *, free: int) -> bool:
    """Tell one person waiting that seats of a full showtime came free (once per opening)."""
    user = session.get(User, entry.user_id)
    if user is None or not user.is_active:
        return False
    settings = get_settings()
    movie = session.get(Movie, showtime.movie_id)
    room = session.get(Auditorium, showtime.auditorium_id)
    mail = render(
        "waiting_list_opening",
        user.email,
        f"Seats have come free for {movie.title}",
        unsubscribe_url=_unsubscribe(user.id, email_prefs.WAITING_LIST, showtime.id),
        title=movie.title,
        when=_when(showtime),
        room=room.name,
        seats_wanted=entry.seats_wanted,
        free=free,
        map_url=f"{settings.site_url}/showtimes/{showtime.id}",
    )
    key = f"waiting_list:{entry.id}:{showtime.seat_openings}"
    return outbox.enqueue(session, "waiting_list_opening", mail, dedupe_key=key) is not None
