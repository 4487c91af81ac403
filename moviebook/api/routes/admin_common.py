"""What the staff and admin route modules share: their refusals, a page of rows, and service
field names translated to the API's own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Generic, TypeVar

from fastapi import Path
from pydantic import BaseModel, Field

from moviebook.api.problems import Problem
from moviebook.services.errors import FormInvalid

RowT = TypeVar("RowT")


def refusals(*statuses: int) -> dict[int | str, dict]:
    """The problem responses a staff or admin endpoint declares: 401 and 403 always."""
    return {status: {"model": Problem} for status in sorted({401, 403, 422, *statuses})}


class PageOut(BaseModel, Generic[RowT]):
    items: list[RowT]
    total: int = Field(description="Every match, not only this page's.")
    page: int = Field(description="This page (a page past the end answers with the last one).")
    pages: int


@contextmanager
def api_fields(names: dict[str, str]) -> Iterator[None]:
    """A service's form errors under the API's field names (``runtime`` → ``runtime_minutes``)."""
    try:
        yield
    except FormInvalid as invalid:
        renamed: dict[str, str] = {}
        for name, text in invalid.errors.items():
            key = names.get(name, name)
            renamed[key] = f"{renamed[key]} {text}" if key in renamed and renamed[key] != text else text
        raise FormInvalid(renamed) from invalid


# A row id as PostgreSQL stores it: anything larger is no row (and must not reach the database).
MAX_ID = 2**31 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
