"""A real SMTP server for tests (aiosmtpd on a free port), which keeps what it accepts and can
be told to refuse the next N messages, as a relay that is down or greylisting would."""

from __future__ import annotations

import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from moviebook.services.smtp import SmtpServer
from tests.app_server import free_port


class _Recorder:
    def __init__(self):
        self.received: list[EmailMessage] = []
        self.refuse_next = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return "451 4.3.0 Try again later"
            self.received.append(
                message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
            )
        return "250 OK"


class TestSmtpServer:
    """Started and stopped by the ``smtp_server`` fixture."""

    __test__ = False  # not a test class, despite the name

    def __init__(self):
        self.recorder = _Recorder()
        self.port = free_port()  # aiosmtpd's Controller needs a real port, not 0
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)

    @property
    def server(self) -> SmtpServer:
        return SmtpServer("127.0.0.1", self.port, timeout=5)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def received(self) -> list[EmailMessage]:
        with self.recorder.lock:
            return list(self.recorder.received)

    def refuse(self, count: int) -> None:
        self.recorder.refuse_next = count

    def start(self) -> TestSmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
