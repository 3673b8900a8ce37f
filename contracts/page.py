"""One page shape for every list that crosses the wire, and one cursor codec.

A page is Relay's connection as JSON: `{edges: [{cursor, node}], page_info,
total_count}`. A cursor is opaque to clients: the row's sort key as a JSON
list of strings, base64url-encoded. A service decodes it back to the strings
it encoded, and a cursor that is not one of ours is a BadInput on `after`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Generic, TypedDict, TypeVar

from common.errors import BadInput

T = TypeVar("T")


class Edge(TypedDict, Generic[T]):
    cursor: str
    node: T


class PageInfo(TypedDict):
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


class Page(TypedDict, Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int


def page_of(
    nodes: Sequence[T],
    cursors: Sequence[str],
    total_count: int,
    has_next: bool,
    has_previous: bool,
) -> Page[T]:
    """The page of `nodes`, each with its cursor, in order."""
    return {
        "edges": [
            {"cursor": c, "node": n} for c, n in zip(cursors, nodes, strict=True)
        ],
        "page_info": {
            "has_next_page": has_next,
            "has_previous_page": has_previous,
            "start_cursor": cursors[0] if cursors else None,
            "end_cursor": cursors[-1] if cursors else None,
        },
        "total_count": total_count,
    }


def encode_cursor(*key: str) -> str:
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode()


NOT_OURS = "not a cursor from this list"


def decode_cursor(cursor: object, parts: int, field: str = "after") -> list[str]:
    """The `parts` strings `encode_cursor` was given; BadInput on `field` else."""
    try:
        key = json.loads(base64.urlsafe_b64decode(str(cursor).encode()))
    except (ValueError, TypeError, binascii.Error):
        raise BadInput(NOT_OURS, field) from None
    # A NUL never was in one of ours, and PostgreSQL refuses it in a query.
    if (
        not isinstance(key, list)
        or len(key) != parts
        or not all(isinstance(k, str) and "\x00" not in k for k in key)
    ):
        raise BadInput(NOT_OURS, field)
    return key


def encode_time_cursor(at: datetime, key: str) -> str:
    """For lists ordered by a timestamp, then an id."""
    return encode_cursor(at.isoformat(), key)


def decode_time_cursor(cursor: object, field: str = "after") -> tuple[datetime, str]:
    at, key = decode_cursor(cursor, 2, field)
    try:
        return datetime.fromisoformat(at), key
    except ValueError:
        raise BadInput(NOT_OURS, field) from None


class Sample(TypedDict, Generic[T]):
    """The first few of a list (oldest first) and how many it holds: what the
    staff digest shows of what waits. Not a page: there is no next one."""

    total: int
    items: list[T]
