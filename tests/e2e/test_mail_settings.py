"""In Chromium: the waiting list on a sold-out seat map (join with how many seats, hear of an
opening by email, leave), the reminder switch on My account, and the /unsubscribe page."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlmodel import select

from moviebook.models import OutboxMessage, User, WaitingListEntry
from moviebook.services.bookings import cancel_booking
from tests.e2e.helpers import log_in, own_showtime
from tests.factories import make_auditorium, make_booking, make_user, tag


def _eventually(check, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def test_a_moviegoer_joins_the_waiting_list_of_a_sold_out_show_hears_of_seats_and_leaves(page: Page, app_db):
    room = make_auditorium(app_db, f"Small {tag()}", rows=1, seats_per_row=2)
    show = own_showtime(app_db, room=room, days=3)
    owner = make_user(app_db, f"owner-{tag()}@example.com")
    sold = make_booking(app_db, owner, show, {"A1": 1000})
    make_booking(app_db, owner, show, {"A2": 1000})
    email = f"hopeful-{tag()}@example.com"
    make_user(app_db, email, password="hopeful-password-1")
    app_db.commit()

    log_in(page, email, "hopeful-password-1", path=f"/login?next=/showtimes/{show.id}")
    expect(page).to_have_url(re.compile(rf"/showtimes/{show.id}$"))
    expect(page.get_by_role("heading", name="Sold out")).to_be_visible()
    page.get_by_role("combobox", name="Seats wanted").click()
    page.get_by_role("option", name="3", exact=True).click()
    page.get_by_role("button", name="Tell me if seats free up").click()
    expect(page.get_by_role("heading", name="You are on the waiting list")).to_be_visible()
    expect(page.get_by_text(re.compile(r"when 3 seats or more come free"))).to_be_visible()

    def entry():
        app_db.expire_all()
        return app_db.exec(select(WaitingListEntry).where(WaitingListEntry.showtime_id == show.id)).first()

    assert entry().seats_wanted == 3
    page.get_by_role("button", name="Leave the waiting list").click()
    expect(page.get_by_role("button", name="Tell me if seats free up")).to_be_visible()
    assert _eventually(lambda: entry() is None)

    page.get_by_role("combobox", name="Seats wanted").click()
    page.get_by_role("option", name="1", exact=True).click()
    page.get_by_role("button", name="Tell me if seats free up").click()
    expect(page.get_by_role("heading", name="You are on the waiting list")).to_be_visible()
    cancel_booking(app_db, user_id=owner.id, booking_id=sold.id, cutoff=timedelta(minutes=30))
    app_db.commit()
    [mail] = app_db.exec(
        select(OutboxMessage).where(OutboxMessage.kind == "waiting_list_opening", OutboxMessage.to_address == email)
    ).all()
    assert f"/showtimes/{show.id}" in mail.body_text


def test_reminders_switch_off_on_my_account_and_a_bad_unsubscribe_link_explains_itself(page: Page, app_db):
    email = f"reminded-{tag()}@example.com"
    user = make_user(app_db, email, password="reminded-password-1")
    app_db.commit()
    log_in(page, email, "reminded-password-1", path="/login?next=/account")
    expect(page).to_have_url(re.compile(r"/account$"))
    switch = page.get_by_role("switch", name=re.compile(r"Remind me by email 3 hours before my show"))
    expect(switch).to_be_checked()
    switch.click()
    expect(page.get_by_text("Reminders are off.")).to_be_visible()

    def reminders() -> bool:
        app_db.expire_all()
        return app_db.get(User, user.id).email_reminders

    assert _eventually(lambda: reminders() is False)
    page.reload()
    expect(page.get_by_role("switch", name=re.compile(r"Remind me by email"))).not_to_be_checked()

    page.goto("/unsubscribe?token=not-a-real-token")
    expect(page.get_by_role("alert").filter(has_text="This unsubscribe link is not valid")).to_be_visible()
