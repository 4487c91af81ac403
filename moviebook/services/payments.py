"""Payments behind a small provider interface, with a built-in simulated provider.

The simulated provider sends nothing anywhere. Card 4242 4242 4242 4242 is accepted, card
4000 0000 0000 0002 is declined, and anything malformed is refused at its field. A real
provider would implement the same three calls (authorize, capture, void).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from moviebook.services.errors import DomainError, FormInvalid

DECLINED_CARD = "4000000000000002"


class PaymentDeclined(DomainError):
    pass


@dataclass(frozen=True)
class Card:
    number: str
    expiry_month: int
    expiry_year: int
    cvc: str
    name: str


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def parse_card(raw: dict, today: date) -> Card:
    """Field-level checks of what was typed; a malformed card never reaches the provider."""
    errors: dict[str, str] = {}
    number = re.sub(r"[\s-]", "", str(raw.get("card_number", "")))[:40]
    if not number.isdecimal() or not 12 <= len(number) <= 19 or not _luhn_ok(number):
        errors["card_number"] = "Enter a valid card number."
    match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*", str(raw.get("expiry", ""))[:10])
    month = year = 0
    if match:
        month, year = int(match.group(1)), int(match.group(2))
        year = year + 2000 if year < 100 else year
    if not match or not 1 <= month <= 12:
        errors["expiry"] = "Enter the expiry date as MM/YY."
    elif (year, month) < (today.year, today.month):
        errors["expiry"] = "This card has expired."
    cvc = str(raw.get("cvc", "")).strip()
    if not cvc.isdecimal() or len(cvc) not in (3, 4):
        errors["cvc"] = "Enter the 3 or 4 digits on the back of the card."
    name = str(raw.get("card_name", "")).strip()[:100]
    if not name:
        errors["card_name"] = "Enter the name on the card."
    if errors:
        raise FormInvalid(errors)
    return Card(number, month, year, cvc, name)


class PaymentProvider(Protocol):
    def authorize(self, amount_cents: int, currency: str, card: Card, reference: str) -> str: ...
    def capture(self, authorization: str) -> None: ...
    def void(self, authorization: str) -> None: ...


class SimulatedProvider:
    """Decides by card number alone; keeps what it authorized in memory for tests to inspect."""

    def __init__(self) -> None:
        self.captured: set[str] = set()
        self.voided: set[str] = set()

    def authorize(self, amount_cents: int, currency: str, card: Card, reference: str) -> str:
        if card.number == DECLINED_CARD:
            raise PaymentDeclined("Your card was declined. No money was taken. Try another card.")
        return f"sim_{secrets.token_hex(8)}"

    def capture(self, authorization: str) -> None:
        self.captured.add(authorization)

    def void(self, authorization: str) -> None:
        self.voided.add(authorization)
