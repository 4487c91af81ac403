"""The development mail server: a real SMTP server (aiosmtpd) that keeps what it receives.

    python -m moviebook.dev_mail --dir data/mail --port-file data/smtp.port

Each message is written to ``<dir>/<received>-<id>.eml`` exactly as it arrived, and the admin
"Dev mailbox" page reads them, so a newcomer can follow a password-reset link without any mail
account. It listens on 127.0.0.1 only. ``embedded_smtp`` starts it for the quick start.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class KeepEveryMessage:
    """aiosmtpd handler: accept every message and keep it as a file (written then renamed, so a
    reader never sees half a message)."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        part = self.folder / f".{name}.part"
        part.write_bytes(envelope.original_content or envelope.content)
        os.replace(part, self.folder / name)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--port-file", type=Path, help="where to write the port once listening")
    args = parser.parse_args()
    port = args.port or _free_port()
    controller = Controller(KeepEveryMessage(args.dir), hostname="127.0.0.1", port=port)
    controller.start()
    if args.port_file:
        tmp = args.port_file.with_name(f".{args.port_file.name}.{os.getpid()}")
        tmp.write_text(f"{port}\n")
        os.replace(tmp, args.port_file)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        loop.run_until_complete(stop.wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
