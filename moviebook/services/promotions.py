"""Promotion codes: whether one applies to an order, and using one up atomically.

A code's limits are checked in words first (``why_not``), so a customer learns why it does not
apply. Redeeming is then one conditional UPDATE in the sale's transaction: when fifty buyers
race for the last of ten uses, the row lock makes them take turns and exactly ten succeed.
The table's CHECK (redemption_count <= max_redemptions) is the last guard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from moviebook.models import Promotion, PromotionMovie, PromotionRedemption, Showtime
from moviebook.services.errors import DomainError
from moviebook.services.pricing import Discount

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class PromotionRefused(DomainError):
    """The code does not apply to this order; the message says why."""


def normalise_code(raw: object) -> str:
    """What a customer typed, as codes are stored: trimmed, upper-case, at most 32 characters."""
    return str(raw or "").strip().upper()[:32]


def customer_key(*, user_id: int | None, email: str | None) -> str | None:
    """Who is using a code, for the per-customer limit: the account, else the given email."""
    if user_id is not None:
        return f"user:{user_id}"
    if email:
        return f"email:{email.strip().lower()}"
    return None


def listed(values: str) -> list[str]:
    return [v.strip() for v in values.split(",") if v.strip()]


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


@dataclass(frozen=True)
class OrderFacts:
    """What a code's limits are checked against."""

    showtime: Showtime
    tickets: int
    customer: str | None
    now: datetime
    tz: ZoneInfo


def times_used_by(session: Session, promotion_id: int, customer: str | None) -> int:
    if customer is None:
        return 0
    return session.exec(
        select(func.count())
        .select_from(PromotionRedemption)
        .where(PromotionRedemption.promotion_id == promotion_id, PromotionRedemption.customer_key == customer)
    ).one()


def why_not(session: Session, promotion: Promotion | None, order: OrderFacts) -> str | None:
    """None when the code applies to this order; otherwise why not, in the customer's words."""
    if promotion is None or not promotion.is_active:
        return "We do not know that code. Check the spelling and try again."
    if order.now < promotion.valid_from:
        starts = promotion.valid_from.astimezone(order.tz)
        return f"This code starts on {starts:%A %-d %B}."
    if order.now >= promotion.valid_to:
        return "This code has expired."
    formats = listed(promotion.formats)
    if formats and order.showtime.format not in formats:
        return f"This code is for {_either(formats)} showings."
    days = [int(d) for d in listed(promotion.weekdays) if d.isdecimal() and 1 <= int(d) <= 7]
    if days and order.showtime.starts_at.astimezone(order.tz).isoweekday() not in days:
        return f"This code is for {_either([WEEKDAY_NAMES[d - 1] for d in days])} showings."
    films = set(session.exec(select(PromotionMovie.movie_id).where(PromotionMovie.promotion_id == promotion.id)).all())
    if films and order.showtime.movie_id not in films:
        return "This code is not valid for this film."
    if order.tickets < promotion.min_tickets:
        return f"This code needs at least {promotion.min_tickets} tickets in one booking."
    if promotion.max_redemptions is not None and promotion.redemption_count >= promotion.max_redemptions:
        return f"Only {promotion.max_redemptions} could be used and they have all gone."
    if promotion.max_per_customer is not None:
        if order.customer is None:
            return "This code is for customers with an account or an email address."
        if times_used_by(session, promotion.id, order.customer) >= promotion.max_per_customer:
            times = "once" if promotion.max_per_customer == 1 else f"{promotion.max_per_customer} times"
            return f"This code can be used {times} per customer, and you have already used it."
    return None


def find(session: Session, code: object) -> Promotion | None:
    wanted = normalise_code(code)
    if not wanted:
        return None
    return session.exec(select(Promotion).where(Promotion.code == wanted)).first()


def applicable(session: Session, code: object, order: OrderFacts) -> Promotion:
    """The promotion for this code if it applies to the order; PromotionRefused says why not."""
    promotion = find(session, code)
    refusal = why_not(session, promotion, order)
    if refusal:
        raise PromotionRefused(refusal)
    return promotion


def discount_of(promotion: Promotion | None) -> Discount | None:
    return Discount(promotion.kind, promotion.value) if promotion else None


def redeem(session: Session, promotion: Promotion, *, booking_id: int, order: OrderFacts) -> None:
    """Use the code once for this booking, inside the sale's transaction (not committed here).

    The conditional UPDATE takes the promotion's row lock, so concurrent sales queue here; the
    per-customer count is read after it, when no one else can be mid-redemption of this code.
    """
    taken = session.exec(
        sa.update(Promotion)
        .where(
            Promotion.id == promotion.id,
            col(Promotion.is_active).is_(True),
            sa.or_(col(Promotion.max_redemptions).is_(None), Promotion.redemption_count < Promotion.max_redemptions),
        )
        .values(redemption_count=Promotion.redemption_count + 1)
    ).rowcount
    if not taken:
        raise PromotionRefused(
            f"Only {promotion.max_redemptions} could be used and they have all gone. Nothing was charged."
        )
    if promotion.max_per_customer is not None and (
        times_used_by(session, promotion.id, order.customer) >= promotion.max_per_customer
    ):
        raise PromotionRefused("You have already used this code as often as it allows. Nothing was charged.")
    session.add(
        PromotionRedemption(promotion_id=promotion.id, booking_id=booking_id, customer_key=order.customer or "")
    )


def give_back(session: Session, booking_id: int) -> bool:
    """A cancelled booking returns its use of a code, so someone else may use it."""
    redemption = session.exec(
        select(PromotionRedemption).where(PromotionRedemption.booking_id == booking_id).with_for_update()
    ).first()
    if redemption is None:
        return False
    session.exec(
        sa.update(Promotion)
        .where(Promotion.id == redemption.promotion_id, Promotion.redemption_count > 0)
        .values(redemption_count=Promotion.redemption_count - 1)
    )
    session.delete(redemption)
    return True
