from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from moviebook.services.clock import at_local, local_day_bounds, local_today
from moviebook.services.money import format_cents

LONDON = ZoneInfo("Europe/London")


def test_format_cents_uses_the_currency_symbol_and_two_decimals():
    assert format_cents(1150, "GBP") == "£11.50"
    assert format_cents(5, "EUR") == "€0.05"
    assert format_cents(123456789, "USD") == "$1,234,567.89"
    assert format_cents(-250, "GBP") == "-£2.50"
    assert format_cents(990, "CHF") == "9.90 CHF"


def test_local_day_bounds_in_winter_and_summer():
    assert local_day_bounds(date(2026, 1, 15), LONDON) == (
        datetime(2026, 1, 15, 0, 0, tzinfo=timezone.utc),
        datetime(2026, 1, 16, 0, 0, tzinfo=timezone.utc),
    )
    # British Summer Time: local midnight is 23:00 UTC the evening before.
    assert local_day_bounds(date(2026, 7, 1), LONDON) == (
        datetime(2026, 6, 30, 23, 0, tzinfo=timezone.utc),
        datetime(2026, 7, 1, 23, 0, tzinfo=timezone.utc),
    )


def test_the_day_the_clocks_go_back_lasts_25_hours():
    start, end = local_day_bounds(date(2026, 10, 25), LONDON)
    assert (end - start).total_seconds() == 25 * 3600


def test_local_today_and_at_local_follow_the_cinema_zone():
    late_utc = datetime(2026, 7, 1, 23, 30, tzinfo=timezone.utc)  # 00:30 on 2 July in London
    assert local_today(LONDON, late_utc) == date(2026, 7, 2)
    assert at_local(date(2026, 7, 2), 19, 30, LONDON) == datetime(2026, 7, 2, 18, 30, tzinfo=timezone.utc)
