from datetime import date

from moviebook.state.views import day_views, parse_day, runtime_label


def test_day_strip_starts_today_and_names_the_first_two_days():
    days = day_views(date(2030, 3, 12))
    assert [d.weekday for d in days] == ["Today", "Tomorrow", "Thu", "Fri", "Sat", "Sun", "Mon"]
    assert days[0].iso == "2030-03-12" and days[0].date_label == "12 Mar"
    assert days[-1].iso == "2030-03-18"


def test_parse_day_accepts_only_days_of_the_strip():
    days = day_views(date(2030, 3, 12))
    assert parse_day("2030-03-14", days) == date(2030, 3, 14)
    assert parse_day("2030-03-19", days) is None
    assert parse_day("'; DROP TABLE movies; --", days) is None


def test_runtime_label():
    assert runtime_label(118) == "1h 58m"
    assert runtime_label(45) == "45m"
    assert runtime_label(120) == "2h 00m"
