"""Emails from templates: ``templates/mail/<kind>.html`` and ``<kind>.txt``, both extending a
base with the cinema's name, colours and footer. The HTML is one narrow column with inline
styles (what mail clients keep), so it reads well in a phone's mail app."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from moviebook.config import get_settings
from moviebook.services.outbox import Attachment, Mail

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "mail"

# The site's theme (components/theme.py): dark panel, amber accent.
THEME = {"accent": "#ffc53d", "ink": "#1a1a1a", "panel": "#111113", "muted": "#6f6f76", "paper": "#ffffff"}


@cache
def _environments() -> tuple[jinja2.Environment, jinja2.Environment]:
    loader = jinja2.FileSystemLoader(TEMPLATES)
    html = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    text = jinja2.Environment(loader=loader, autoescape=False, undefined=jinja2.StrictUndefined)
    return html, text


def render(kind: str, to: str, subject: str, *, unsubscribe_url: str | None = None, attachments=(), **context) -> Mail:
    """The HTML and plain-text versions of one message. Every message has the footer; optional
    ones (reminders, the waiting list) pass ``unsubscribe_url``."""
    settings = get_settings()
    common = {
        "cinema": settings.cinema_name,
        "site_url": settings.site_url,
        "theme": THEME,
        "subject": subject,
        "unsubscribe_url": unsubscribe_url,
        **context,
    }
    html, text = _environments()
    return Mail(
        to=to,
        subject=subject,
        text=text.get_template(f"{kind}.txt").render(common).strip() + "\n",
        html=html.get_template(f"{kind}.html").render(common),
        attachments=tuple(attachments),
    )


__all__ = ["Attachment", "render"]
