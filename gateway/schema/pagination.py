"""The Relay connection every list in the schema shares, and its page info.

`Connection[Member]` is named `MemberConnection` in the schema (strawberry
names a generic type after its argument), its edges `MemberEdge`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from contracts import page as wire


@strawberry.type(description="Where a page of a Relay connection stands.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None

    @classmethod
    def of(cls, cursors: Sequence[str], has_next: bool, has_previous: bool) -> PageInfo:
        """From the page's edge cursors, in order."""
        return cls(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        )

    @classmethod
    def from_wire(cls, info: wire.PageInfo) -> PageInfo:
        """From a service's `page_info` (contracts.page)."""
        return cls(
            has_next_page=info["has_next_page"],
            has_previous_page=info["has_previous_page"],
            start_cursor=info["start_cursor"],
            end_cursor=info["end_cursor"],
        )


NodeT = TypeVar("NodeT")
ViewT = TypeVar("ViewT")


@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    total_count: int

    @staticmethod
    def of(page: wire.Page[ViewT], node: Callable[[ViewT], NodeT]) -> Connection[NodeT]:
        """A service's page (contracts.page), each node built by `node`."""
        return Connection(
            edges=[
                Edge(cursor=e["cursor"], node=node(e["node"])) for e in page["edges"]
            ],
            page_info=PageInfo.from_wire(page["page_info"]),
            total_count=page["total_count"],
        )
