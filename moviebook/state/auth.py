"""Who is calling: the one place State classes learn the caller's identity and role.

The browser keeps two tokens in localStorage (shared by its tabs). They are only ever
*claims*: on every event that needs to know the caller, the server verifies the access token,
looks its session and user up in the database (so revocations and role changes apply at
once), and silently rotates the refresh token when the access token has expired.

Every event handler is declared with ``@requires(role)`` or ``@public`` (``state/guard.py``),
which calls ``_require_role`` below and refuses anyone without the role. Redirects on pages are
for comfort; that check is the protection.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar
from urllib.parse import quote

import reflex as rx

from moviebook.db import session_scope
from moviebook.live.reflex_adapter import page_load_event
from moviebook.live.seat_maps import announce
from moviebook.models import Role
from moviebook.services.accounts import log_out
from moviebook.services.holds import hold_store
from moviebook.services.roles import has_role
from moviebook.services.session_policy import token_policy
from moviebook.services.tokens import (
    Identity,
    TokenPair,
    TokenRejected,
    identity_from_access,
    refresh_session,
)
from moviebook.state.guard import public

# Where the browser keeps the session tokens (AuthState's two LocalStorage vars), and the question
# that asks it for them (AuthState._refusal).
ACCESS_STORAGE_KEY, REFRESH_STORAGE_KEY = "mb_access", "mb_refresh"
STORED_TOKENS_JS = (
    f"[localStorage.getItem('{ACCESS_STORAGE_KEY}') || '', localStorage.getItem('{REFRESH_STORAGE_KEY}') || '']"
)

ROLE_LABELS = {Role.USER.value: "Moviegoer", Role.STAFF.value: "Staff", Role.ADMIN.value: "Admin"}


def _resolve(access: str, refresh: str) -> tuple[Identity, TokenPair | None]:
    """The caller behind the tokens, plus a new pair when the refresh token had to be used."""
    policy = token_policy()
    with session_scope() as session:
        if access:
            try:
                return identity_from_access(session, access, policy), None
            except TokenRejected:
                if not refresh:
                    raise
        pair, identity = refresh_session(session, refresh, policy)
        return identity, pair


# What a pair of tokens means: (the caller or None, new tokens if they were rotated, the reason
# they were refused or None).
_Outcome = tuple[Identity | None, TokenPair | None, str | None]


def _outcome(access: str, refresh: str) -> _Outcome:
    if not access and not refresh:
        return None, None, None
    try:
        identity, pair = _resolve(access, refresh)
    except TokenRejected as refused:
        return None, None, str(refused)
    return identity, pair, None


def _log_out(identity: Identity) -> list[int]:
    with session_scope() as session:
        return log_out(session, hold_store(), user_id=identity.user_id, session_id=identity.session_id)


def safe_next(path: str | None) -> str:
    """Where to go after logging in: a path on this site only (no open redirect)."""
    path = (path or "").strip()
    if not path.startswith("/") or path.startswith("//") or "\\" in path or len(path) > 300:
        return "/"
    return path


class AuthState(rx.State):
    # Client-held claims, verified on every use. Synced so that all tabs share one session.
    access_token: str = rx.LocalStorage("", name=ACCESS_STORAGE_KEY, sync=True)
    refresh_token: str = rx.LocalStorage("", name=REFRESH_STORAGE_KEY, sync=True)
    # What the navbar shows; filled from the verified identity only.
    viewer_name: str = ""
    viewer_role: str = ""
    # Set when tokens were presented but refused, so the visitor is told why they are out.
    _session_message: str = ""

    # None: anyone may use this state's handlers. A role: every handler checks for it (the
    # attacker test sends every handler of such a state as a plain user).
    required_role: ClassVar[str | None] = None

    @rx.var
    def signed_in(self) -> bool:
        return self.viewer_role != ""

    @rx.var
    def viewer_role_label(self) -> str:
        return ROLE_LABELS.get(self.viewer_role, "")

    @rx.var
    def viewer_is_admin(self) -> bool:
        return self.viewer_role == Role.ADMIN.value

    @rx.var
    def viewer_is_staff(self) -> bool:
        """Staff or admin: who may run the door and read reservations."""
        return has_role(self.viewer_role, Role.STAFF.value)

    def _show(self, identity: Identity | None) -> None:
        self.viewer_name = identity.name if identity else ""
        self.viewer_role = identity.role if identity else ""

    def _client_ip(self) -> str:
        return self.router.session.client_ip or ""

    def _tokens(self) -> tuple[str, str]:
        return str(self.access_token), str(self.refresh_token)

    def _take(self, outcome: _Outcome) -> Identity | None:
        """Apply what the tokens were found to mean: rotated tokens, or a refusal to explain."""
        identity, pair, refused = outcome
        if refused is not None:
            self.access_token, self.refresh_token = "", ""
            self._session_message = refused
        elif pair is not None:
            self.access_token, self.refresh_token = pair.access, pair.refresh
        self._show(identity)
        return identity

    async def _identity(self) -> Identity | None:
        """The verified caller, or None (and the tokens forgotten) when there is none."""
        return self._take(await asyncio.to_thread(_outcome, *self._tokens()))

    async def _identity_unlocked(self) -> Identity | None:
        """The same, from a background handler, taking the tab's lock only to write the answer
        back when it changes anything (rotated tokens, a refusal, a new name), never while the
        database is asked.

        The tokens are read from the state Reflex loaded, under the lock, when the event arrived
        (the handler's StateProxy), so reading them costs no second lock: under a rush every lock
        is a load and a save of the tab's state. Two handlers of one tab that rotate at once are
        both answered, because the refresh grace (``services.tokens.REFRESH_GRACE``) accepts the
        refresh token that was just replaced."""
        tokens = self._tokens()
        current = self.viewer_name, self.viewer_role
        outcome = await asyncio.to_thread(_outcome, *tokens)
        identity, pair, refused = outcome
        shown = (identity.name, identity.role) if identity else ("", "")
        if pair is None and refused is None and shown == current:
            return identity
        async with self:
            return self._take(outcome)

    async def _require_role(self, role: str = Role.USER.value, *, unlocked: bool = False) -> Identity | None:
        """The caller if signed in with at least ``role``; None means: refuse."""
        identity = await (self._identity_unlocked() if unlocked else self._identity())
        if identity is None or not has_role(identity.role, role):
            return None
        return identity

    def _refusal(self) -> list:
        """What a refused caller sees: a clear message and a way on. Nothing else happens."""
        if not self.viewer_role:
            if not (self.access_token or self.refresh_token or self._session_message):
                # No tokens at all on the server's side of this tab, yet none were refused: the
                # server may have lost the tab's state (Redis restarted, or an idle tab's state
                # expired) while the browser still keeps the tokens. Ask the browser before
                # sending a signed-in person to log in (``resume_session``).
                return [rx.call_script(STORED_TOKENS_JS, callback=AuthState.resume_session)]
            return self._to_log_in()
        return [rx.toast.error("Sorry, that is not available to your account."), rx.redirect("/")]

    def _to_log_in(self) -> list:
        here = quote(self.router.url.path or "/", safe="/")
        message = self._session_message or "Please log in to continue."
        return [rx.toast.info(message), rx.redirect(f"/login?next={here}")]

    @public
    async def resume_session(self, stored: list[str]):
        """The browser's answer to ``_refusal``: the tokens it keeps (the same claims a page load
        sends, verified the same way). A tab the server had lost is signed in again and its page
        loaded afresh, and the person is asked to repeat what they did; anyone else logs in."""
        access, refresh = ([*stored, "", ""])[:2]
        if self.viewer_role:
            return None  # signed in meanwhile (another event brought the tokens back)
        if self.access_token or self.refresh_token or not (access or refresh):
            return self._to_log_in()
        self.access_token, self.refresh_token = access, refresh
        if await self._identity() is None:
            return self._to_log_in()
        return [
            rx.toast.info("This page lost touch with the server for a moment, so it was reloaded. Please try again."),
            page_load_event(),
        ]

    def _start(self, pair: TokenPair, identity: Identity) -> None:
        self.access_token, self.refresh_token = pair.access, pair.refresh
        self._session_message = ""
        self._show(identity)

    @public(background=True)
    async def sync_viewer(self):
        """On every page: show who is logged in, and say so when a session just ended.

        In the background, so the tab's lock is not held while the database checks the session:
        as a foreground handler it held the lock for over a second in a rush (issue 11)."""
        had_tokens = bool(self.access_token or self.refresh_token)
        identity = await self._identity_unlocked()
        if identity is None and had_tokens and self._session_message:
            async with self:
                message, self._session_message = self._session_message, ""
            if message:
                yield rx.toast.info(message)

    @public
    async def log_out(self):
        identity = await self._identity()
        if identity is not None:
            # Seats held in this session go back on sale at once, and open maps are told.
            for showtime_id in await asyncio.to_thread(_log_out, identity):
                announce(showtime_id)
        self.access_token, self.refresh_token = "", ""
        self._show(None)
        await self._forget_page_data()
        return [rx.toast.success("You are logged out."), rx.redirect("/")]

    async def _forget_page_data(self) -> None:
        """A tab outlives a logout: every page state drops what it loaded for the last user
        (bookings, tickets, customer lists), so the next person on this browser never sees it."""
        pending = list(AuthState.__subclasses__())
        while pending:
            cls = pending.pop()
            pending.extend(cls.__subclasses__())
            (await self.get_state(cls)).reset()
