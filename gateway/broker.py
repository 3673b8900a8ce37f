"""The gateway's connections to a broker of one or several nodes (aio-pika).

`AMQP_URI` may list one address per node of a RabbitMQ cluster, separated by
`;` (`common.config.broker_urls`). kombu, under the services, fails over
between them by itself; aio-pika takes one URL. So here: a first connect
tries each address in turn, and aio-pika's robust connection, once it lost
its node, reconnects to the next address, then the next (round robin), at
every attempt, until one answers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

from aio_pika import RobustConnection
from aio_pika.exceptions import CONNECTION_EXCEPTIONS
from yarl import URL

from common import config


def addresses(uri: str) -> list[URL]:
    return [URL(url) for url in config.broker_urls(uri)]


def safe(uri: str) -> str:
    """The broker's addresses without credentials, for messages."""
    return ";".join(str(url.with_user(None)) for url in addresses(uri))


class FailoverConnection(RobustConnection):
    """aio-pika's robust connection, over several broker addresses."""

    def __init__(self, urls: Sequence[URL], **kwargs: Any) -> None:
        super().__init__(urls[0], **kwargs)
        self._urls = list(urls)
        self._at = 0

    def _next_address(self) -> None:
        self._at = (self._at + 1) % len(self._urls)
        self.url = self._urls[self._at]

    async def _on_connection_close(self, closing: asyncio.Future[Any]) -> None:
        # Called when the connection is lost, and when an attempt to
        # (re)connect fails (aio-pika's UnderlayConnection.connect): either
        # way, the next attempt goes to the next address.
        if not self._close_called:
            self._next_address()
        await super()._on_connection_close(closing)


async def connect_robust(
    uri: str, *, timeout: float, **kwargs: Any
) -> FailoverConnection:
    """A robust connection to the first of the broker's addresses that
    answers; raises what the last one raised when none does."""
    urls = addresses(uri)
    for start in range(len(urls)):
        connection = FailoverConnection(urls[start:] + urls[:start], **kwargs)
        try:
            await connection.connect(timeout=timeout)
            return connection
        except (*CONNECTION_EXCEPTIONS, TimeoutError):
            with contextlib.suppress(Exception):
                await connection.close()
            if start == len(urls) - 1:
                raise
    raise AssertionError("unreachable: broker_urls is never empty")


def address(uri: str, attempt: int) -> URL:
    """The address for a caller's `attempt`th connection (round robin), for a
    caller that keeps its own reconnect loop."""
    urls = addresses(uri)
    return urls[attempt % len(urls)]
