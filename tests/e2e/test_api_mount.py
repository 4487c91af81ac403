"""The API is served by the real production app, on the same port as the pages."""

from __future__ import annotations

import httpx


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
