"""Fast paths: the places where we reach into another library's internals.

Each library's internals are touched in one module of this package (or of
`gateway/fastpaths/` for the gateway's libraries), written for the versions
named in its `WRITTEN_FOR`; tests/unit/fastpaths checks they are still the
locked ones and that each fast path is still taken.

Every fast path has a name here and can be turned off, for a benchmark's
side-by-side run or to rule it out when chasing a bug: `FASTPATHS_OFF` holds
names separated by commas (or `all`), read once at import; a benchmark running
one in its own process flips it with `switch`. Turned off, the code takes the
library's public way.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

# name -> what it saves (docs/development.md, "Fast paths", has the figures)
NAMES = {
    "graphql_core.plain_fields": "gateway: plain fields read without graphql-core's "
    "general execution path",
    "strawberry.documents": "gateway: parsed and validated documents kept, "
    "in place of strawberry's parser and validation caches",
    "py_amqp.frames_together": "relay and event consumers: a batch's frames in "
    "one socket write",
    "py_amqp.send_method": "relay: Basic.Publish sent without basic_publish's "
    "poll of the socket",
    "psycopg2.writes_together": "a transaction's writes in one round trip",
    "nameko.replies": "services: RPC replies encoded once, sent unconfirmed",
}

OFF_VARIABLE = "FASTPATHS_OFF"


def _read_off(value: str) -> set[str]:
    names = {name.strip() for name in value.split(",") if name.strip()}
    if "all" in names:
        return set(NAMES)
    unknown = names - set(NAMES)
    if unknown:
        raise ValueError(
            f"{OFF_VARIABLE}: unknown fast path(s) {sorted(unknown)}; "
            f"known: {sorted(NAMES)} or 'all'"
        )
    return names


_on = {name: True for name in NAMES}
for _name in _read_off(os.environ.get(OFF_VARIABLE, "")):
    _on[_name] = False

# How often each fast path was taken in this process (tests read it).
taken: Counter[str] = Counter()


def on(name: str) -> bool:
    """Whether the fast path `name` is on (KeyError for an unknown name)."""
    return _on[name]


def switch(name: str, enabled: bool) -> None:
    """Turn a fast path on or off in this process (benchmarks, tests)."""
    if name not in _on:
        raise KeyError(name)
    _on[name] = enabled


@contextmanager
def turned_off(name: str) -> Iterator[None]:
    """The fast path `name` off inside the block, then as it was (tests)."""
    was = on(name)
    switch(name, False)
    try:
        yield
    finally:
        switch(name, was)
