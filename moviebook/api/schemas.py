"""Pydantic schemas shared by several routes. A route's own request and response models sit
in its module; these are the ones more than one module returns."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field


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


# --- Input types every route shares -------------------------------------------------------------

MAX_ID = 2_147_483_647  # ids are PostgreSQL integers: a larger number names nothing


def _printable(text: str) -> str:
    # NUL and lone surrogates cannot reach PostgreSQL, and no name or code has a control character.
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in text):
        raise ValueError("only letters, digits, spaces and punctuation are allowed")
    return text


def text(max_length: int):
    """A short piece of typed text (a search, a code, a name): printable, at most ``max_length``."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_printable)]


def _printable_lines(text: str) -> str:
    if any(unicodedata.category(char) in ("Cc", "Cs") and char not in "\t\n\r" for char in text):
        raise ValueError("only letters, digits, spaces, line breaks and punctuation are allowed")
    return text


def long_text(max_length: int):
    """Text typed in a box of several lines (a reason, a note): printable, line breaks allowed."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_printable_lines)]


RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
