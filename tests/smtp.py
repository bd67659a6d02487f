"""A real SMTP server the test controls: up, down (connection refused), slow, or refusing a recipient."""

from __future__ import annotations

import asyncio
import email
import threading

from aiosmtpd.controller import Controller

from tests.conftest import free_port


class Recorder:
    def __init__(self, server: SMTPServer) -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        for fragment, reply in self.server.refuse.items():
            if fragment in address:
                return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.server.delay:
            await asyncio.sleep(self.server.delay)
        message = email.message_from_bytes(envelope.content)
        with self.server.lock:
            self.server.messages.append(message)
        return "250 OK"


class SMTPServer:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list[email.message.Message] = []
        self.refuse: dict[str, str] = {}
        self.delay = 0.0
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller = Controller(Recorder(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.messages]

    def recipients(self) -> list[str]:
        with self.lock:
            return [m["To"] for m in self.messages]
