"""The members domain's part of the schema: members, the directory, dues.

Every rule and every permission is enforced by the members service; these
resolvers translate (and name fields in errors as the client wrote them).
"""

from __future__ import annotations

import strawberry

from gateway.clients import MembersClient
from gateway.context import Info
from gateway.schema.decorators import field, mutation
from gateway.schema.inputs import wire
from gateway.schema.members.inputs import (
    DuesBandInput,
    MemberFilter,
    RegisterMemberInput,
    UpdateMemberInput,
)
from gateway.schema.members.loaders import members_by_id
from gateway.schema.members.types import (
    DuesSchedule,
    Invoice,
    Member,
    OpenDuesYearResult,
)
from gateway.schema.pagination import Connection


def members(info: Info) -> MembersClient:
    """The members service as the caller; error fields named as in GraphQL."""
    return info.context.services.members


@strawberry.type
class Query:
    @field(description="A member; anonymous callers see the directory.")
    async def member(self, info: Info, id: strawberry.ID) -> Member | None:
        found = await info.context.loader(members_by_id).load(str(id))
        return Member.of(found) if found else None

    @field(description="The member directory, in name order.")
    async def members(
        self,
        info: Info,
        filter: MemberFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Member]:
        page = await members(info).list_members(
            wire(filter) if filter else None, first, after
        )
        return Connection.of(page, Member.of)

    @field(description="Signed-in users: a fiscal year's dues.")
    async def dues_schedule(self, info: Info, fiscal_year: int) -> DuesSchedule | None:
        found = await members(info).get_dues_schedule(fiscal_year)
        return DuesSchedule.of(found) if found else None

    @field(description="Staff or the member's own users.")
    async def invoice(self, info: Info, id: strawberry.ID) -> Invoice:
        return Invoice.of(await members(info).get_invoice(str(id)))


@strawberry.type
class Mutation:
    @mutation(description="Staff: a new member, billed at once.")
    async def register_member(self, info: Info, input: RegisterMemberInput) -> Member:
        return Member.of(await members(info).register_member(wire(input)))

    @mutation(
        description="Staff: any field; the member's own users: name, contactEmail, "
        "website."
    )
    async def update_member(
        self, info: Info, id: strawberry.ID, input: UpdateMemberInput
    ) -> Member:
        return Member.of(await members(info).update_member(str(id), wire(input)))

    @mutation(description="Staff or the member's own users.")
    async def cancel_membership(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> Member:
        return Member.of(await members(info).cancel_membership(str(id), reason))

    @mutation(description="Staff: a cancelled member back; this year's dues are owed.")
    async def reinstate_membership(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> Member:
        return Member.of(await members(info).reinstate_membership(str(id), reason))

    @mutation(
        description="Staff: the six bands' amounts for a fiscal year, until it "
        "has invoices."
    )
    async def set_dues_schedule(
        self,
        info: Info,
        fiscal_year: int,
        bands: list[DuesBandInput],
        grace_days: int | None = None,
    ) -> DuesSchedule:
        found = await members(info).set_dues_schedule(
            fiscal_year, wire(bands), grace_days
        )
        return DuesSchedule.of(found)

    @mutation(
        description="Staff: invoice every member for the year; again issues none twice."
    )
    async def open_dues_year(self, info: Info, fiscal_year: int) -> OpenDuesYearResult:
        done = await members(info).open_dues_year(fiscal_year)
        return OpenDuesYearResult(
            fiscal_year=done["fiscal_year"], issued=done["issued"]
        )
