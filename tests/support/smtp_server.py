"""A real SMTP server (aiosmtpd) on loopback for tests, collecting what it is sent."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

PASSWORD = "s3cret-パスワード"  # not ASCII: smtplib alone cannot send it


@dataclass
class Collector:
    """An SMTP handler that keeps every message it is given."""

    envelopes: list[Any] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == b"kpi"
        and (data.password == PASSWORD.encode())
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server replies 535


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    port: int
    collector: Collector


def serve(**options: Any) -> Iterator[Server]:
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield Server(port, collector)
    finally:
        controller.stop()


class RejectAfterData:
    """A handler that takes the whole message, then refuses it (554 after DATA)."""

    def __init__(self) -> None:
        self.refused = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.refused += 1
        return "554 5.7.1 rejected by policy"


@contextmanager
def serving(handler: object, port: int) -> Iterator[None]:
    """A real SMTP server on `port` with this handler, for the `with` block (e.g. a server
    that comes up on the port a config already names)."""
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield
    finally:
        controller.stop()
