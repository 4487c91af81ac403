"""The API is served by the real production app, on the same port as the pages."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PARTNER_ORIGIN


def test_the_api_its_docs_and_the_pages_share_one_port(app_url: str):
    with httpx.Client(base_url=app_url, timeout=15) as http:
        schema = http.get("/api/v1/openapi.json")
        assert schema.status_code == 200
        assert schema.json()["info"]["title"] == "Moviebook API"
        assert "/api/v1/auth/login" in schema.json()["paths"]
        docs = http.get("/api/docs")
        assert docs.status_code == 200 and "swagger-ui" in docs.text.lower()
        missing = http.get("/api/v1/no-such-thing")
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("application/problem+json")
        assert http.get("/ping").status_code == 200
        home = http.get("/")
        assert home.status_code == 200 and "<html" in home.text.lower()


def test_the_docs_page_works_without_the_internet(page: Page, app_url: str):
    """Swagger UI comes from this server, not a CDN: a kiosk network without internet still
    gets readable docs."""
    elsewhere: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(app_url) else elsewhere.append(request.url))
    page.goto(f"{app_url}/api/docs")
    expect(page.get_by_role("heading", name=re.compile(r"^Moviebook API"))).to_be_visible(timeout=15_000)
    # "/" escaped: Playwright hands the pattern to the page as a JavaScript regex.
    login = page.get_by_role("button", name=re.compile(r"POST\s*\/api\/v1\/auth\/login"))
    expect(login).to_be_visible()
    login.click()
    expect(page.get_by_text("Request body").first).to_be_visible()
    assert elsewhere == []


def _preflight(http: httpx.Client, origin: str) -> httpx.Response:
    return http.options(
        "/api/v1/movies",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )


def test_cors_admits_the_configured_partner_and_no_one_else(app_url: str):
    with httpx.Client(base_url=app_url, timeout=15) as http:
        partner = _preflight(http, PARTNER_ORIGIN)
        assert partner.status_code == 200
        assert partner.headers["access-control-allow-origin"] == PARTNER_ORIGIN
        stranger = _preflight(http, "https://evil.example")
        assert stranger.status_code == 400
        assert "access-control-allow-origin" not in stranger.headers
        plain = http.get("/api/v1/me", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in plain.headers
