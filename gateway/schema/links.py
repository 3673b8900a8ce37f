"""Every field that crosses from one domain's type to another's, in one place.

Each domain package (members, partnerships, grants, payments, notifications)
declares only its own types and imports no other domain; a field such as
`Member.partnerships` needs both, so it is declared here and added to its
owner's strawberry definition by `attach()` (build_schema calls it), at the
place the schema has always shown it. Resolvers get the owner as `root`.
"""

from __future__ import annotations

import strawberry
from strawberry.types.base import get_object_definition

from gateway.context import Info
from gateway.schema.members.loaders import members_by_id
from gateway.schema.members.types import Invoice, Member
from gateway.schema.partnerships.loaders import partnerships_by_member
from gateway.schema.partnerships.types import Partnership
from gateway.schema.payments.loaders import payments_by_invoice
from gateway.schema.payments.types import Disbursement, Payment


async def _member(info: Info, member_id: str) -> Member | None:
    found = await info.context.loader(members_by_id).load(member_id)
    return Member.of(found) if found else None


async def member_partnerships(root: Member, info: Info) -> list[Partnership]:
    found = await info.context.loader(partnerships_by_member).load(str(root.id))
    return [Partnership.of(p) for p in found]


async def partnership_member(root: Partnership, info: Info) -> Member | None:
    return await _member(info, str(root.member_id))


async def payment_member(root: Payment, info: Info) -> Member | None:
    return await _member(info, str(root.member_id))


async def disbursement_member(root: Disbursement, info: Info) -> Member | None:
    return await _member(info, str(root.member_id))


async def invoice_payments(root: Invoice, info: Info) -> list[Payment]:
    found = await info.context.loader(payments_by_invoice).load(str(root.id))
    return [Payment.of(p) for p in found]


@strawberry.type
class _MemberLinks:
    partnerships: list[Partnership] = strawberry.field(
        resolver=member_partnerships,
        description="The member's partnerships the caller may see (one batched "
        "call per page of members).",
    )


@strawberry.type
class _PartnershipLinks:
    member: Member | None = strawberry.field(
        resolver=partnership_member,
        description="The member community, from the members service.",
    )


@strawberry.type
class _PaymentLinks:
    member: Member | None = strawberry.field(
        resolver=payment_member,
        description="The paying member (one batched call per page).",
    )


@strawberry.type
class _DisbursementLinks:
    member: Member | None = strawberry.field(
        resolver=disbursement_member,
        description="The receiving member (one batched call per page).",
    )


@strawberry.type
class _InvoiceLinks:
    payments: list[Payment] = strawberry.field(
        resolver=invoice_payments,
        description="Attempts to pay this invoice, oldest first (one batched call "
        "per page of invoices).",
    )


# (owner, its cross-domain fields, the owner's field they follow; None: last)
LINKS: tuple[tuple[type, type, str | None], ...] = (
    (Member, _MemberLinks, "state"),
    (Partnership, _PartnershipLinks, "updated_at"),
    (Payment, _PaymentLinks, None),
    (Disbursement, _DisbursementLinks, None),
    (Invoice, _InvoiceLinks, None),
)


def attach() -> None:
    """Add the cross-domain fields to their owners; a second call does nothing."""
    for owner, links, after in LINKS:
        fields = get_object_definition(owner, strict=True).fields
        names = {f.python_name for f in fields}
        new = [
            f
            for f in get_object_definition(links, strict=True).fields
            if f.python_name not in names
        ]
        if not new:
            continue
        at = len(fields)
        if after is not None:
            at = 1 + next(i for i, f in enumerate(fields) if f.python_name == after)
        fields[at:at] = new
