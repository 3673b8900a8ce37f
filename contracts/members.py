"""The members service on the wire: its enums and the views it returns.

Views are JSON objects (snake_case keys, ISO dates as strings). An enum
field carries the enum's value; the service sends the member itself (a
StrEnum is its value), the gateway turns the string back with `Enum(value)`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NotRequired, TypedDict


class MemberKind(StrEnum):
    CITY = "CITY"
    COUNTY = "COUNTY"
    STATE = "STATE"


class MembershipStatus(StrEnum):
    PENDING = "PENDING"  # registered, first invoice not paid yet
    ACTIVE = "ACTIVE"  # current on dues
    GRACE = "GRACE"  # dues overdue, within the grace period
    LAPSED = "LAPSED"  # dues unpaid after the grace period
    CANCELLED = "CANCELLED"  # by staff or the member; only staff action undoes it


class DuesBand(StrEnum):
    """The national body's population bands (the same it uses for its awards);
    they do not change, the amount per band does, year by year."""

    UP_TO_25K = "UP_TO_25K"
    FROM_25K_TO_50K = "FROM_25K_TO_50K"
    FROM_50K_TO_100K = "FROM_50K_TO_100K"
    FROM_100K_TO_300K = "FROM_100K_TO_300K"
    FROM_300K_TO_500K = "FROM_300K_TO_500K"
    OVER_500K = "OVER_500K"

    @property
    def min_population(self) -> int:
        return _EDGES[self][0]

    @property
    def max_population(self) -> int | None:
        return _EDGES[self][1]

    @property
    def label(self) -> str:
        low, high = _EDGES[self]
        if high is None:
            return f"over {low - 1:,}"
        return f"up to {high:,}" if low == 1 else f"{low:,} to {high:,}"


_EDGES: dict[DuesBand, tuple[int, int | None]] = {
    DuesBand.UP_TO_25K: (1, 25_000),
    DuesBand.FROM_25K_TO_50K: (25_001, 50_000),
    DuesBand.FROM_50K_TO_100K: (50_001, 100_000),
    DuesBand.FROM_100K_TO_300K: (100_001, 300_000),
    DuesBand.FROM_300K_TO_500K: (300_001, 500_000),
    DuesBand.OVER_500K: (500_001, None),
}


class InvoiceStatus(StrEnum):
    OPEN = "OPEN"
    PAID = "PAID"
    REFUNDED = "REFUNDED"
    VOID = "VOID"


class MemberDirectoryFields(TypedDict):
    """What everyone sees of a member: the directory's fields."""

    member_id: str
    name: str
    kind: MemberKind
    state: str
    website: str | None


class MemberStandingFields(TypedDict, total=False):
    """What signed-in reviewers see besides: what eligibility needs."""

    population: int | None
    status: MembershipStatus
    good_standing: bool


class MemberFullFields(TypedDict, total=False):
    """What staff and the member's own users see besides: contact and dues."""

    contact_email: str
    dues_band: DuesBand | None
    population_missing: bool
    dues_band_chosen: bool
    joined_on: str
    current_fiscal_year: int
    version: int


class MemberView(MemberDirectoryFields, MemberStandingFields, MemberFullFields):
    """What the caller may see of a member: one group of fields per level of
    visibility. The service fills each group from its `Member` by key, so a
    new field is declared here, in its group, and nowhere else on the wire."""


class InvoiceView(TypedDict):
    invoice_id: str
    member_id: str
    fiscal_year: int
    band: DuesBand
    amount_cents: int
    full_amount_cents: int
    currency: str
    status: InvoiceStatus
    issued_on: str
    due_date: str
    grace_ends_on: str
    prorated: bool
    covered_days: int | None
    year_days: int | None


class StatusChangeView(TypedDict):
    old_status: MembershipStatus | None
    new_status: MembershipStatus
    good_standing: bool
    reason: str
    changed_at: str
    effective_on: str


class DuesBandAmountView(TypedDict):
    band: DuesBand
    label: str
    min_population: int
    max_population: int | None
    amount_cents: int


class DuesScheduleView(TypedDict):
    fiscal_year: int
    currency: str
    grace_days: int
    opened: bool
    bands: list[DuesBandAmountView]
    issued: NotRequired[int]  # set_dues_schedule: invoices issued (none yet)


class DuesBandInput(TypedDict):
    band: str
    amount_cents: int


class DirectoryFilter(TypedDict, total=False):
    state: str
    kind: str
    status: str
    search: str
    population_missing: bool


class OpenedDuesYear(TypedDict):
    fiscal_year: int
    issued: int


class DailyRun(TypedDict):
    as_of: str
    transitions: int
    moved_to: dict[str, int]  # status -> how many members moved to it
    reminders: int
