"""Every page's component tree builds and renders in Python, before any frontend build.

The production build catches the same mistakes (a prop of the wrong type, a var used wrongly),
but only after minutes of compiling; this says which page is broken in a second.
"""

import pytest

import moviebook.moviebook as app_module

PAGES = sorted(app_module.app._unevaluated_pages.items())


def test_every_page_is_registered():
    routes = {route for route, _ in PAGES}
    assert {"index", "admin", "admin/reports", "admin/returns", "showtimes/[showtime_id]", "bookings"} <= routes
    assert {"staff/sell", "staff/cashup", "staff/tickets/[sale_ref]"} <= routes


@pytest.mark.parametrize("route, page", PAGES, ids=[route for route, _ in PAGES])
def test_page_builds_and_renders(route, page):
    rendered = page.component().render()
    assert rendered, f"{route} rendered nothing"
