"""Helpers for the API tests: a user who logs in over HTTP, and bearer headers."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import select

from moviebook.models import Seat
from tests.factories import make_user, tag

PASSWORD = "a long enough password"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def log_in_over_http(api: TestClient, email: str, password: str = PASSWORD) -> dict:
    response = api.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def user_with_token(api: TestClient, session, role: str = "user", name: str = "Kiosk User") -> tuple[int, dict]:
    """A new account of ``role`` (committed) and its bearer headers, from a real login."""
    user = make_user(session, f"api-{role}-{tag()}@example.com", name=name, password=PASSWORD, role=role)
    session.commit()
    tokens = log_in_over_http(api, user.email)
    return user.id, bearer(tokens["access_token"])


def seat_ids(session, show) -> dict[str, int]:
    """The showtime's seats by label ("A1")."""
    seats = session.exec(select(Seat).where(Seat.auditorium_id == show.auditorium_id)).all()
    return {f"{s.row_label}{s.number}": s.id for s in seats}
