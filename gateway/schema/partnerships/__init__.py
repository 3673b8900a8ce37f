"""The partnerships domain's part of the schema: the registry and its workflow,
the public directory, statistics and partner matching. Every rule and every
permission is enforced by the partnerships service; these resolvers translate.
"""

from __future__ import annotations

from datetime import date

import strawberry

from gateway.clients import PartnershipsClient
from gateway.context import Info
from gateway.schema.decorators import field, mutation
from gateway.schema.inputs import wire
from gateway.schema.pagination import Connection
from gateway.schema.partnerships.inputs import (
    AgreementInput,
    PartnerPreferencesInput,
    PartnershipFilter,
    ProposePartnershipInput,
    UpdatePartnershipInput,
)
from gateway.schema.partnerships.loaders import partnerships_by_id
from gateway.schema.partnerships.types import (
    PartnerPreferences,
    Partnership,
    PartnershipOrder,
    PartnershipStats,
    PartnerSuggestion,
)


def partnerships(info: Info) -> PartnershipsClient:
    """The partnerships service, as the caller."""
    return info.context.services.partnerships


@strawberry.type
class Query:
    @field(description="A partnership: recognized ones for everyone.")
    async def partnership(self, info: Info, id: strawberry.ID) -> Partnership | None:
        found = await info.context.loader(partnerships_by_id).load(str(id))
        return Partnership.of(found) if found else None

    @field(
        description="The directory: recognized partnerships for everyone, a "
        "member's own for its users, all for staff."
    )
    async def partnerships(
        self,
        info: Info,
        filter: PartnershipFilter | None = None,
        first: int = 20,
        after: str | None = None,
        order_by: PartnershipOrder = PartnershipOrder.NAME_ASC,
    ) -> Connection[Partnership]:
        page = await partnerships(info).search_partnerships(
            wire(filter) if filter else None, first, after, order_by.value
        )
        return Connection.of(page, Partnership.of)

    @field(description="Counts by country, continent, state and region.")
    async def partnership_stats(
        self, info: Info, filter: PartnershipFilter | None = None
    ) -> PartnershipStats:
        found = await partnerships(info).partnership_stats(
            wire(filter) if filter else None
        )
        return PartnershipStats.of(found)

    @field(description="Staff or the member's own users.")
    async def partner_suggestions(
        self, info: Info, member_id: strawberry.ID, first: int = 10
    ) -> list[PartnerSuggestion]:
        found = await partnerships(info).partner_suggestions(str(member_id), first)
        return [PartnerSuggestion.of(s) for s in found]

    @field(description="Staff or the member's own users.")
    async def partner_preferences(
        self, info: Info, member_id: strawberry.ID
    ) -> PartnerPreferences | None:
        found = await partnerships(info).get_partner_preferences(str(member_id))
        return PartnerPreferences.of(found) if found else None


@strawberry.type
class Mutation:
    @mutation(description="Staff or the member's own users: PROPOSED.")
    async def propose_partnership(
        self, info: Info, input: ProposePartnershipInput
    ) -> Partnership:
        return Partnership.of(await partnerships(info).propose_partnership(wire(input)))

    @mutation(description="Staff or the member's users: PENDING.")
    async def record_agreement(
        self, info: Info, id: strawberry.ID, input: AgreementInput
    ) -> Partnership:
        return Partnership.of(
            await partnerships(info).record_agreement(str(id), wire(input))
        )

    @mutation(description="Staff, once verified: ACTIVE.")
    async def activate_partnership(self, info: Info, id: strawberry.ID) -> Partnership:
        return Partnership.of(await partnerships(info).activate_partnership(str(id)))

    @mutation(description="Staff or the member's users: DORMANT.")
    async def mark_partnership_dormant(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> Partnership:
        return Partnership.of(
            await partnerships(info).mark_partnership_dormant(str(id), reason)
        )

    @mutation(description="Staff, with the re-signing date: ACTIVE.")
    async def reactivate_partnership(
        self, info: Info, id: strawberry.ID, signed_on: date
    ) -> Partnership:
        return Partnership.of(
            await partnerships(info).reactivate_partnership(
                str(id), signed_on.isoformat()
            )
        )

    @mutation(description="Staff or the member's users, in writing.")
    async def terminate_partnership(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> Partnership:
        return Partnership.of(
            await partnerships(info).terminate_partnership(str(id), reason)
        )

    @mutation(description="Staff or the member's users: type, areas.")
    async def update_partnership(
        self, info: Info, id: strawberry.ID, input: UpdatePartnershipInput
    ) -> Partnership:
        return Partnership.of(
            await partnerships(info).update_partnership(str(id), wire(input))
        )

    @mutation(description="Staff or the member's own users.")
    async def set_partner_preferences(
        self, info: Info, member_id: strawberry.ID, input: PartnerPreferencesInput
    ) -> PartnerPreferences:
        found = await partnerships(info).set_partner_preferences(
            str(member_id), wire(input)
        )
        return PartnerPreferences.of(found)
