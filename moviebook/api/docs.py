"""The interactive API docs at ``/api/docs``, served entirely from this app.

FastAPI's default page loads Swagger UI from a CDN, so on a machine or a cinema network without
internet access it is a blank page. The Swagger UI files ship instead in the pinned PyPI package
``fastapi-offline`` (used only for its ``static`` folder) and are served from ``/api/docs/assets``.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/api/docs"
ASSETS_URL = f"{DOCS_URL}/assets"
SWAGGER_FILES = Path(fastapi_offline.__file__).parent / "static"


def install(api: FastAPI, *, openapi_url: str) -> None:
    """Add the docs page and its assets. Call it before any catch-all ``/api/...`` route."""
    api.mount(ASSETS_URL, StaticFiles(directory=SWAGGER_FILES), name="api-docs-assets")

    @api.get(DOCS_URL, include_in_schema=False)
    def _docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{api.title}: documentation",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
        )
