"""Every mail kind renders from its templates with a sample context, under StrictUndefined (a
variable the code forgets to pass fails here, not in a customer's inbox): HTML and text, the
footer everywhere, the unsubscribe link on the optional ones only."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from moviebook.services.mail_render import TEMPLATES, render

BOOKING = {
    "title": "Harbour Lights",
    "when": "Friday 4 December 2026, 19:30",
    "room": "Screen 2",
    "code": "K7Q2M9",
    "lines": [{"seat": "C7", "ticket": "Adult", "price": "£10.75"}],
    "seat_labels": "C7, C8",
    "discount": "",
    "promo": "",
    "fee": "£1.50",
    "total": "£21.50",
    "ticket_url": "https://cinema.example/bookings/42",
}
CANCEL = {
    **BOOKING,
    "refund": "£20.00",
    "kept_fee": "£1.50",
    "reason": "",
    "refund_how": "to the card you paid with; it usually shows within 5 working days",
    "bookings_url": "https://cinema.example/bookings",
    "programme_url": "https://cinema.example/",
}
UNSUBSCRIBE = "https://cinema.example/unsubscribe?token=abc.def.ghi"

# kind -> (sample context, phrases both versions must say (a URL: as a link), optional mail?)
SAMPLES = {
    "booking_confirmed": ({**BOOKING, "qr_cid": "ticket-qr"}, ["Harbour Lights", "K7Q2M9", "£21.50"], False),
    "booking_cancelled": (
        CANCEL,
        [
            "is cancelled",
            "refunding £20.00 to the card you paid with",
            "booking fee of £1.50 is not refunded",
            "K7Q2M9",
        ],
        False,
    ),
    "booking_cancelled_by_cinema": (
        {**CANCEL, "kept_fee": "", "refund": "£21.50", "reason": "The projector broke down."},
        ["The reason: The projector broke down.", "full refund of £21.50 (booking fee included) to the card", "K7Q2M9"],
        False,
    ),
    "showtime_cancelled": (
        {**CANCEL, "kept_fee": "", "refund": "£21.50"},
        ["Your showing of Harbour Lights is cancelled", "full refund of £21.50", "https://cinema.example/"],
        False,
    ),
    "reminder": (
        {**BOOKING, "hours": 3, "account_url": "https://cinema.example/account"},
        ["See you soon: Harbour Lights", "Friday 4 December 2026, 19:30", "K7Q2M9", "3 hours before"],
        True,
    ),
    "waiting_list_opening": (
        {
            "title": "Harbour Lights",
            "when": "Friday 4 December 2026, 19:30",
            "room": "Screen 2",
            "seats_wanted": 2,
            "free": 3,
            "map_url": "https://cinema.example/showtimes/7",
        },
        ["Seats have come free for Harbour Lights", "2 seats came free", "now 3 free", "/showtimes/7"],
        True,
    ),
    # The account mails (services/account_mail.py).
    "password_reset": (
        {"name": "Ada", "link": "https://cinema.example/reset-password?token=t0k"},
        ["Ada", "https://cinema.example/reset-password?token=t0k"],
        False,
    ),
    "verify_email": (
        {"name": "Ada", "link": "https://cinema.example/verify-email?token=t0k"},
        ["Ada", "https://cinema.example/verify-email?token=t0k"],
        False,
    ),
    "change_email": (
        {"name": "Ada", "link": "https://cinema.example/verify-email?token=t0k"},
        ["Ada", "https://cinema.example/verify-email?token=t0k"],
        False,
    ),
    "email_change_requested": ({"name": "Ada", "new_email": "ada@new.example"}, ["Ada", "ada@new.example"], False),
    "email_changed": ({"name": "Ada", "new_email": "ada@new.example"}, ["Ada", "ada@new.example"], False),
}


def test_every_template_has_a_sample_here():
    kinds = {p.stem for p in Path(TEMPLATES).glob("*.html") if not p.stem.startswith(("base", "_"))}
    assert kinds == set(SAMPLES)
    for kind in kinds:
        assert (Path(TEMPLATES) / f"{kind}.txt").exists(), kind


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_kind_renders_html_and_text_with_footer(kind):
    context, phrases, optional = SAMPLES[kind]
    mail = render(
        kind, "fan@example.com", f"Subject of {kind}", unsubscribe_url=UNSUBSCRIBE if optional else None, **context
    )
    page = " ".join(html.unescape(re.sub(r"<[^>]+>", "", mail.html)).split())  # what a reader sees
    for phrase in phrases:
        assert phrase in mail.text, (kind, phrase)
        if phrase.startswith(("http", "/")):
            assert f'href="{phrase}' in mail.html or f'{phrase}"' in mail.html, (kind, phrase)  # a link
        else:
            assert phrase in page, (kind, phrase)
    for version in (mail.text, page):
        assert "You receive this email because of your account or a booking" in version
        assert ("Unsubscribe" in version) is optional
    if optional:
        assert UNSUBSCRIBE in mail.text and f'href="{UNSUBSCRIBE}"' in mail.html
    assert mail.html.lstrip().startswith("<!doctype html>") and 'name="viewport"' in mail.html
    assert "{{" not in mail.text and "{{" not in mail.html


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_a_missing_variable_fails_loudly(kind):
    context, _, _ = SAMPLES[kind]
    first = next(iter(context))  # the title, or the person's name: every template says it
    partial = {k: v for k, v in context.items() if k != first}
    with pytest.raises(Exception, match=first):
        render(kind, "fan@example.com", "Subject", **partial)


def test_the_html_escapes_what_people_typed():
    context = {**SAMPLES["booking_cancelled_by_cinema"][0], "reason": "<script>alert(1)</script>"}
    mail = render("booking_cancelled_by_cinema", "fan@example.com", "S", **context)
    assert "<script>" not in mail.html and "&lt;script&gt;" in mail.html
    assert "<script>alert(1)</script>" in mail.text  # plain text is shown as text by the client


def test_a_kept_fee_is_only_mentioned_when_there_is_one():
    context = {**SAMPLES["booking_cancelled"][0], "kept_fee": ""}
    mail = render("booking_cancelled", "fan@example.com", "S", **context)
    assert "not refunded" not in mail.text and "not refunded" not in mail.html


def test_a_cash_sale_without_a_fee_is_refunded_in_cash_and_mentions_no_fee():
    context = {
        **SAMPLES["booking_cancelled_by_cinema"][0],
        "fee": "",
        "refund_how": "in cash at the box office: bring your booking code",
    }
    mail = render("booking_cancelled_by_cinema", "fan@example.com", "S", **context)
    assert "full refund of £21.50 in cash at the box office: bring your booking code." in mail.text
    assert "booking fee" not in mail.text
