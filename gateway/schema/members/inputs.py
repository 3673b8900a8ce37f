"""GraphQL inputs of the members domain, and how they go on the wire."""

from __future__ import annotations

import strawberry

from gateway.schema.members.types import DuesBand, MemberKind, MembershipStatus


@strawberry.input
class RegisterMemberInput:
    name: str
    kind: MemberKind
    state: str = strawberry.field(description="USPS code, e.g. NY.")
    population: int | None = strawberry.field(
        default=None, description="Required for a city."
    )
    contact_email: str
    website: str | None = strawberry.field(
        default=None, description="An http or https address."
    )
    dues_band: DuesBand | None = strawberry.field(
        default=None,
        description="Only when the population is unknown: the band to bill.",
    )


@strawberry.input(description="Only the fields given change; null clears.")
class UpdateMemberInput:
    name: str | None = strawberry.UNSET
    kind: MemberKind | None = strawberry.UNSET
    state: str | None = strawberry.UNSET
    population: int | None = strawberry.UNSET
    contact_email: str | None = strawberry.UNSET
    website: str | None = strawberry.UNSET
    dues_band: DuesBand | None = strawberry.UNSET


@strawberry.input
class MemberFilter:
    state: str | None = strawberry.UNSET
    kind: MemberKind | None = strawberry.UNSET
    status: MembershipStatus | None = strawberry.field(
        default=strawberry.UNSET, description="Staff and reviewers only."
    )
    search: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Part of the name, any case; one with no letter or digit "
        "finds nothing.",
    )
    population_missing: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Staff only. true: members imported with their population "
        "missing, whose dues wait until it is set (updateMember); false: the "
        "others.",
    )


@strawberry.input
class DuesBandInput:
    min_population: int
    max_population: int | None = None
    amount_cents: int
