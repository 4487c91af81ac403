"""SQLModel tables, grouped by aggregate. Importing this package registers every table."""

from moviebook.models.audit import AuditEntry
from moviebook.models.base import UTCDateTime, utcnow
from moviebook.models.bookings import Booking, BookingSeat, BookingStatus, PaymentMethod, SalesChannel
from moviebook.models.catalog import AGE_RATINGS, Genre, Movie, MovieGenre
from moviebook.models.mail import OutboxMessage, OutboxStatus, TokenPurpose, UserToken, WaitingListEntry
from moviebook.models.pricing import (
    PriceRule,
    Promotion,
    PromotionKind,
    PromotionMovie,
    PromotionRedemption,
    TicketType,
)
from moviebook.models.sessions import AuthSession
from moviebook.models.showtimes import FORMATS, Showtime
from moviebook.models.users import Role, User
from moviebook.models.venues import Auditorium, Seat, SeatType
from moviebook.models.webhooks import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent

__all__ = [
    "AGE_RATINGS",
    "FORMATS",
    "AuditEntry",
    "AuthSession",
    "Auditorium",
    "Booking",
    "BookingSeat",
    "BookingStatus",
    "DeliveryStatus",
    "Genre",
    "Movie",
    "MovieGenre",
    "OutboxMessage",
    "OutboxStatus",
    "PaymentMethod",
    "PriceRule",
    "Promotion",
    "PromotionKind",
    "PromotionMovie",
    "PromotionRedemption",
    "Role",
    "SalesChannel",
    "Seat",
    "SeatType",
    "Showtime",
    "TicketType",
    "TokenPurpose",
    "UTCDateTime",
    "User",
    "UserToken",
    "WaitingListEntry",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "utcnow",
]
