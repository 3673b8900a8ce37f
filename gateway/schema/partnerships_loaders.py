"""Batch loaders of the partnerships domain: one RPC per page, not per row."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from contracts.partnerships import TransitionView
from gateway.context import Context
from gateway.schema.partnerships_types import Partnership


def partnerships_by_id(context: Context) -> DataLoader[str, Partnership | None]:
    async def load(ids: list[str]) -> list[Partnership | None]:
        found = await context.services.partnerships.get_partnerships(list(ids))
        return [Partnership.of(p) if p else None for p in found]

    return DataLoader(load_fn=load)


def histories_by_partnership(
    context: Context,
) -> DataLoader[str, list[TransitionView]]:
    async def load(ids: list[str]) -> list[list[TransitionView]]:
        return await context.services.partnerships.partnership_histories(list(ids))

    return DataLoader(load_fn=load)


def partnerships_by_member(context: Context) -> DataLoader[str, list[Partnership]]:
    """Each member's partnerships that the caller may see."""

    async def load(member_ids: list[str]) -> list[list[Partnership]]:
        found = await context.services.partnerships.partnerships_of_members(
            list(member_ids)
        )
        return [[Partnership.of(p) for p in group] for group in found]

    return DataLoader(load_fn=load)
