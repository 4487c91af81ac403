"""``/forgot-password``, ``/reset-password`` and ``/verify-email``: the pages behind mailed links."""

from __future__ import annotations

import asyncio

import reflex as rx

from moviebook.db import session_scope
from moviebook.redis_client import get_redis
from moviebook.services.account_mail import request_password_reset, reset_password, verify_email
from moviebook.services.errors import DomainError, FormInvalid
from moviebook.state.account_forms import form_text
from moviebook.state.auth import AuthState
from moviebook.state.guard import public


def _request(email: str, ip: str) -> str:
    with session_scope() as session:
        return request_password_reset(session, get_redis(), email=email, ip=ip)


def _reset(token: str, new: str, confirm: str, ip: str) -> None:
    with session_scope() as session:
        reset_password(session, token=token, new=new, confirm=confirm, ip=ip)


def _verify(token: str, ip: str) -> str:
    with session_scope() as session:
        return verify_email(session, token=token, ip=ip)


class ForgotPasswordState(AuthState):
    answer: str = ""  # the same words whether or not the email has an account
    submitting: bool = False

    @public
    async def on_load(self):
        self.answer, self.submitting = "", False

    @public
    async def ask(self, form: dict):
        self.submitting = True
        yield
        self.answer = await asyncio.to_thread(_request, form_text(form, "email", 300), self._client_ip())
        self.submitting = False


class ResetPasswordState(AuthState):
    new_error: str = ""
    confirm_error: str = ""
    problem: str = ""  # a bad, used or expired link
    submitting: bool = False
    _token: str = ""

    @public
    async def on_load(self):
        self.new_error = self.confirm_error = self.problem = ""
        self.submitting = False
        token = self.router.url.query_parameters.get("token", "")
        self._token = token[:100] if isinstance(token, str) else ""
        if not self._token:
            self.problem = "This page needs the link from your email. Ask for a new one."

    @public
    async def save_new_password(self, form: dict):
        self.submitting = True
        self.new_error = self.confirm_error = ""
        yield
        try:
            await asyncio.to_thread(
                _reset, self._token, form_text(form, "new"), form_text(form, "confirm"), self._client_ip()
            )
        except FormInvalid as invalid:
            self.new_error, self.confirm_error = invalid.errors.get("new", ""), invalid.errors.get("confirm", "")
            self.submitting = False
            return
        except DomainError as refused:
            self.problem, self.submitting = str(refused), False
            return
        self.submitting = False
        # Every session of the account has ended, this browser's included.
        self.access_token, self.refresh_token = "", ""
        self._show(None)
        yield rx.toast.success("Your password is changed. Log in with the new one.")
        yield rx.redirect("/login")


class VerifyEmailState(AuthState):
    outcome: str = ""
    ok: bool = False
    loading: bool = True

    @public
    async def on_load(self):
        self.loading = True
        token = self.router.url.query_parameters.get("token", "")
        try:
            self.outcome = await asyncio.to_thread(_verify, token if isinstance(token, str) else "", self._client_ip())
            self.ok = True
        except DomainError as refused:
            self.outcome, self.ok = str(refused), False
        self.loading = False
