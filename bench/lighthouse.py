"""Lighthouse 12 (mobile preset) on the pages people open most, on the production build.

    .venv/bin/python -m bench.lighthouse [--runs 1]

Starts the production build on a throwaway database (``bench.live_sync.bench_app``: one
showtime of its own, a signed-in moviegoer), then runs Lighthouse against one headless
Chromium (the local one) on: the programme (``/``), a film page, the seat map, My bookings
(signed in) and the dashboard (an admin). It prints the four category scores and LCP, TBT and
CLS per page, and keeps the JSON reports under ``bench/.lighthouse/reports/``.

In the same run, the floor: Lighthouse on a one-line static HTML page served by Python's
``http.server`` on this machine, which no app can beat here (Lighthouse's mobile preset
simulates a slow phone and network, so even the floor's LCP is not zero).

Lighthouse is pinned to 12.2.3 (13 wants Node 22 features this project's Node may lack) and
installed with npm into ``bench/.lighthouse/`` on first use; nothing of it is committed.
Prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import json
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlmodel import Session

from bench.live_sync import bench_app
from moviebook.db import make_engine
from moviebook.models import Role, User
from moviebook.services.tokens import TokenPolicy, start_session
from moviebook.state.auth import ACCESS_STORAGE_KEY, REFRESH_STORAGE_KEY
from tests.app_server import CHROMIUM_FLAGS, free_port

LIGHTHOUSE_VERSION = "12.2.3"
HOME = Path(__file__).resolve().parent / ".lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = (
    ("largest-contentful-paint", "LCP", "s"),
    ("total-blocking-time", "TBT", "ms"),
    ("cumulative-layout-shift", "CLS", ""),
)


def lighthouse_bin() -> Path:
    found = HOME / "node_modules" / ".bin" / "lighthouse"
    if not found.exists():
        HOME.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(HOME),
                "--save-exact",
                "--no-audit",
                "--no-fund",
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
        )
    return found


def chromium_path() -> str:
    """Playwright's own Chromium when installed, else Debian's (as the e2e tests choose)."""
    with sync_playwright() as p:
        if Path(p.chromium.executable_path).exists():
            return p.chromium.executable_path
    return "/usr/bin/chromium"


@contextlib.contextmanager
def chromium(port: int):
    """One headless Chromium that Lighthouse and Playwright both drive, over its debugging port."""
    profile = tempfile.mkdtemp(prefix="mb-lighthouse-")
    flags = [f for f in CHROMIUM_FLAGS if not f.startswith("--headless")]
    proc = subprocess.Popen(
        [
            chromium_path(),
            "--headless=new",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            *flags,
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        yield
    finally:
        proc.kill()
        proc.wait(timeout=10)


def set_tokens(port: int, url: str, tokens: tuple[str, str] | None) -> None:
    """Sign the browser in (or out) as a person's tabs are: the two tokens in localStorage. The
    HTTP cache is emptied, so a signed-in page loads cold too (Lighthouse is told to keep the
    storage for the tokens, which would otherwise keep the cache as well)."""
    with sync_playwright() as p:
        browser = p.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
        page = browser.contexts[0].new_page()
        page.context.new_cdp_session(page).send("Network.clearBrowserCache")
        page.goto(f"{url}/ping")
        if tokens:
            page.evaluate(
                "([keys, values]) => keys.forEach((key, i) => localStorage.setItem(key, values[i]))",
                [[ACCESS_STORAGE_KEY, REFRESH_STORAGE_KEY], list(tokens)],
            )
        else:
            page.evaluate("() => localStorage.clear()")
        page.close()
        browser.close()  # disconnects; the Chromium process stays for Lighthouse


def audit(port: int, url: str, name: str, out: Path, *, signed_in: bool) -> dict:
    report = out / f"{name}.json"
    keep = ["--disable-storage-reset"] if signed_in else []  # keep the tokens a signed-in page needs
    subprocess.run(
        [
            str(lighthouse_bin()),
            url,
            f"--port={port}",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            *keep,
            "--quiet",
        ],
        check=True,
    )
    data = json.loads(report.read_text())
    scores = {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES}
    metrics = {label: data["audits"][key]["numericValue"] for key, label, _ in METRICS}
    return {"scores": scores, "metrics": metrics, "weight": data["audits"]["total-byte-weight"]["numericValue"]}


@contextlib.contextmanager
def static_floor():
    folder = Path(tempfile.mkdtemp(prefix="mb-floor-"))
    (folder / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><meta name="description" content="floor">'
        "<title>Floor</title></head><body><h1>What's on</h1></body></html>"
    )
    port = free_port()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # the figures are the output, not its requests
            pass

    handler = lambda *a: Quiet(*a, directory=str(folder))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()


def _session_tokens(env: dict[str, str], role: str) -> tuple[str, str]:
    engine = make_engine(env["DATABASE_URL"])
    with Session(engine) as session:
        user = User(
            name=f"Bench {role}",
            email=f"lighthouse-{role}-{time.time_ns()}@example.com",
            password_hash="unused",
            role=role,
        )
        session.add(user)
        session.flush()
        policy = TokenPolicy(
            secret_key=env["SECRET_KEY"], access_ttl=timedelta(minutes=15), refresh_ttl=timedelta(days=1)
        )
        pair = start_session(session, user, policy)
        session.commit()
    engine.dispose()
    return pair.access, pair.refresh


def _row(name: str, results: list[dict]) -> str:
    med = lambda f: statistics.median(f(r) for r in results)  # noqa: E731
    scores = " / ".join(f"{med(lambda r, c=c: r['scores'][c]):3.0f}" for c in CATEGORIES)
    lcp, tbt, cls = (med(lambda r, k=k: r["metrics"][k]) for k in ("LCP", "TBT", "CLS"))
    weight = med(lambda r: r["weight"]) / 1024
    return f"  {name:<14} {scores}   LCP {lcp / 1000:5.2f} s   TBT {tbt:6.0f} ms   CLS {cls:5.3f}   {weight:6.0f} KiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is printed")
    args = parser.parse_args()
    lighthouse_bin()
    out = HOME / "reports" / datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out.mkdir(parents=True)
    port = free_port()
    with bench_app() as app, chromium(port), static_floor() as floor:
        movie_id = _movie_of(app)
        pages = [
            ("floor (static)", floor, None),
            ("/", f"{app.url}/", None),
            ("film page", f"{app.url}/movies/{movie_id}", None),
            ("seat map", f"{app.url}/showtimes/{app.showtime_id}", None),
            ("My bookings", f"{app.url}/bookings", Role.USER.value),
            ("dashboard", f"{app.url}/admin", Role.ADMIN.value),
        ]
        print(f"Lighthouse {LIGHTHOUSE_VERSION}, mobile preset, {args.runs} run(s) per page; reports in {out}")
        print(f"  {'page':<14} {' / '.join(CATEGORIES)}")
        for name, url, role in pages:
            if not url.startswith(floor):
                set_tokens(port, app.url, _session_tokens(app.env, role) if role else None)
            stem = name.replace(" ", "_").strip("/") or "home"
            results = [audit(port, url, f"{stem}-{n}", out, signed_in=role is not None) for n in range(args.runs)]
            print(_row(name, results), flush=True)


def _movie_of(app) -> int:
    from moviebook.models import Showtime

    engine = make_engine(app.env["DATABASE_URL"])
    with Session(engine) as session:
        movie_id = session.get(Showtime, app.showtime_id).movie_id
    engine.dispose()
    return movie_id


if __name__ == "__main__":
    main()
