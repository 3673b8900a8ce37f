"""Batch loaders of the payments domain: one RPC per page, not per row.

Loaders return the services' wire types; the resolvers build GraphQL types.
"""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from contracts.payments import PaymentView
from gateway.context import Context


def payments_by_invoice(context: Context) -> DataLoader[str, list[PaymentView]]:
    """Each invoice's payment attempts the caller may see, oldest first."""

    async def load(ids: list[str]) -> list[list[PaymentView]]:
        return await context.services.payments.payments_for_invoices(list(ids))

    return DataLoader(load_fn=load)
