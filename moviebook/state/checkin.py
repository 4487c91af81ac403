"""``/staff/checkin``: the door. Staff type or scan a code, read the verdict, let people in."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import ClassVar

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import Role, utcnow
from moviebook.services.checkin import Verdict, check_in, inspect_code, todays_showtimes
from moviebook.services.clock import local_today
from moviebook.services.errors import DomainError
from moviebook.services.tokens import Identity
from moviebook.state.admin_schedule import Choice
from moviebook.state.auth import AuthState
from moviebook.state.guard import requires

CODE_INPUT_ID = "checkin-code"


@dataclass
class VerdictView:
    kind: str = ""
    headline: str = ""
    detail: str = ""
    code: str = ""
    customer: str = ""
    movie: str = ""
    when: str = ""
    room: str = ""
    seats: str = ""


def _view(verdict: Verdict) -> VerdictView:
    return VerdictView(
        verdict.kind,
        verdict.headline,
        verdict.detail,
        verdict.code,
        verdict.customer,
        verdict.movie,
        verdict.when,
        verdict.room,
        ", ".join(verdict.seats),
    )


def _door(showtime: str) -> int | None:
    return int(showtime) if showtime.isdecimal() and len(showtime) <= 9 else None


def _clock() -> dict:
    tz = get_settings().timezone
    now = utcnow()
    return {"today": local_today(tz, now), "tz": tz, "now": now}


def _showtimes(me: Identity) -> list[Choice]:
    clock = _clock()
    with session_scope() as session:
        shows = todays_showtimes(session, me, today=clock["today"], tz=clock["tz"])
    return [Choice(str(i), label) for i, label in shows]


def _inspect(me: Identity, code: str, showtime: str) -> Verdict:
    with session_scope() as session:
        return inspect_code(session, me, code, showtime_id=_door(showtime), **_clock())


def _check_in(me: Identity, code: str, showtime: str, ip: str) -> Verdict:
    with session_scope() as session:
        return check_in(session, me, code=code, showtime_id=_door(showtime), ip=ip, **_clock())


class CheckinState(AuthState):
    required_role: ClassVar[str | None] = Role.STAFF.value
    showtimes: list[Choice] = []
    showtime: str = ""  # the show this door is for; "" is any of today's
    verdict: VerdictView = VerdictView()

    @requires(Role.STAFF)
    async def on_load(self, me: Identity):
        self.showtimes = await asyncio.to_thread(_showtimes, me)
        if self.showtime not in {c.value for c in self.showtimes}:
            self.showtime = ""
        self.verdict = VerdictView()

    @requires(Role.STAFF)
    async def choose_showtime(self, value: str):
        self.showtime = value if value in {c.value for c in self.showtimes} else ""
        self.verdict = VerdictView()  # a verdict for another door would mislead
        return rx.set_focus(CODE_INPUT_ID)

    @requires(Role.STAFF)
    async def look_up(self, me: Identity, form: dict):
        """The code was submitted (Enter, the button, or a scanner that ends with Enter)."""
        code = str(form.get("code", ""))[:40]
        try:
            self.verdict = _view(await asyncio.to_thread(_inspect, me, code, self.showtime))
        except DomainError as problem:
            return rx.toast.error(str(problem))

    @requires(Role.STAFF)
    async def admit(self, me: Identity, code: str):
        """Check the shown booking in; the service re-checks the verdict, so a stale page is harmless."""
        try:
            verdict = await asyncio.to_thread(_check_in, me, code[:40], self.showtime, self._client_ip())
        except DomainError as problem:
            return rx.toast.error(str(problem))
        self.verdict = _view(verdict)
        return rx.set_focus(CODE_INPUT_ID)  # ready for the next person in the queue
