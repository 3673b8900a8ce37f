"""Batch loaders of the grants domain: one RPC per page, not per row.

Loaders return the services' wire types; the resolvers build GraphQL types.
"""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from contracts.grants import ProgramView
from gateway.context import Context


def programs_by_id(context: Context) -> DataLoader[str, ProgramView | None]:
    async def load(ids: list[str]) -> list[ProgramView | None]:
        found = await context.services.grants.list_programs(None, list(ids))
        by_id = {p["id"]: p for p in found}
        return [by_id.get(i) for i in ids]

    return DataLoader(load_fn=load)
