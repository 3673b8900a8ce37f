"""Batch loaders of the members domain: one RPC per page, not per row.

Loaders return the services' wire types; the resolvers build GraphQL types.
Cross-domain `member` fields (gateway.schema.links) use `members_by_id` too.
"""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from contracts.members import InvoiceView, MemberView, StatusChangeView
from gateway.context import Context


def members_by_id(context: Context) -> DataLoader[str, MemberView | None]:
    async def load(ids: list[str]) -> list[MemberView | None]:
        return await context.services.members.get_members(list(ids))

    return DataLoader(load_fn=load)


def invoices_by_member(
    context: Context,
) -> DataLoader[str, list[InvoiceView] | None]:
    """None where the caller may not see that member's invoices."""

    async def load(ids: list[str]) -> list[list[InvoiceView] | None]:
        return await context.services.members.member_invoices(list(ids))

    return DataLoader(load_fn=load)


def history_by_member(
    context: Context,
) -> DataLoader[str, list[StatusChangeView] | None]:
    async def load(ids: list[str]) -> list[list[StatusChangeView] | None]:
        return await context.services.members.status_histories(list(ids))

    return DataLoader(load_fn=load)
