"""A booking's status as a coloured badge, the same on My bookings and the admin's reservations."""

from __future__ import annotations

import reflex as rx


def booking_status_badge(status, label) -> rx.Component:
    """``status`` is the stored value (picks the colour); ``label`` is what people read."""
    return rx.badge(
        label, color_scheme=rx.match(status, ("confirmed", "grass"), ("cancelled", "red"), "gray"), variant="soft"
    )
