"""The reminder email, ``REMINDER_HOURS`` before the show (a periodic job, ``live.jobs``).

Sent once per booking: the mail is queued and ``Booking.reminded_at`` set in one transaction,
and the booking rows are taken with ``FOR UPDATE SKIP LOCKED``, so two workers running the job
at once (the lease should prevent it anyway) never both pick the same booking. Only confirmed
online bookings of an account whose owner has reminders on (``User.email_reminders``) get one;
a booking made inside the window still gets its reminder on the next run.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from moviebook.models import Booking, BookingStatus, Showtime, User, utcnow
from moviebook.services import notifications

BATCH = 200


def due_reminders(session: Session, *, hours: int, now: datetime, limit: int = BATCH) -> list[Booking]:
    """Bookings whose reminder is due now, locked for this transaction (others skip them)."""
    return list(
        session.exec(
            select(Booking)
            .join(Showtime, Showtime.id == Booking.showtime_id)
            .join(User, User.id == Booking.user_id)
            .where(
                Booking.status == BookingStatus.CONFIRMED.value,
                col(Booking.reminded_at).is_(None),
                col(Showtime.is_cancelled).is_(False),
                Showtime.starts_at > now,
                Showtime.starts_at <= now + timedelta(hours=hours),
                col(User.email_reminders).is_(True),
                col(User.is_active).is_(True),
            )
            .order_by(col(Showtime.starts_at), col(Booking.id))
            .limit(limit)
            .with_for_update(skip_locked=True, of=Booking)
        )
    )


def send_due_reminders(session: Session, *, hours: int, now: datetime | None = None) -> int:
    """Queue every due reminder in the caller's transaction; returns how many. ``hours`` 0 or less
    turns reminders off for the whole cinema."""
    if hours <= 0:
        return 0
    now = now or utcnow()
    sent = 0
    for booking in due_reminders(session, hours=hours, now=now):
        if notifications.reminder(session, booking, hours):
            sent += 1
        booking.reminded_at = now  # even with no address: looked at once, not every minute
    session.flush()
    return sent
