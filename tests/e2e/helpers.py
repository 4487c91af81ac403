"""What several browser tests do: reach tomorrow's programme and read the cards on it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def titles_on(page: Page) -> list[str]:
    return page.get_by_role("article").evaluate_all("cards => cards.map(c => c.getAttribute('aria-label'))")


def open_tomorrow(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="What's on", level=1)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Today"))).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name=re.compile(r"^Tomorrow")).click()
    expect(page.get_by_role("button", name=re.compile(r"^Tomorrow"))).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("heading", name="Tomorrow", level=2)).to_be_visible()
