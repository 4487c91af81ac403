"""One page of a long list: the arithmetic every admin list shares."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

MAX_PAGE_SIZE = 100  # a browser can ask for any size; nobody needs more rows than this at once

RowT = TypeVar("RowT")


@dataclass(frozen=True)
class Page(Generic[RowT]):
    rows: tuple[RowT, ...]
    total: int  # every match, not only this page's
    page: int
    pages: int


@dataclass(frozen=True)
class PageSlice:
    page: int
    pages: int
    offset: int
    limit: int


def page_slice(total: int, page: int, page_size: int) -> PageSlice:
    """Where page ``page`` of ``total`` rows lies. A page past the end shows the last one and a page
    before the first shows the first, so a stale link or a hand-edited number never shows nothing."""
    size = min(max(1, int(page_size)), MAX_PAGE_SIZE)
    pages = max(1, math.ceil(total / size))
    page = min(max(1, int(page)), pages)
    return PageSlice(page, pages, (page - 1) * size, size)
