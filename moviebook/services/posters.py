"""Poster uploads: only real PNG, JPEG or WebP images up to 5 MB, stored under a generated name.

The type is decided by the file's first bytes, never by its name or the browser's claim, so a
text file renamed ``poster.png`` is refused.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from moviebook.services.errors import DomainError

MAX_POSTER_BYTES = 5 * 1024 * 1024
POSTER_FOLDER = "posters"
UPLOAD_URL_PREFIX = "/_upload/"  # where Reflex's backend serves the upload directory


def poster_url(stored: str) -> str:
    """The address a stored poster (``posters/<name>``) is served at: what a film's poster_path holds."""
    return UPLOAD_URL_PREFIX + stored


class PosterRejected(DomainError):
    pass


def sniff_image_type(data: bytes) -> str | None:
    """The file extension matching the content's signature, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def store_poster(data: bytes, upload_dir: Path) -> str:
    """Validate and save; returns the path below the upload directory (``posters/<name>``)."""
    if not data:
        raise PosterRejected("That file is empty.")
    if len(data) > MAX_POSTER_BYTES:
        raise PosterRejected("That file is larger than 5 MB. Choose a smaller image.")
    kind = sniff_image_type(data)
    if kind is None:
        raise PosterRejected("That is not a PNG, JPEG or WebP image.")
    folder = Path(upload_dir) / POSTER_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(12)}.{kind}"  # never the uploader's name: no paths, no clashes
    (folder / name).write_bytes(data)
    return f"{POSTER_FOLDER}/{name}"
