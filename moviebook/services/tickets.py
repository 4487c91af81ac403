"""What a customer takes away: a short booking code, its QR code, and a calendar entry."""

from __future__ import annotations

import base64
import io
import re
import secrets
from datetime import datetime, timezone

import qrcode
import qrcode.image.svg

# No 0/O, 1/I/L: a code read out at the door or typed from a phone must not be ambiguous.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_booking_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(text: str) -> str:
    """A code as a person typed or read it ("abcd efgh", "ABCD-EFGH ") in its stored form.

    Case, spaces and dashes are forgiven; anything else is returned as typed (upper-cased), so
    it simply matches no booking.
    """
    compact = re.sub(r"[\s\-\u2010-\u2015]+", "", (text or "")[:40]).upper()
    if len(compact) == 8 and all(ch in CODE_ALPHABET for ch in compact):
        return f"{compact[:4]}-{compact[4:]}"
    return compact


def qr_svg(text: str) -> bytes:
    """An SVG QR code, drawn in-process (nothing fetched, no image library)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_svg_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI (for an <img> on a page)."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(text)).decode()


def qr_png(text: str) -> bytes:
    """A PNG QR code, for email: mail clients show PNG, and few show SVG."""
    buffer = io.BytesIO()
    qrcode.make(text, box_size=8, border=2).save(buffer, format="PNG")
    return buffer.getvalue()


def _ics_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def booking_ics(
    *, code: str, title: str, starts_at: datetime, ends_at: datetime, place: str, seats: str, cinema: str
) -> str:
    """An iCalendar (RFC 5545) event for the showtime, with the code and seats in it."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Moviebook//Tickets//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{code}@moviebook",
        f"DTSTAMP:{_ics_time(datetime.now(timezone.utc))}",
        f"DTSTART:{_ics_time(starts_at)}",
        f"DTEND:{_ics_time(ends_at)}",
        f"SUMMARY:{_escape(title)}",
        f"LOCATION:{_escape(f'{cinema}, {place}')}",
        f"DESCRIPTION:{_escape(f'Booking {code}. Seats: {seats}. Show this code at the door.')}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"
