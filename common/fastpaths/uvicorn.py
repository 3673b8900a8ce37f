"""uvicorn's HTTP protocol, with a response's writes sent as one (fast path
`uvicorn.joined_writes`; written for the versions in `WRITTEN_FOR`). It
subclasses uvicorn's `HttpToolsProtocol`, which is not public API, and relies
on it keeping the transport `connection_made` gives it.

uvicorn writes a response's status line and headers, then its body, as two
`transport.write` calls: two sends, two TCP segments, two wake-ups of the
client. Here writes made in one turn of the event loop are joined and sent
at the end of the turn (or before the transport is used any other way):
side by side, ~22% less gateway CPU for `{ __typename }` and ~11% for a
directory page (docs/benchmarks.md). Bytes and their order are unchanged.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from common import fastpaths

NAME = "uvicorn.joined_writes"
# The versions this module was written for (tests/unit/fastpaths checks the lock).
WRITTEN_FOR = {"uvicorn": "0.54.0", "httptools": "0.9.0"}


def http_protocol() -> type[asyncio.Protocol] | str:
    """What to give `uvicorn.run(http=...)`: ours, or uvicorn's httptools
    protocol when the fast path is off."""
    return HttpProtocol if fastpaths.on(NAME) else "httptools"


class JoinedWrites(asyncio.Transport):
    """A transport that buffers writes until the end of the loop's turn."""

    def __init__(self, transport: asyncio.Transport) -> None:
        super().__init__()
        self._transport = transport
        self._pending: list[bytes] = []
        self._loop = asyncio.get_running_loop()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(bytes(data))

    def writelines(self, list_of_data: Any) -> None:
        for data in list_of_data:
            self.write(data)

    def flush(self) -> None:
        if self._pending:
            if len(self._pending) > 1:
                fastpaths.taken[NAME] += 1
            data = b"".join(self._pending)
            self._pending.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    # Everything else: what was written first goes first.

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._pending.clear()
        self._transport.abort()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self.flush()
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(map(len, self._pending))

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits()

    def set_write_buffer_limits(
        self, high: int | None = None, low: int | None = None
    ) -> None:
        self._transport.set_write_buffer_limits(high, low)


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol on a `JoinedWrites` transport."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses: no check.
        super().connection_made(JoinedWrites(cast(asyncio.Transport, transport)))
