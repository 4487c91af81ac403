"""Searching text columns for what a person typed, with LIKE/ILIKE.

Typed text may contain LIKE's own wildcards (% and _) and its escape character; they must be
matched literally. Escaping the escape character matters: an unescaped trailing backslash
makes PostgreSQL refuse the whole query.
"""

LIKE_ESCAPE = "\\"


def contains_pattern(text: str) -> str:
    """An ILIKE pattern matching ``text`` anywhere, literally. Use with ``escape=LIKE_ESCAPE``."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
