"""Pydantic schemas shared by several routes. A route's own request and response models sit
in its module; these are the ones more than one module returns."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TokenPairOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires; then POST /auth/refresh.")


class MeOut(BaseModel):
    id: int
    name: str
    email: str
    role: str = Field(examples=["user", "staff", "admin"])
    email_verified: bool


class Message(BaseModel):
    detail: str
