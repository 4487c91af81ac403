"""Log in, sign up and the account page: forms whose outcome is a session or a field error."""

from __future__ import annotations

import asyncio
from typing import ClassVar
from urllib.parse import quote

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import Role
from moviebook.redis_client import get_redis
from moviebook.services.account_mail import is_verified, request_email_change, resend_verification, sign_up
from moviebook.services.accounts import (
    FormInvalid,
    LoginAttempt,
    LoginRefused,
    account_email,
    change_name,
    change_password,
    log_in,
)
from moviebook.services.email_prefs import email_reminders_of, set_email_reminders
from moviebook.services.errors import DomainError, TooManyRequests
from moviebook.services.session_policy import login_limits, open_session
from moviebook.services.throttle import LoginThrottle
from moviebook.services.tokens import Identity, TokenPair
from moviebook.state.auth import AuthState, safe_next
from moviebook.state.guard import public, requires


def form_text(form: dict, name: str, limit: int = 1024) -> str:
    """A form value as text, cut to a sane length whatever the browser sent."""
    value = form.get(name, "") if isinstance(form, dict) else ""
    return str(value)[:limit]


def _log_in(email: str, password: str, ip: str) -> tuple[TokenPair, Identity]:
    with session_scope() as session:
        user = log_in(session, LoginThrottle(get_redis(), login_limits()), LoginAttempt(email, password, ip))
        return open_session(session, user, ip)


def _sign_up(form: dict, ip: str) -> tuple[TokenPair, Identity]:
    with session_scope() as session:
        user = sign_up(
            session,
            get_redis(),
            name=form_text(form, "name", 200),
            email=form_text(form, "email", 300),
            password=form_text(form, "password"),
            confirm=form_text(form, "confirm"),
            ip=ip,
        )
        return open_session(session, user, ip)


class LoginState(AuthState):
    error: str = ""
    submitting: bool = False

    def _next(self) -> str:
        return safe_next(self.router.url.query_parameters.get("next"))

    @rx.var
    def signup_href(self) -> str:
        """ "Create an account" keeps where the visitor was going (e.g. their seat map)."""
        target = self._next()
        return "/signup" if target == "/" else f"/signup?next={quote(target, safe='/')}"

    @public
    async def on_load(self):
        self.error, self.submitting = "", False
        if await self._identity() is not None:
            return rx.redirect(self._next())

    @public
    async def log_in(self, form: dict):
        self.submitting, self.error = True, ""
        yield
        try:
            pair, identity = await asyncio.to_thread(
                _log_in, form_text(form, "email", 300), form_text(form, "password"), self._client_ip()
            )
        except (LoginRefused, TooManyRequests) as refused:
            self.error, self.submitting = str(refused), False
            return
        self._start(pair, identity)
        self.submitting = False
        yield rx.toast.success(f"Welcome back, {identity.name}.")
        yield rx.redirect(self._next())


class SignupState(AuthState):
    name_error: str = ""
    email_error: str = ""
    password_error: str = ""
    confirm_error: str = ""
    submitting: bool = False

    def _set_errors(self, errors: dict[str, str]) -> None:
        self.name_error = errors.get("name", "")
        self.email_error = errors.get("email", "")
        self.password_error = errors.get("password", "")
        self.confirm_error = errors.get("confirm", "")

    @public
    async def on_load(self):
        self._set_errors({})
        self.submitting = False
        if await self._identity() is not None:
            return rx.redirect("/")

    @public
    async def sign_up(self, form: dict):
        self.submitting = True
        self._set_errors({})
        yield
        try:
            pair, identity = await asyncio.to_thread(_sign_up, form, self._client_ip())
        except FormInvalid as invalid:
            self._set_errors(invalid.errors)
            self.submitting = False
            return
        except TooManyRequests as throttled:  # the form keeps what was typed
            self.submitting = False
            yield rx.toast.error(str(throttled))
            return
        self._start(pair, identity)
        self.submitting = False
        yield rx.toast.success(f"Welcome to Moviebook, {identity.name}!")
        yield rx.redirect(safe_next(self.router.url.query_parameters.get("next")))


def _email_of(user_id: int) -> tuple[str, bool, bool]:
    with session_scope() as session:
        email, verified = account_email(session, user_id), is_verified(session, user_id)
        return email, verified, email_reminders_of(session, user_id)


def _save_reminders(user_id: int, on: bool) -> bool:
    with session_scope() as session:
        return set_email_reminders(session, user_id, on)


def _resend(user_id: int) -> str:
    with session_scope() as session:
        return resend_verification(session, get_redis(), user_id)


def _change_email(user_id: int, form: dict, ip: str) -> str:
    with session_scope() as session:
        return request_email_change(
            session,
            user_id=user_id,
            new_email=form_text(form, "new_email", 300),
            password=form_text(form, "password"),
            ip=ip,
        )


def _save_name(user_id: int, name: str) -> str:
    with session_scope() as session:
        return change_name(session, user_id, name).name


def _save_password(user_id: int, session_id: str, form: dict, ip: str) -> None:
    with session_scope() as session:
        change_password(
            session,
            user_id,
            current=form_text(form, "current"),
            new=form_text(form, "new"),
            confirm=form_text(form, "confirm"),
            keep_session=session_id,
            ip=ip,
        )


class AccountState(AuthState):
    """The signed-in user's own account; every handler works on the caller only."""

    required_role: ClassVar[str | None] = Role.USER.value
    name: str = ""
    email: str = ""
    name_error: str = ""
    current_error: str = ""
    new_error: str = ""
    confirm_error: str = ""
    # Bumped after a successful change so the password form renders empty again.
    password_form_key: int = 0
    email_reminders: bool = True
    reminder_hours: int = 0
    verified: bool = True
    new_email_error: str = ""
    email_password_error: str = ""
    email_form_key: int = 0

    @requires(Role.USER)
    async def on_load(self, me: Identity):
        self.name = me.name
        self.email, self.verified, self.email_reminders = await asyncio.to_thread(_email_of, me.user_id)
        self.reminder_hours = get_settings().reminder_hours
        self.new_email_error = self.email_password_error = ""
        self.name_error = self.current_error = self.new_error = self.confirm_error = ""

    @requires(Role.USER)
    async def save_name(self, me: Identity, form: dict):
        try:
            self.name = await asyncio.to_thread(_save_name, me.user_id, form_text(form, "name", 200))
        except FormInvalid as invalid:
            self.name_error = invalid.errors.get("name", "")
            return
        self.name_error = ""
        self.viewer_name = self.name
        return rx.toast.success("Your name is saved.")

    @requires(Role.USER)
    async def save_password(self, me: Identity, form: dict):
        try:
            await asyncio.to_thread(_save_password, me.user_id, me.session_id, form, self._client_ip())
        except FormInvalid as invalid:
            self.current_error = invalid.errors.get("current", "")
            self.new_error = invalid.errors.get("new", "")
            self.confirm_error = invalid.errors.get("confirm", "")
            return
        self.current_error = self.new_error = self.confirm_error = ""
        self.password_form_key += 1
        return rx.toast.success("Password changed. Your other devices have been logged out.")

    @requires(Role.USER)
    async def save_reminders(self, me: Identity, on: bool):
        self.email_reminders = await asyncio.to_thread(_save_reminders, me.user_id, on)
        if self.email_reminders:
            return rx.toast.success("Reminders are on: we will email you before your shows.")
        return rx.toast.success("Reminders are off.")

    @requires(Role.USER)
    async def resend_link(self, me: Identity):
        try:
            message = await asyncio.to_thread(_resend, me.user_id)
        except DomainError as refused:
            return rx.toast.error(str(refused))
        return rx.toast.success(message)

    @requires(Role.USER)
    async def change_email(self, me: Identity, form: dict):
        try:
            message = await asyncio.to_thread(_change_email, me.user_id, form, self._client_ip())
        except FormInvalid as invalid:
            self.new_email_error = invalid.errors.get("new_email", "")
            self.email_password_error = invalid.errors.get("password", "")
            return
        self.new_email_error = self.email_password_error = ""
        self.email_form_key += 1
        return rx.toast.success(message, duration=10_000)
