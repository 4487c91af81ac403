"""Which optional emails a customer gets, and the signed unsubscribe links in them.

Reminders are on by default (``User.email_reminders``); the account page switches them, and
every reminder carries an unsubscribe link that needs no login: a PyJWT token signed with the
app's secret, with a pinned algorithm, ``iat``, ``exp`` and its own type, so a session token
can never be used as one nor one as a session. It can only turn something *off* (reminders, or
one waiting-list entry), so there is nothing to revoke: a leaked link lets a stranger do what
the owner asked for anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import jwt
from sqlmodel import Session, select

from moviebook.models import User, WaitingListEntry
from moviebook.services import audit
from moviebook.services.errors import DomainError
from moviebook.services.tokens import ALGORITHM, ISSUER

UNSUBSCRIBE = "unsubscribe"
REMINDERS = "reminders"
WAITING_LIST = "waiting_list"
LINK_LIFETIME = timedelta(days=365)  # long: people open old mails; the worst it does is switch off
UNSUBSCRIBE_PATH = "/unsubscribe"


class BadUnsubscribeLink(DomainError):
    """The link is broken, tampered with or too old; the message says what to do instead."""


@dataclass(frozen=True)
class Unsubscribed:
    what: str  # REMINDERS or WAITING_LIST
    message: str  # what was done, in words


def unsubscribe_token(
    secret: str, user_id: int, what: str = REMINDERS, *, showtime_id: int | None = None, now: datetime | None = None
) -> str:
    now = now or datetime.now(timezone.utc)
    claims = {
        "iss": ISSUER,
        "typ": UNSUBSCRIBE,
        "sub": str(user_id),
        "what": what,
        "iat": int(now.timestamp()),
        "exp": int((now + LINK_LIFETIME).timestamp()),
    }
    if showtime_id is not None:
        claims["show"] = showtime_id
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def unsubscribe_url(site_url: str, token: str) -> str:
    return f"{site_url}{UNSUBSCRIBE_PATH}?token={quote(token, safe='')}"


def _claims(secret: str, token: str) -> dict:
    broken = BadUnsubscribeLink(
        "This unsubscribe link is not valid. It may have been cut short when it was copied: open it "
        "again from the email, or sign in and change your email settings on My account."
    )
    if not isinstance(token, str) or not token.strip() or len(token) > 2048:
        raise broken
    try:
        claims = jwt.decode(
            token.strip(),
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "typ", "iss", "what"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise BadUnsubscribeLink(
            "This unsubscribe link has expired. Sign in and change your email settings on My account."
        ) from exc
    except jwt.PyJWTError as exc:
        raise broken from exc
    if claims["typ"] != UNSUBSCRIBE or not str(claims["sub"]).isdecimal():
        raise broken
    if claims["what"] == WAITING_LIST and not isinstance(claims.get("show"), int):
        raise broken
    if claims["what"] not in (REMINDERS, WAITING_LIST):
        raise broken
    return claims


def unsubscribe(session: Session, secret: str, token: str) -> Unsubscribed:
    """Follow an unsubscribe link: reminders off, or off this showtime's waiting list. Doing it
    twice is fine (the second time says the same)."""
    claims = _claims(secret, token)
    user = session.get(User, int(claims["sub"]))
    if user is None:
        raise BadUnsubscribeLink("The account of this link no longer exists, so it gets no emails.")
    if claims["what"] == WAITING_LIST:
        entry = session.exec(
            select(WaitingListEntry).where(
                WaitingListEntry.user_id == user.id, WaitingListEntry.showtime_id == claims["show"]
            )
        ).first()
        if entry is not None:
            session.delete(entry)
            session.flush()
        return Unsubscribed(
            WAITING_LIST, "You have left the waiting list of this show. We will not email you about it."
        )
    set_email_reminders(session, user.id, False)
    return Unsubscribed(
        REMINDERS,
        "Reminders are off: we will no longer email you before your shows. "
        "You still get your tickets and news about your bookings. Turn reminders back on in My account.",
    )


def email_reminders_of(session: Session, user_id: int) -> bool:
    user = session.get(User, user_id)
    return bool(user and user.email_reminders)


def set_email_reminders(session: Session, user_id: int, on: bool) -> bool:
    """Switch the user's own reminders on or off; returns the setting now."""
    user = session.exec(select(User).where(User.id == user_id).with_for_update()).first()
    if user is None:
        raise DomainError("We could not find your account.")
    if user.email_reminders != on:
        audit.record(
            session,
            "user.email_reminders",
            actor_id=user.id,
            entity_type="user",
            entity_id=user.id,
            old={"email_reminders": user.email_reminders},
            new={"email_reminders": on},
        )
        user.email_reminders = on
        session.flush()
    return user.email_reminders
