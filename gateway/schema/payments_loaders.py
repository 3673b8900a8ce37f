"""Batch loaders of the payments domain: one RPC per page, not per row."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from gateway.context import Context
from gateway.schema.payments_types import Payment


def payments_by_invoice(context: Context) -> DataLoader[str, list[Payment]]:
    """Each invoice's payment attempts the caller may see, oldest first."""

    async def load(ids: list[str]) -> list[list[Payment]]:
        found = await context.services.payments.payments_for_invoices(list(ids))
        return [[Payment.of(p) for p in group] for group in found]

    return DataLoader(load_fn=load)
