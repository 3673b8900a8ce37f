"""`Invoice.payments`, resolved by the payments service in one batch.

The `Invoice` type belongs to the members domain (members_types.py). As
partnerships does for `Member.partnerships`, we add the field to its
strawberry definition here, before the schema is built;
`gateway.schema.payments` imports this module for that effect.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types.base import get_object_definition

from gateway.context import Info
from gateway.schema.members_types import Invoice
from gateway.schema.payments_loaders import payments_by_invoice
from gateway.schema.payments_types import Payment


@strawberry.type
class _InvoicePayments:
    @strawberry.field(
        description="Attempts to pay this invoice, oldest first (one batched call "
        "per page of invoices)."
    )
    async def payments(self, info: Info) -> list[Payment]:
        invoice: Any = self  # at run time, the Invoice being resolved
        return await info.context.loader(payments_by_invoice).load(str(invoice.id))


def _attach() -> None:
    fields = get_object_definition(Invoice, strict=True).fields
    if not any(f.python_name == "payments" for f in fields):
        fields.append(get_object_definition(_InvoicePayments, strict=True).fields[0])


_attach()
