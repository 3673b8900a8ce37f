"""GraphQL types of the partnerships domain, built from the service's JSON."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

import strawberry
from strawberry.scalars import JSON

import contracts.partnerships
from contracts.partnerships import Action as PartnershipAction
from contracts.partnerships import (
    CountView,
    PartnershipView,
    PreferencesView,
    StatisticsView,
    SuggestionView,
    TransitionView,
)
from gateway.context import Info
from gateway.schema.decorators import field
from gateway.schema.partnerships.loaders import histories_by_partnership

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


E = TypeVar("E", bound=Enum)


def _by_value(kind: type[E]) -> Callable[[Any], E]:
    """`kind(value)` as a dict look-up, ~20x faster than Enum's own call (some
    50 a directory page). Unknown values still go to `kind`, and its error."""
    members: dict[Any, E] = {m.value: m for m in kind}

    def of(value: Any) -> E:
        try:
            return members[value]
        except (KeyError, TypeError):
            return kind(value)

    return of


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


_type = _by_value(PartnershipType)
_status = _by_value(PartnershipStatus)
_area = _by_value(PartnershipProgramArea)
_focus_region = _by_value(FocusRegion)


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

    @classmethod
    def of(cls, t: TransitionView) -> PartnershipTransition:
        return cls(
            action=PartnershipAction(t["action"]),
            from_status=PartnershipStatus(t["from_status"])
            if t["from_status"]
            else None,
            to_status=PartnershipStatus(t["to_status"]),
            at=datetime.fromisoformat(t["at"]),
            actor=t["actor"],
            actor_role=t["actor_role"],
            reason=t["reason"],
            details=JSON(t["details"]),
        )


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

    @classmethod
    def of(cls, p: PartnershipView) -> Partnership:
        a = p["agreement"]
        return cls(
            id=strawberry.ID(p["id"]),
            member_id=strawberry.ID(p["member_id"]),
            member_name=p["member_name"],
            member_state=p["member_state"],
            partner_city=p["partner_city"],
            partner_region=p["partner_region"],
            country=p["country"],
            country_name=p["country_name"],
            continent=p["continent"],
            continent_name=p["continent_name"],
            focus_regions=[_focus_region(r) for r in p["focus_regions"]],
            type=_type(p["type"]),
            status=_status(p["status"]),
            program_areas=[_area(x) for x in p["program_areas"]],
            recognized=p["recognized"],
            signed_on=_day(p["signed_on"]),
            established_year=p["established_year"],
            agreement=(
                PartnershipAgreement(
                    council_resolution=a["council_resolution"],
                    signed_on=date.fromisoformat(a["signed_on"]),
                    us_signatory=a["us_signatory"],
                    partner_signatory=a["partner_signatory"],
                    document_reference=a["document_reference"],
                )
                if a
                else None
            ),
            created_at=datetime.fromisoformat(p["created_at"]),
            updated_at=datetime.fromisoformat(p["updated_at"]),
        )

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

    @classmethod
    def of(cls, s: StatisticsView) -> PartnershipStats:
        def counts(items: list[CountView]) -> list[PartnershipCount]:
            return [
                PartnershipCount(code=c["code"], name=c["name"], count=c["count"])
                for c in items
            ]

        return cls(
            total=s["total"],
            by_country=counts(s["by_country"]),
            by_continent=counts(s["by_continent"]),
            by_state=counts(s["by_state"]),
            focus_regions=[
                FocusRegionCount(
                    region=FocusRegion(r["code"]),
                    name=r["name"],
                    countries=r["countries"],
                    count=r["count"],
                    share=r["share"],
                )
                for r in s["focus_regions"]
            ],
            growth_by_year=[
                YearCount(year=y["year"], count=y["count"], cumulative=y["cumulative"])
                for y in s["growth_by_year"]
            ],
            with_known_year=s["with_known_year"],
        )


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

    @classmethod
    def of(cls, p: PreferencesView) -> PartnerPreferences:
        return cls(
            member_id=strawberry.ID(p["member_id"]),
            countries=p["countries"],
            continents=p["continents"],
            program_areas=[PartnershipProgramArea(a) for a in p["program_areas"]],
            population_min=p["population_min"],
            population_max=p["population_max"],
            updated_at=datetime.fromisoformat(p["updated_at"])
            if p["updated_at"]
            else None,
        )


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

    @classmethod
    def of(cls, s: SuggestionView) -> PartnerSuggestion:
        return cls(
            geonameid=s["geonameid"],
            name=s["name"],
            country=s["country"],
            country_name=s["country_name"],
            continent=s["continent"],
            population=s["population"],
            score=s["score"],
            reasons=s["reasons"],
            twinned_with=[
                TwinnedWith(member_name=t["member_name"], state=t["state"])
                for t in s["twinned_with"]
            ],
        )
