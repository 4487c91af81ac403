"""The load balancer's configuration, rendered from the committed template (scripts/lb/)."""

from __future__ import annotations

import re
import subprocess

import pytest

from scripts.cluster import (
    SITE_TEMPLATE,
    LoadBalancer,
    _mime_types,
    nginx_binary,
    render,
    spa_route_regex,
    upstream_lines,
)

ROUTES = ["movies/[movie_id]", "showtimes/[showtime_id]", "admin/movies/[edit_id]", "index", "login", "404"]


def test_the_dynamic_routes_become_one_regex_and_the_static_ones_stay_files():
    regex = re.compile(spa_route_regex(ROUTES))
    for path in ("/movies/3", "/showtimes/42", "/showtimes/42/", "/admin/movies/new"):
        assert regex.match(path), path
    for path in ("/", "/login", "/showtimes", "/showtimes/4/2", "/admin/movies", "/xmovies/3", "/404"):
        assert not regex.match(path), path


def test_catch_all_routes_and_an_app_without_dynamic_routes():
    regex = re.compile(spa_route_regex(["docs/[...slug]", "blog/[[...rest]]"]))
    assert regex.match("/docs/a/b") and not regex.match("/docs")
    assert regex.match("/blog") and regex.match("/blog/2026/12")
    assert not re.compile(spa_route_regex(["index", "login"])).match("/login")


def test_render_fills_only_its_own_placeholders_and_refuses_leftovers():
    template = "listen ${MOVIEBOOK_LISTEN}; proxy_set_header Upgrade $http_upgrade; root ${MOVIEBOOK_STATIC_ROOT};"
    partial = render(template, {"MOVIEBOOK_STATIC_ROOT": "/srv"}, complete=False)
    assert partial == "listen ${MOVIEBOOK_LISTEN}; proxy_set_header Upgrade $http_upgrade; root /srv;"
    with pytest.raises(ValueError, match="MOVIEBOOK_LISTEN"):
        render(template, {"MOVIEBOOK_STATIC_ROOT": "/srv"})


def test_the_image_fills_in_exactly_the_start_time_values():
    """The Dockerfile renders the build's values; the nginx image's envsubst the rest."""
    text = render(
        SITE_TEMPLATE.read_text(), {"MOVIEBOOK_STATIC_ROOT": "/srv", "MOVIEBOOK_SPA_ROUTES": "^/x$"}, complete=False
    )
    assert set(re.findall(r"\$\{(\w+)\}", text)) == {"MOVIEBOOK_LISTEN", "MOVIEBOOK_UPSTREAM", "MOVIEBOOK_RESOLVER"}


def test_the_rendered_configuration_passes_nginx_own_check(tmp_path):
    """``nginx -t`` on the local cluster's configuration: the websocket location, the upstream
    and the SPA routes are valid nginx. Needs nginx (scripts/ensure_services.sh installs it)."""
    nginx = nginx_binary()
    static, routes = tmp_path / "client", tmp_path / "routes.json"
    static.mkdir()
    routes.write_text('["showtimes/[showtime_id]", "index"]')
    lb = LoadBalancer("127.0.0.1:1", ["127.0.0.1:2", "127.0.0.1:3"], static, routes, tmp_path / "nginx")
    lb.directory.mkdir()
    lb.write_config(nginx)
    site = (lb.directory / "moviebook.conf").read_text()
    assert upstream_lines(lb.backends) in site and "proxy_set_header Upgrade $http_upgrade;" in site
    check = subprocess.run(
        [nginx, "-p", str(lb.directory), "-e", str(lb.error_log), "-c", str(lb.config), "-t"],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    assert _mime_types(nginx).endswith("mime.types")
