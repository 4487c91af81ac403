"""Reflex configuration. Values come from moviebook.config, which reads the environment."""

import reflex as rx

from moviebook.components.theme import app_theme
from moviebook.config import get_settings

settings = get_settings()

config = rx.Config(
    app_name="moviebook",
    telemetry_enabled=False,
    # Reflex's own per-tab state lives in the same Redis as the seat holds, so several
    # backend workers share it. Without REDIS_URL this is the embedded server.
    redis_url=settings.redis_url,
    state_manager_mode="redis",
    # The websocket and the API accept browser calls from our own site only, plus the partner
    # sites in API_PARTNER_ORIGINS (none by default). Reflex applies one CORS list to both; a
    # partner's page opening the websocket gains nothing, since sessions live in our origin's
    # localStorage and never travel with a cross-site request.
    cors_allowed_origins=settings.allowed_origins + list(settings.api_partner_origins),
    show_built_with_reflex=False,
    # state_auto_setters stays at its default (off): no var is writable from the browser
    # except through an event handler that checks its input.
    plugins=[rx.plugins.RadixThemesPlugin(theme=app_theme), rx.plugins.SitemapPlugin()],
)
