"""Money is integer cents everywhere; this is the one place that turns it into text."""

from __future__ import annotations

_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def format_amount(cents: int) -> str:
    """The number alone, as typed into a form: 1234 -> '12.34', -100 -> '-1.00'."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(int(cents)), 100)
    return f"{sign}{whole}.{frac:02d}"


def format_cents(cents: int, currency: str) -> str:
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(int(cents)), 100)
    symbol = _SYMBOLS.get(currency.upper())
    amount = f"{whole:,}.{frac:02d}"
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{amount} {currency.upper()}"


def currency_symbol(currency: str) -> str:
    """'GBP' -> '£'; a currency without a symbol here is named by its code."""
    return _SYMBOLS.get(currency.upper(), currency.upper())
