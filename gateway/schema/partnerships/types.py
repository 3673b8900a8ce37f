"""GraphQL types of the partnerships domain, built from the service's JSON."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.scalars import JSON

import contracts.partnerships
from contracts.partnerships import Action as PartnershipAction
from contracts.partnerships import (
    FocusRegionCountView,
    PartnershipView,
    PreferencesView,
    StatisticsView,
    SuggestionView,
    TransitionView,
)
from gateway.context import Info
from gateway.schema.decorators import field
from gateway.schema.partnerships.loaders import histories_by_partnership
from gateway.schema.views import from_view

# Contract enums under their GraphQL names, exported (mypy --strict) for the
# inputs and root fields: they import them from here, after the
# strawberry.enum calls below have named them (the order matters).
FocusRegion = contracts.partnerships.FocusRegion
PartnershipStatus = contracts.partnerships.PartnershipStatus
PartnershipType = contracts.partnerships.PartnershipType
PartnershipOrder = contracts.partnerships.Order
PartnershipProgramArea = contracts.partnerships.ProgramArea

# The wire's enums are the schema's: strawberry marks each class in place.
strawberry.enum(PartnershipStatus)
strawberry.enum(PartnershipType)
strawberry.enum(
    PartnershipProgramArea,
    name="PartnershipProgramArea",
    description="The four areas of exchange.",
)
strawberry.enum(
    FocusRegion, description="The regions the national body grows on purpose."
)
strawberry.enum(PartnershipOrder, name="PartnershipOrder")
strawberry.enum(PartnershipAction, name="PartnershipAction")


@strawberry.type(description="The council resolution and the signed agreement.")
class PartnershipAgreement:
    council_resolution: str
    signed_on: date
    us_signatory: str
    partner_signatory: str
    document_reference: str


@strawberry.type(description="One recorded change: who, when and why.")
class PartnershipTransition:
    action: PartnershipAction
    from_status: PartnershipStatus | None
    to_status: PartnershipStatus
    at: datetime
    actor: str | None = strawberry.field(
        description="Who did it: shown to staff and the member's own users."
    )
    actor_role: str
    reason: str
    details: JSON

    of = from_view(TransitionView)


@strawberry.type(description="A U.S. member community twinned with a community abroad.")
class Partnership:
    id: strawberry.ID
    member_id: strawberry.ID
    member_name: str | None = strawberry.field(
        description="As the partnerships directory knows it (no call to members)."
    )
    member_state: str | None
    partner_city: str
    partner_region: str | None
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 (XK: Kosovo).")
    country_name: str
    continent: str = strawberry.field(description="AF AN AS EU NA OC SA")
    continent_name: str
    focus_regions: list[FocusRegion]
    type: PartnershipType
    status: PartnershipStatus
    program_areas: list[PartnershipProgramArea]
    recognized: bool = strawberry.field(
        description="ACTIVE and the member in good standing."
    )
    signed_on: date | None = strawberry.field(description="The latest signing.")
    established_year: int | None
    agreement: PartnershipAgreement | None = strawberry.field(
        description="Staff and the member's own users only."
    )
    created_at: datetime
    updated_at: datetime

    of = from_view(PartnershipView)

    @field(description="Every recorded change, oldest first.")
    async def history(self, info: Info) -> list[PartnershipTransition]:
        found = await info.context.loader(histories_by_partnership).load(str(self.id))
        return [PartnershipTransition.of(t) for t in found]


# --- the directory connection ---------------------------------------------------


# --- statistics -------------------------------------------------------------------


@strawberry.type
class PartnershipCount:
    code: str = strawberry.field(description="Country, continent or USPS code.")
    name: str
    count: int


@strawberry.type
class FocusRegionCount:
    region: FocusRegion
    name: str
    countries: list[str]
    count: int
    share: float = strawberry.field(description="Of all counted, 0 to 1.")

    of = from_view(FocusRegionCountView, region="code")


@strawberry.type
class YearCount:
    year: int
    count: int = strawberry.field(description="Established that year.")
    cumulative: int = strawberry.field(description="Up to that year (known years).")


@strawberry.type(
    description="Recognized partnerships unless a status or recognized filter is "
    "given (staff)."
)
class PartnershipStats:
    total: int
    by_country: list[PartnershipCount]
    by_continent: list[PartnershipCount]
    by_state: list[PartnershipCount]
    focus_regions: list[FocusRegionCount]
    growth_by_year: list[YearCount]
    with_known_year: int = strawberry.field(
        description="How many of the total have a known year of establishment."
    )

    of = from_view(StatisticsView)


# --- matching -----------------------------------------------------------------------


@strawberry.type
class PartnerPreferences:
    member_id: strawberry.ID
    countries: list[str]
    continents: list[str]
    program_areas: list[PartnershipProgramArea]
    population_min: int | None
    population_max: int | None
    updated_at: datetime | None

    of = from_view(PreferencesView)


@strawberry.type
class TwinnedWith:
    member_name: str
    state: str | None


@strawberry.type(description="A community abroad that fits, and why (GeoNames).")
class PartnerSuggestion:
    geonameid: int
    name: str
    country: str
    country_name: str
    continent: str | None
    population: int
    score: float
    reasons: list[str]
    twinned_with: list[TwinnedWith] = strawberry.field(
        description="U.S. members already partnered with it."
    )

    of = from_view(SuggestionView)
