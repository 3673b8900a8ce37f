"""A response's writes go out as one send, in order (common/fastpaths/uvicorn.py)."""

from __future__ import annotations

import asyncio
import threading
from contextlib import nullcontext
from typing import Any

import httpx
import pytest
import uvicorn

from common import fastpaths
from common.fastpaths.uvicorn import NAME, JoinedWrites, http_protocol
from tests.support.platform import free_port
from tests.support.wait import wait_until


class Recording(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[bytes] = []
        self.closed = False
        self.protocol: asyncio.BaseProtocol | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.sent.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self.protocol = protocol

    def get_write_buffer_size(self) -> int:
        return 0  # all sent at once


async def turn() -> None:
    await asyncio.sleep(0)


def test_writes_of_one_turn_are_sent_once_in_order() -> None:
    async def scenario() -> list[bytes]:
        real = Recording()
        joined = JoinedWrites(real)
        joined.write(b"HTTP/1.1 200 OK\r\n\r\n")
        joined.writelines([b"{", bytearray(b'"a"'), memoryview(b":1}")])
        assert real.sent == []  # nothing before the turn ends
        assert joined.get_write_buffer_size() == 26
        await turn()
        joined.write(b"next")
        await turn()
        return real.sent

    assert asyncio.run(scenario()) == [b'HTTP/1.1 200 OK\r\n\r\n{"a":1}', b"next"]


def test_closing_or_handing_over_sends_what_was_written_first() -> None:
    async def scenario() -> tuple[Recording, Recording]:
        closed, handed = Recording(), Recording()
        one, other = JoinedWrites(closed), JoinedWrites(handed)
        one.write(b"bye")
        one.close()
        other.write(b"101 Switching Protocols")
        other.set_protocol(asyncio.Protocol())
        assert handed.sent == [b"101 Switching Protocols"]
        await turn()  # the scheduled flush finds nothing more to send
        return closed, handed

    closed, handed = asyncio.run(scenario())
    assert closed.sent == [b"bye"] and closed.closed
    assert handed.sent == [b"101 Switching Protocols"]
    assert handed.protocol is not None


def test_an_aborted_connection_sends_nothing_more() -> None:
    async def scenario() -> list[bytes]:
        real = Recording()
        joined = JoinedWrites(real)
        real.abort = lambda: None  # type: ignore[method-assign]
        joined.write(b"half a response")
        joined.abort()
        await turn()
        return real.sent

    assert asyncio.run(scenario()) == []


async def hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"hello"})


@pytest.mark.parametrize("off", [False, True], ids=["on", "off"])
def test_a_real_uvicorn_sends_through_the_fast_path_unless_off(off: bool) -> None:
    before = fastpaths.taken[NAME]
    with fastpaths.turned_off(NAME) if off else nullcontext():
        protocol = http_protocol()
    config = uvicorn.Config(
        hello, port=free_port(), http=protocol, log_config=None, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started, message="uvicorn up")
        answer = httpx.get(f"http://127.0.0.1:{config.port}/", timeout=5)
    finally:
        server.should_exit = True
        thread.join(10)
    assert (answer.status_code, answer.text) == (200, "hello")
    # The status line and headers, then the body: two writes joined as one.
    assert fastpaths.taken[NAME] == before + (0 if off else 1)
