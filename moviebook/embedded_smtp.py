"""The embedded development mail server for the zero-configuration local run.

When ``SMTP_URL`` is not set, the app starts ``python -m moviebook.dev_mail`` (aiosmtpd)
listening on 127.0.0.1, keeping every message under ``<data>/mail``. Like the embedded Redis it
is started once and then shared by every worker and CLI command, which find it answering.
"""

from __future__ import annotations

import fcntl
import os
import signal
import smtplib
import subprocess
import sys
import time
from pathlib import Path

PORT_FILE = "smtp.port"


def _port(data_dir: Path) -> int | None:
    try:
        return int((data_dir / PORT_FILE).read_text().strip())
    except (OSError, ValueError):
        return None


def _answers(port: int | None) -> bool:
    if not port:
        return False
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=2) as probe:
            return probe.noop()[0] == 250
    except (OSError, smtplib.SMTPException):
        return False


def ensure_embedded_smtp(data_dir: Path, timeout: float = 15.0) -> str:
    """Start the development mail server unless it already runs; return its SMTP URL."""
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    if _answers(port := _port(data_dir)):
        return f"smtp://127.0.0.1:{port}"
    with open(data_dir / "smtp.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # several workers starting together start one server
        if _answers(port := _port(data_dir)):
            return f"smtp://127.0.0.1:{port}"
        (data_dir / PORT_FILE).unlink(missing_ok=True)
        log = open(data_dir / "smtp.log", "ab")  # noqa: SIM115 (the child keeps it open)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "moviebook.dev_mail",
                "--dir",
                str(data_dir / "mail"),
                "--port-file",
                str(data_dir / PORT_FILE),
            ],
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # outlives the worker that started it, like a daemon
            cwd=Path(__file__).resolve().parent.parent,
        )
        (data_dir / "smtp.pid").write_text(f"{server.pid}\n")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _answers(port := _port(data_dir)):
                return f"smtp://127.0.0.1:{port}"
            time.sleep(0.1)
    raise RuntimeError(f"the development mail server did not start; see {data_dir / 'smtp.log'}")


def stop_embedded_smtp(data_dir: Path) -> None:
    """Stop the development mail server started for this data folder (tests, scripts)."""
    try:
        pid = int((Path(data_dir).resolve() / "smtp.pid").read_text().strip())
        os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError):
        pass  # not running, or never started here
