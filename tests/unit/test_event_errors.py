"""An event that fails inside Moviebook is a bug and is logged in full; one that fails inside
Reflex before our code ran was crafted, and gets one line and a clear answer."""

from __future__ import annotations

import logging

from moviebook.services.money import format_cents
from moviebook.state.event_errors import backend_exception_handler


def _raised(fn) -> Exception:
    try:
        fn()
    except Exception as error:  # the point is to catch whatever it raises
        return error
    raise AssertionError("expected an exception")


def test_a_failure_in_our_own_code_is_logged_with_its_traceback(caplog):
    ours = _raised(lambda: format_cents("not cents", "GBP"))  # a bug in a caller of ours
    with caplog.at_level(logging.DEBUG, logger="moviebook.events"):
        answer = backend_exception_handler(ours)
    record = caplog.records[-1]
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert "Something went wrong on our side" in str(answer)


def test_a_failure_inside_the_framework_is_one_warning_line(caplog):
    crafted = _raised(lambda: dict([[1, 2, 3]]))  # what Reflex does with a junk form marker
    with caplog.at_level(logging.INFO, logger="moviebook.events"):
        answer = backend_exception_handler(crafted)
    assert [(r.levelno, r.exc_info) for r in caplog.records] == [(logging.WARNING, None)]
    assert "Refused a malformed event (ValueError" in caplog.records[0].getMessage()
    assert "could not be understood" in str(answer)
