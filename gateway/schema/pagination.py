"""The Relay page information every connection in the schema shares."""

from __future__ import annotations

from collections.abc import Sequence

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
