"""Conditional reads and pagination links, shared by the catalogue routes.

``ETag`` is a weak validator: a hash of the JSON body, so the same answer always has the same
tag whichever instance gives it, and ``If-None-Match`` with it gets ``304 Not Modified``.
Pagination follows RFC 8288: the body's ``links`` and the ``Link`` header say the same.
"""

from __future__ import annotations

import hashlib

from fastapi import Request, Response
from pydantic import BaseModel, Field

NOT_MODIFIED = {304: {"description": "Not modified: the `ETag` sent in `If-None-Match` is still current."}}


class PageLinks(BaseModel):
    self: str
    next: str | None = Field(default=None, description="The next page; absent on the last one.")
    prev: str | None = Field(default=None, description="The previous page; absent on the first one.")


def page_links(request: Request, page: int, pages: int) -> PageLinks:
    def at(number: int) -> str:
        return str(request.url.include_query_params(page=number))

    return PageLinks(
        self=at(page),
        next=at(page + 1) if page < pages else None,
        prev=at(page - 1) if page > 1 else None,
    )


def link_header(links: PageLinks) -> str:
    rels = (("self", links.self), ("next", links.next), ("prev", links.prev))
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in rels if url)


def _matches(if_none_match: str, tag: str) -> bool:
    """Weak comparison (RFC 9110 13.1.2): W/"x" and "x" are the same tag; * matches any."""
    opaque = tag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == opaque:
            return True
    return False


def conditional_json(request: Request, body: BaseModel, headers: dict[str, str] | None = None) -> Response:
    """The body as JSON with its ETag, or 304 when the client already has this version."""
    content = body.model_dump_json().encode()
    tag = f'W/"{hashlib.sha256(content).hexdigest()[:32]}"'
    out = {"ETag": tag, "Cache-Control": "no-cache", **(headers or {})}
    if _matches(request.headers.get("if-none-match", ""), tag):
        return Response(status_code=304, headers=out)
    return Response(content=content, media_type="application/json", headers=out)
