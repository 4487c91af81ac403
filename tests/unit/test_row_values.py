"""``models.base.row_values``: a new row's column values as the model would hold them, for the
sale's one INSERT."""

from __future__ import annotations

from datetime import timezone

import pytest

from moviebook.models import AuditEntry, BookingSeat, OutboxMessage
from moviebook.models.base import row_values


def test_the_models_defaults_are_filled_in_and_the_id_is_left_to_the_database():
    row = row_values(BookingSeat, booking_id=1, showtime_id=2, seat_id=3, unit_price_cents=1000, price_cents=1000)
    assert "id" not in row
    assert row == {
        **{c.key: getattr(BookingSeat(**row), c.key) for c in BookingSeat.__table__.columns if c.key != "id"},
    }
    assert (row["ticket_type_name"], row["is_active"], row["ticket_type_id"]) == ("Standard", True, None)


def test_default_factories_are_called_for_each_row():
    first = row_values(
        OutboxMessage, kind="k", to_address="a@example.com", subject="s", body_text="", body_html="", message_id="<1@x>"
    )
    second = row_values(
        OutboxMessage, kind="k", to_address="a@example.com", subject="s", body_text="", body_html="", message_id="<2@x>"
    )
    assert first["status"] == "pending" and first["tries"] == 0 and first["attachments"] == []
    assert first["attachments"] is not second["attachments"]
    assert first["created_at"].tzinfo == timezone.utc


def test_a_misspelt_or_missing_column_is_refused():
    with pytest.raises(TypeError, match="no column"):
        row_values(AuditEntry, action="a", entity_type="booking", entity="1")
    with pytest.raises(TypeError, match="needs a value"):
        row_values(AuditEntry, entity_type="booking")
