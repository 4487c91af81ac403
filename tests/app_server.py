"""Start the production build of the app on a free port, for browser tests and benchmarks."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from moviebook.config import PROJECT_ROOT

BUILD_TIMEOUT_SECONDS = 900  # a cold build runs npm install
SYSTEM_CHROMIUM = "/usr/bin/chromium"
# Headless Chromium as root in a sandbox without network: these keep it quiet and working.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_executable() -> str | None:
    """Playwright's own Chromium when installed (None); otherwise the system one."""
    from playwright.sync_api import sync_playwright

    if os.environ.get("PLAYWRIGHT_CHROMIUM_PATH"):
        return os.environ["PLAYWRIGHT_CHROMIUM_PATH"]
    with sync_playwright() as p:
        if Path(p.chromium.executable_path).exists():
            return None
    found = SYSTEM_CHROMIUM if Path(SYSTEM_CHROMIUM).exists() else shutil.which("chromium")
    if found is None:
        raise RuntimeError("no Chromium found: install it (apt-get install chromium); see README")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prestart(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "moviebook.cli", "prestart"], cwd=PROJECT_ROOT, env=env, check=True)


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + BUILD_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with {proc.returncode} before serving:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/ping", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"the app did not answer /ping within {BUILD_TIMEOUT_SECONDS}s:\n{log.read_text()[-4000:]}")


@contextmanager
def running_app(env: dict[str, str], log: Path, cwd: Path = PROJECT_ROOT):
    """``reflex run --env prod`` on env["PORT"]; yields the URL; stops every worker after."""
    port = env["PORT"]
    with open(log, "w") as out:
        proc = subprocess.Popen(
            ["reflex", "run", "--env", "prod", "--single-port", "--frontend-port", port],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so teardown can stop reflex and all its workers at once
        )
    url = f"http://localhost:{port}"
    try:
        _wait_until_up(url, proc, log)
        yield url
    finally:
        if proc.poll() is None:  # it may have died on its own; then its error is what matters
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
