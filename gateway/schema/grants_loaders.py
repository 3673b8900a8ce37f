"""Batch loaders of the grants domain: one RPC per page, not per row."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from gateway.context import Context
from gateway.schema.grants_types import GrantProgram


def programs_by_id(context: Context) -> DataLoader[str, GrantProgram | None]:
    async def load(ids: list[str]) -> list[GrantProgram | None]:
        found = await context.services.grants.list_programs(None, list(ids))
        by_id = {p["id"]: GrantProgram.of(p) for p in found}
        return [by_id.get(i) for i in ids]

    return DataLoader(load_fn=load)
