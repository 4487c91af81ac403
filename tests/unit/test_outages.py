"""What counts as an outage, and how the periodic jobs report one."""

from __future__ import annotations

import logging

import redis

from moviebook.outages import log_failure


def test_a_jobs_outage_is_one_warning_line_and_a_bug_keeps_its_traceback(caplog):
    log = logging.getLogger("moviebook.test_jobs")
    with caplog.at_level(logging.WARNING, logger="moviebook.test_jobs"):
        log_failure(log, "sweep of showtime %s failed", 7, error=redis.ConnectionError("Connection refused"))
        try:
            raise KeyError("a bug")
        except KeyError as bug:
            log_failure(log, "sweep failed", error=bug)
    outage, bug = caplog.records
    assert (outage.levelname, outage.exc_info) == ("WARNING", None)
    assert outage.getMessage() == "sweep of showtime 7 failed (ConnectionError: Connection refused)"
    assert bug.levelname == "ERROR" and bug.exc_info[0] is KeyError
