"""GraphQL inputs of the partnerships domain, and how they go on the wire."""

from __future__ import annotations

from datetime import date

import strawberry

from gateway.schema.partnerships.types import (
    FocusRegion,
    PartnershipProgramArea,
    PartnershipStatus,
    PartnershipType,
)


@strawberry.input
class PartnershipFilter:
    state: str | None = strawberry.field(
        default=strawberry.UNSET, description="The U.S. member's state (USPS)."
    )
    member_id: strawberry.ID | None = strawberry.UNSET
    country: str | None = strawberry.field(
        default=strawberry.UNSET, description="ISO 3166-1 alpha-2."
    )
    continent: str | None = strawberry.field(
        default=strawberry.UNSET, description="AF AN AS EU NA OC SA"
    )
    focus_region: FocusRegion | None = strawberry.UNSET
    type: PartnershipType | None = strawberry.UNSET
    status: PartnershipStatus | None = strawberry.UNSET
    program_area: PartnershipProgramArea | None = strawberry.UNSET
    search: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Words of the community names, any accents or case.",
    )
    recognized: bool | None = strawberry.UNSET


@strawberry.input
class ProposePartnershipInput:
    member_id: strawberry.ID
    partner_city: str
    partner_region: str | None = None
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 (XK: Kosovo).")
    type: PartnershipType = strawberry.field(
        description="FRIENDSHIP is the usual stepping stone to SISTER."
    )
    program_areas: list[PartnershipProgramArea] = strawberry.field(default_factory=list)
    reason: str | None = None


@strawberry.input(description="The council resolution and the agreement signed.")
class AgreementInput:
    council_resolution: str
    signed_on: date
    us_signatory: str = strawberry.field(description="The U.S. highest official.")
    partner_signatory: str = strawberry.field(
        description="The partner's highest elected official."
    )
    document_reference: str = strawberry.field(
        description="Where the signed agreement is kept on file."
    )


@strawberry.input(description="Only the fields given change.")
class UpdatePartnershipInput:
    type: PartnershipType | None = strawberry.UNSET
    program_areas: list[PartnershipProgramArea] | None = strawberry.UNSET
    partner_region: str | None = strawberry.field(
        default=strawberry.UNSET, description="An empty string clears it."
    )
    reason: str | None = strawberry.UNSET


@strawberry.input(description="What a member seeks in a partner community.")
class PartnerPreferencesInput:
    countries: list[str] = strawberry.field(default_factory=list)
    continents: list[str] = strawberry.field(default_factory=list)
    program_areas: list[PartnershipProgramArea] = strawberry.field(default_factory=list)
    population_min: int | None = None
    population_max: int | None = None
