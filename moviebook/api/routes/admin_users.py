"""``/admin/users``: accounts, their roles and whether they may log in (admins only), through
``services.roles``: nobody changes their own account, and the last active admin stays one."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from moviebook.api.deps import Address, Admin
from moviebook.api.routes.admin_common import Id, PageOut, refusals
from moviebook.api.schemas import text
from moviebook.db import session_scope
from moviebook.models import User
from moviebook.services.errors import FormInvalid
from moviebook.services.roles import change_role, search_users, set_active

router = APIRouter(tags=["admin: users"])

RoleName = Literal["user", "staff", "admin"]


class UserOut(BaseModel):
    id: int
    name: str
    email: str
    role: RoleName
    is_active: bool


class UserPatch(BaseModel):
    role: RoleName | None = None
    is_active: bool | None = Field(default=None, description="false ends every session of the account at once.")


@router.get("/admin/users", response_model=PageOut[UserOut], responses=refusals())
def users(
    me: Admin,
    q: Annotated[text(100), Query(description="Part of the name or email.")] = "",
    page: int = Query(default=1, ge=1, le=100_000),
    page_size: int = Query(default=20, ge=1, le=100),
) -> PageOut[UserOut]:
    with session_scope() as session:
        found = search_users(session, me, query=q, page=page, page_size=page_size)
    return PageOut[UserOut](
        items=[UserOut(id=r.id, name=r.name, email=r.email, role=r.role, is_active=r.is_active) for r in found.rows],
        total=found.total,
        page=found.page,
        pages=found.pages,
    )


@router.patch("/admin/users/{user_id}", response_model=UserOut, responses=refusals(404))
def change_user(user_id: Id, body: UserPatch, me: Admin, address: Address) -> UserOut:
    """Change an account's role, or (de)activate it; both together, all or nothing."""
    if body.role is None and body.is_active is None:
        raise FormInvalid({"role": "Send a role or is_active."})
    with session_scope() as session:
        user: User | None = None
        if body.role is not None:
            user = change_role(session, me, user_id, body.role, ip=address)
        if body.is_active is not None:
            user = set_active(session, me, user_id, body.is_active, ip=address)
        return UserOut(id=user.id, name=user.name, email=user.email, role=user.role, is_active=user.is_active)
