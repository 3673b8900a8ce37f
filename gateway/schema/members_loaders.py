"""Batch loaders of the members domain: one RPC per page, not per row.

Other domains resolve a `member` field with `members_by_id` too.
"""

from __future__ import annotations

from typing import Any

from strawberry.dataloader import DataLoader

from gateway.context import Context
from gateway.schema.members_types import Member

Json = dict[str, Any]


def members_by_id(context: Context) -> DataLoader[str, Member | None]:
    async def load(ids: list[str]) -> list[Member | None]:
        found = await context.rpc.call("members", "get_members", list(ids))
        return [Member.of(m) if m else None for m in found]

    return DataLoader(load_fn=load)


def invoices_by_member(context: Context) -> DataLoader[str, list[Json] | None]:
    """None where the caller may not see that member's invoices."""

    async def load(ids: list[str]) -> list[list[Json] | None]:
        return list(await context.rpc.call("members", "member_invoices", list(ids)))

    return DataLoader(load_fn=load)


def history_by_member(context: Context) -> DataLoader[str, list[Json] | None]:
    async def load(ids: list[str]) -> list[list[Json] | None]:
        return list(await context.rpc.call("members", "status_histories", list(ids)))

    return DataLoader(load_fn=load)
