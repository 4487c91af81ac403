"""Roles and account administration: admin > staff > user.

Every function here re-checks the actor's role itself, even though the State calling it has
already checked: a rule that lives in one place cannot be forgotten in another.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, or_, select

from moviebook.models import Role, User, utcnow
from moviebook.services import audit
from moviebook.services.errors import DomainError, NotFound
from moviebook.services.paging import Page, page_slice
from moviebook.services.text_search import LIKE_ESCAPE, contains_pattern
from moviebook.services.tokens import Identity, revoke_user_sessions

RANK = {Role.USER.value: 0, Role.STAFF.value: 1, Role.ADMIN.value: 2}


class AccessDenied(DomainError):
    pass


def has_role(actual: str | None, required: str) -> bool:
    """Whether a role includes the powers of ``required`` (an admin can do what staff can)."""
    return actual in RANK and RANK[actual] >= RANK[required]


def require_role(actor: Identity | None, required: str, refusal: str = "You are not allowed to do that.") -> Identity:
    if actor is None or not has_role(actor.role, required):
        raise AccessDenied(refusal)
    return actor


def _lock_active_admins(session: Session) -> list[int]:
    """Lock every active admin row, always in id order and always first.

    Every role or status change takes these locks before touching its target, so two admins
    acting at once queue up instead of deadlocking, and the second one sees the first one's
    result (PostgreSQL re-checks the WHERE clause after the wait).
    """
    query = select(User.id).where(User.role == Role.ADMIN.value, User.is_active == True)  # noqa: E712
    return list(session.exec(query.order_by(User.id).with_for_update()))


def _target(session: Session, actor: Identity, user_id: int) -> User:
    if user_id == actor.user_id:
        raise DomainError("You cannot change your own role or status. Ask another admin.")
    user = session.exec(select(User).where(User.id == user_id).with_for_update()).first()
    if user is None:
        raise NotFound("That account does not exist.")
    return user


def _ensure_another_admin_remains(user: User, active_admins: list[int]) -> None:
    """The cinema must always keep one active admin, or nobody could run it."""
    if user.id in active_admins and len(active_admins) <= 1:
        raise DomainError("This is the last active admin. Make someone else an admin first.")


def change_role(session: Session, actor: Identity, user_id: int, new_role: str, ip: str | None = None) -> User:
    require_role(actor, Role.ADMIN.value)
    if new_role not in RANK:
        raise DomainError("Unknown role.")
    admins = _lock_active_admins(session)
    user = _target(session, actor, user_id)
    if user.role == new_role:
        return user
    if new_role != Role.ADMIN.value:
        _ensure_another_admin_remains(user, admins)
    old = user.role
    user.role, user.updated_at = new_role, utcnow()
    audit.record(
        session,
        "user.role_changed",
        actor_id=actor.user_id,
        entity_type="user",
        entity_id=user.id,
        old={"role": old},
        new={"role": new_role},
        ip=ip,
    )
    session.flush()
    return user


def set_active(session: Session, actor: Identity, user_id: int, active: bool, ip: str | None = None) -> User:
    require_role(actor, Role.ADMIN.value)
    admins = _lock_active_admins(session)
    user = _target(session, actor, user_id)
    if user.is_active == active:
        return user
    if not active:
        _ensure_another_admin_remains(user, admins)
        revoke_user_sessions(session, user.id, "deactivated")
    user.is_active, user.updated_at = active, utcnow()
    audit.record(
        session,
        "user.activated" if active else "user.deactivated",
        actor_id=actor.user_id,
        entity_type="user",
        entity_id=user.id,
        old={"is_active": not active},
        new={"is_active": active},
        ip=ip,
    )
    session.flush()
    return user


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    email: str
    role: str
    is_active: bool


UserPage = Page[UserRow]


def search_users(session: Session, actor: Identity, *, query: str = "", page: int = 1, page_size: int = 20) -> UserPage:
    require_role(actor, Role.ADMIN.value)
    condition = True
    text = (query or "").strip()[:100]
    if text:
        pattern = contains_pattern(text)
        condition = or_(
            col(User.email).ilike(pattern, escape=LIKE_ESCAPE), col(User.name).ilike(pattern, escape=LIKE_ESCAPE)
        )
    total = session.exec(select(func.count()).select_from(User).where(condition)).one()
    at = page_slice(total, page, page_size)
    users = session.exec(
        select(User).where(condition).order_by(User.name, User.id).offset(at.offset).limit(at.limit)
    ).all()
    rows = tuple(UserRow(u.id, u.name, u.email, u.role, u.is_active) for u in users)
    return UserPage(rows=rows, total=total, page=at.page, pages=at.pages)
