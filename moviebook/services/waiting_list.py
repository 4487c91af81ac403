"""The waiting list of a full showtime: who asked to be told when seats come free, and in what order.

The rules, all here:
- One may join only when the showtime is upcoming and has fewer free seats than one wants
  (1 to the per-booking maximum); otherwise there is nothing to wait for. Joining again changes
  how many seats one wants and keeps one's place. One entry per person and showtime.
- When seats come free (a cancellation by the customer or an admin, a hold given back or run
  out), the showtime's ``seat_openings`` grows by one: that is an *opening*. The people waiting
  are then taken in the order they joined; each one whose wish fits in the seats still unclaimed
  by those before them is emailed (with a link to the map) and claims that many. Someone who
  wants more than is left is passed over this time, not blocking those behind who want fewer.
- Each entry is emailed at most once per opening (``notified_opening``); a later opening may
  email them again if they are still waiting.
- The list ends when the show starts (or is cancelled): no mails after that. Someone who has
  bought seats of the showtime since joining is not told again.

Openings on a showtime nobody waits for are not counted (nothing would differ: a person who
joins starts at the current count), so a hold given back costs one indexed read and no write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from moviebook.models import Booking, BookingStatus, Showtime, WaitingListEntry, utcnow
from moviebook.services import notifications
from moviebook.services.checkout import bookable_showtime
from moviebook.services.errors import DomainError
from moviebook.services.holds import HoldStore, hold_store
from moviebook.services.live_seats import live_seats


@dataclass(frozen=True)
class Opening:
    opening: int  # the showtime's seat_openings after this one (0: nothing was counted)
    free: int
    notified: tuple[int, ...]  # user ids emailed, in order


def _lock_upcoming(session: Session, showtime_id: int, now: datetime) -> Showtime:
    """The showtime, locked (joins and openings of one showtime queue up), if it is still on sale."""
    # populate_existing: a row loaded earlier in this session is re-read, not trusted stale; the
    # check below then finds this fresh row in the session.
    session.exec(
        select(Showtime).where(Showtime.id == showtime_id).with_for_update().execution_options(populate_existing=True)
    ).first()
    return bookable_showtime(session, showtime_id, now)


def entry_of(session: Session, user_id: int, showtime_id: int) -> WaitingListEntry | None:
    return session.exec(
        select(WaitingListEntry).where(WaitingListEntry.user_id == user_id, WaitingListEntry.showtime_id == showtime_id)
    ).first()


def join(
    session: Session,
    store: HoldStore,
    *,
    user_id: int,
    showtime_id: int,
    seats_wanted: int,
    max_seats: int,
    now: datetime | None = None,
) -> WaitingListEntry:
    """Put the user on the showtime's waiting list for ``seats_wanted`` seats (or change how many)."""
    now = now or utcnow()
    if not 1 <= seats_wanted <= max_seats:
        raise DomainError(f"Choose how many seats you want: 1 to {max_seats}.")
    showtime = _lock_upcoming(session, showtime_id, now)
    free = live_seats(session, store, showtime_id).free
    if free >= seats_wanted:
        seats = "seat is" if free == 1 else "seats are"
        raise DomainError(f"{free} {seats} free right now: choose them on the map.")
    entry = entry_of(session, user_id, showtime_id)
    if entry is None:
        entry = WaitingListEntry(showtime_id=showtime_id, user_id=user_id)
        session.add(entry)
    entry.seats_wanted = seats_wanted
    # Told about nothing yet: the next opening is the first one that concerns them.
    entry.notified_opening = showtime.seat_openings
    session.flush()
    return entry


def leave(session: Session, *, user_id: int, showtime_id: int) -> bool:
    """Take the user off the list; False when they were not on it (still fine)."""
    entry = entry_of(session, user_id, showtime_id)
    if entry is None:
        return False
    session.delete(entry)
    session.flush()
    return True


def _booked_since_joining():
    """Someone who has bought seats of the showtime since joining has what they waited for."""
    return (
        select(Booking.id)
        .where(
            Booking.user_id == WaitingListEntry.user_id,
            Booking.showtime_id == WaitingListEntry.showtime_id,
            Booking.status == BookingStatus.CONFIRMED.value,
            Booking.created_at >= WaitingListEntry.created_at,
        )
        .exists()
    )


def seats_came_free(
    session: Session, showtime_id: int, *, store: HoldStore | None = None, now: datetime | None = None
) -> Opening:
    """Count an opening and email the first people waiting whose wish now fits, in the caller's
    transaction (so a change that rolls back tells nobody). Call after the seats are free: a
    cancel's seats flushed inactive, or a hold removed from Redis."""
    now = now or utcnow()
    anyone = session.exec(select(WaitingListEntry.id).where(WaitingListEntry.showtime_id == showtime_id)).first()
    if anyone is None:
        return Opening(0, 0, ())
    # The lock orders openings (and joins) of one showtime: each entry is looked at once per opening.
    # populate_existing: the caller may have loaded the showtime before the lock (a cancel does), and
    # a stale seat_openings would repeat an opening that another transaction has just counted.
    showtime = session.exec(
        select(Showtime).where(Showtime.id == showtime_id).with_for_update().execution_options(populate_existing=True)
    ).first()
    if showtime is None or showtime.is_cancelled or showtime.starts_at <= now:
        return Opening(0, 0, ())  # the list has ended
    showtime.seat_openings += 1
    free = live_seats(session, store or hold_store(), showtime_id).free
    waiting = session.exec(
        select(WaitingListEntry)
        .where(
            WaitingListEntry.showtime_id == showtime_id,
            WaitingListEntry.notified_opening < showtime.seat_openings,
            ~_booked_since_joining(),
        )
        .order_by(col(WaitingListEntry.created_at), col(WaitingListEntry.id))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    left, notified = free, []
    for entry in waiting:
        if left <= 0:
            break
        if entry.seats_wanted > left:
            continue
        if notifications.waiting_list_opening(session, entry, showtime, free=free):
            notified.append(entry.user_id)
            left -= entry.seats_wanted
        entry.notified_opening = showtime.seat_openings
    session.flush()
    return Opening(showtime.seat_openings, free, tuple(notified))
