"""The partnerships service on the wire: its enums and the views it returns.

Views are JSON objects (snake_case keys, ISO dates and times as strings);
an enum field carries the enum's value (see contracts/members.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypedDict


class PartnershipStatus(StrEnum):
    PROPOSED = "PROPOSED"
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    DORMANT = "DORMANT"
    TERMINATED = "TERMINATED"


class PartnershipType(StrEnum):
    SISTER = "SISTER"
    FRIENDSHIP = "FRIENDSHIP"


class ProgramArea(StrEnum):
    ARTS_CULTURE = "ARTS_CULTURE"
    YOUTH_EDUCATION = "YOUTH_EDUCATION"
    BUSINESS_TRADE = "BUSINESS_TRADE"
    COMMUNITY_DEVELOPMENT = "COMMUNITY_DEVELOPMENT"


class Action(StrEnum):
    """What a history entry records."""

    PROPOSED = "PROPOSED"
    IMPORTED = "IMPORTED"
    AGREEMENT_RECORDED = "AGREEMENT_RECORDED"
    ACTIVATED = "ACTIVATED"
    MARKED_DORMANT = "MARKED_DORMANT"
    REACTIVATED = "REACTIVATED"
    TERMINATED = "TERMINATED"
    UPDATED = "UPDATED"


class Order(StrEnum):
    """The directory's orders."""

    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"
    DATE_ASC = "DATE_ASC"  # by the year established; unknown dates last
    DATE_DESC = "DATE_DESC"


class FocusRegion(StrEnum):
    """The regions the national body grows on purpose, by code."""

    AFRICA = "AFRICA"
    SOUTHEAST_ASIA = "SOUTHEAST_ASIA"
    EAST_ASIA = "EAST_ASIA"
    LATIN_AMERICA = "LATIN_AMERICA"


class AgreementView(TypedDict):
    council_resolution: str
    signed_on: str
    us_signatory: str
    partner_signatory: str
    document_reference: str


class PartnershipView(TypedDict):
    id: str
    member_id: str
    member_name: str | None
    member_state: str | None
    partner_city: str
    partner_region: str | None
    country: str
    country_name: str
    continent: str
    continent_name: str
    focus_regions: list[str]  # FocusRegion values
    type: PartnershipType
    status: PartnershipStatus
    program_areas: list[str]  # ProgramArea values
    recognized: bool
    signed_on: str | None
    established_year: int | None
    agreement: AgreementView | None  # staff and the member's own users
    created_at: str
    updated_at: str


class TransitionView(TypedDict):
    action: Action
    from_status: PartnershipStatus | None
    to_status: PartnershipStatus
    at: str
    actor: str | None  # staff and the member's own users
    actor_role: str
    reason: str
    details: dict[str, Any]  # free-form JSON, shown as it was recorded


class CountView(TypedDict):
    code: str
    name: str
    count: int


class FocusRegionCountView(TypedDict):
    code: FocusRegion
    name: str
    countries: list[str]
    count: int
    share: float


class YearCountView(TypedDict):
    year: int
    count: int
    cumulative: int


class StatisticsView(TypedDict):
    total: int
    by_country: list[CountView]
    by_continent: list[CountView]
    by_state: list[CountView]
    focus_regions: list[FocusRegionCountView]
    growth_by_year: list[YearCountView]
    with_known_year: int


class PreferencesView(TypedDict):
    member_id: str
    countries: list[str]
    continents: list[str]
    program_areas: list[ProgramArea]
    population_min: int | None
    population_max: int | None
    updated_at: str | None


class TwinnedWithView(TypedDict):
    member_name: str
    state: str | None


class SuggestionView(TypedDict):
    geonameid: int
    name: str
    country: str
    country_name: str
    continent: str | None
    population: int
    score: float
    reasons: list[str]
    twinned_with: list[TwinnedWithView]
