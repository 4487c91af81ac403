"""How tickets are priced: ticket types (Adult, Child, ...) and promotion codes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from moviebook.models.base import UTCDateTime, check_in, created_at_field, updated_at_field


class PriceRule(StrEnum):
    """How a ticket type's price follows the showtime's base price."""

    ABSOLUTE = "absolute"  # value = the price in cents, whatever the base price
    AMOUNT_OFF = "amount_off"  # value = cents taken off the base price
    PERCENT_OFF = "percent_off"  # value = basis points (1/100 of a percent) taken off


class PromotionKind(StrEnum):
    PERCENT = "percent"  # value = basis points off the tickets
    AMOUNT = "amount"  # value = cents off the whole order


class TicketType(SQLModel, table=True):
    __tablename__ = "ticket_types"
    __table_args__ = (
        check_in("rule", tuple(PriceRule), "ck_ticket_types_rule"),
        sa.CheckConstraint("value >= 0", name="ck_ticket_types_value"),
        sa.CheckConstraint("rule != 'percent_off' OR value <= 10000", name="ck_ticket_types_percent"),
        sa.CheckConstraint("max_age IS NULL OR max_age >= 0", name="ck_ticket_types_max_age"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40, nullable=False, unique=True)
    rule: str = Field(default=PriceRule.PERCENT_OFF.value, max_length=12, nullable=False)
    value: int = Field(default=0, nullable=False)
    # The oldest age this ticket is for (a Child ticket "under 15" has 14), or None for any age.
    # A film whose rating needs an older audience never sells it.
    max_age: int | None = Field(default=None)
    door_note: str = Field(default="", max_length=120, nullable=False)
    sort_order: int = Field(default=0, nullable=False)
    is_active: bool = Field(default=True, nullable=False)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class Promotion(SQLModel, table=True):
    __tablename__ = "promotions"
    __table_args__ = (
        check_in("kind", tuple(PromotionKind), "ck_promotions_kind"),
        sa.CheckConstraint("value > 0", name="ck_promotions_value"),
        sa.CheckConstraint("kind != 'percent' OR value <= 10000", name="ck_promotions_percent"),
        sa.CheckConstraint("valid_to > valid_from", name="ck_promotions_period"),
        sa.CheckConstraint("min_tickets >= 1", name="ck_promotions_min_tickets"),
        # The last guard of "only 10 could be used": redeeming is a conditional UPDATE of
        # redemption_count, and this CHECK refuses the eleventh even if that code were wrong.
        sa.CheckConstraint(
            "redemption_count >= 0 AND (max_redemptions IS NULL OR redemption_count <= max_redemptions)",
            name="ck_promotions_redemptions",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Stored upper-case; customers may type it in any case.
    code: str = Field(max_length=32, nullable=False, unique=True)
    description: str = Field(default="", max_length=200, nullable=False)
    kind: str = Field(default=PromotionKind.PERCENT.value, max_length=8, nullable=False)
    value: int = Field(nullable=False)
    valid_from: datetime = Field(sa_type=UTCDateTime, nullable=False)
    valid_to: datetime = Field(sa_type=UTCDateTime, nullable=False)
    # Optional limits; empty means "any". Formats as "3D,IMAX"; weekdays as ISO numbers "2" (Tuesday).
    formats: str = Field(default="", max_length=40, nullable=False)
    weekdays: str = Field(default="", max_length=20, nullable=False)
    min_tickets: int = Field(default=1, nullable=False)
    max_redemptions: int | None = Field(default=None)
    max_per_customer: int | None = Field(default=None)
    redemption_count: int = Field(default=0, nullable=False)
    is_active: bool = Field(default=True, nullable=False)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class PromotionMovie(SQLModel, table=True):
    """A promotion limited to some films has one row per film."""

    __tablename__ = "promotion_movies"

    promotion_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("promotions.id", ondelete="CASCADE"), primary_key=True)
    )
    movie_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("movies.id", ondelete="CASCADE"), primary_key=True, index=True)
    )


class PromotionRedemption(SQLModel, table=True):
    """One use of a code by one booking; deleted when that booking is cancelled."""

    __tablename__ = "promotion_redemptions"

    id: int | None = Field(default=None, primary_key=True)
    promotion_id: int = Field(foreign_key="promotions.id", nullable=False, index=True)
    booking_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False, unique=True)
    )
    # Who used it, for the per-customer limit: "user:<id>" or "email:<address>".
    customer_key: str = Field(max_length=200, nullable=False, index=True)
    created_at: datetime = created_at_field()
