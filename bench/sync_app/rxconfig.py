"""The live-sync comparison app (bench/sync_compare.py starts it). Not part of Moviebook.

Everything comes from the environment the bench sets: REDIS_URL (a claimed Redis database).
"""

import os

import reflex as rx

config = rx.Config(
    app_name="seatsync",
    telemetry_enabled=False,
    redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
    state_manager_mode="redis",
    show_built_with_reflex=False,
    plugins=[],
    disable_plugins=["reflex_base.plugins.sitemap.SitemapPlugin"],
)
