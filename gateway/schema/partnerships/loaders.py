"""Batch loaders of the partnerships domain: one RPC per page, not per row.

Loaders return the services' wire types; the resolvers build GraphQL types.
"""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from contracts.partnerships import PartnershipView, TransitionView
from gateway.context import Context


def partnerships_by_id(context: Context) -> DataLoader[str, PartnershipView | None]:
    async def load(ids: list[str]) -> list[PartnershipView | None]:
        return await context.services.partnerships.get_partnerships(list(ids))

    return DataLoader(load_fn=load)


def histories_by_partnership(
    context: Context,
) -> DataLoader[str, list[TransitionView]]:
    async def load(ids: list[str]) -> list[list[TransitionView]]:
        return await context.services.partnerships.partnership_histories(list(ids))

    return DataLoader(load_fn=load)


def partnerships_by_member(
    context: Context,
) -> DataLoader[str, list[PartnershipView]]:
    """Each member's partnerships that the caller may see."""

    async def load(member_ids: list[str]) -> list[list[PartnershipView]]:
        return await context.services.partnerships.partnerships_of_members(
            list(member_ids)
        )

    return DataLoader(load_fn=load)
