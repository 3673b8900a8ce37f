"""GraphQL types of the members domain, built from the members service's JSON.

The service returns only the fields the caller may see; a field it left out
resolves to a FORBIDDEN error (with a null), so a client can tell "hidden"
from "unknown" (a county with no population known is a plain null).
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry

import contracts.members
from common.errors import Forbidden
from contracts.members import (
    DuesScheduleView,
    InvoiceStatus,
    InvoiceView,
    MemberView,
    StatusChangeView,
)
from gateway.context import Info
from gateway.schema.decorators import field
from gateway.schema.members.loaders import history_by_member, invoices_by_member
from gateway.schema.views import from_view

# Contract enums under their GraphQL names, exported (mypy --strict) for the
# inputs and root fields: they import them from here, after the
# strawberry.enum calls below have named them (the order matters).
DuesBand = contracts.members.DuesBand
MemberKind = contracts.members.MemberKind
MembershipStatus = contracts.members.MembershipStatus

# The wire's enums are the schema's: strawberry marks each class in place.
strawberry.enum(MemberKind)
strawberry.enum(MembershipStatus)
strawberry.enum(DuesBand, description="The national body's population bands.")
strawberry.enum(InvoiceStatus)


def _day(value: str) -> date:
    return date.fromisoformat(value)


@strawberry.type(description="A dues invoice for one fiscal year.")
class Invoice:
    id: strawberry.ID
    member_id: strawberry.ID
    fiscal_year: int
    band: DuesBand
    amount_cents: int
    full_amount_cents: int = strawberry.field(
        description="Before proration; equal to amountCents when not prorated."
    )
    currency: str
    status: InvoiceStatus
    issued_on: date
    due_date: date
    grace_ends_on: date
    prorated: bool
    covered_days: int | None = strawberry.field(
        description="Prorated: the days of the fiscal year the amount covers."
    )
    year_days: int | None

    of = from_view(InvoiceView, id="invoice_id")


@strawberry.type(description="One change of membership status, with its reason.")
class StatusChange:
    old_status: MembershipStatus | None
    new_status: MembershipStatus
    good_standing: bool
    reason: str
    changed_at: datetime
    effective_on: date = strawberry.field(description="The business date.")

    of = from_view(StatusChangeView)


def _hidden(field: str) -> Forbidden:
    return Forbidden(f"{field} is visible to staff and the member's own users", field)


@strawberry.type(description="A member community: a U.S. city, county or state.")
class Member:
    id: strawberry.ID
    name: str
    kind: MemberKind
    state: str = strawberry.field(description="USPS code, e.g. NY.")
    data: strawberry.Private[MemberView]

    of = from_view(MemberView, id="member_id", data=lambda m: m)

    def _seen(self, key: str, field: str) -> MemberView:
        """The view, once `key` is known to be in it (else hidden)."""
        if key not in self.data:
            raise _hidden(field)
        return self.data

    @field(description="Its own web site (http or https); null if none.")
    def website(self) -> str | None:
        # .get: a replica of the previous release sends no website.
        return self.data.get("website")

    @field(
        description="Null when unknown: a county or state may omit it, and an "
        "imported community may have it missing (then duesBand is null too)."
    )
    def population(self) -> int | None:
        return self._seen("population", "population")["population"]

    @strawberry.field
    def status(self) -> MembershipStatus | None:
        return MembershipStatus(self._seen("status", "status")["status"])

    @field(description="ACTIVE or GRACE: current on its dues.")
    def good_standing(self) -> bool | None:
        return self._seen("good_standing", "goodStanding")["good_standing"]

    @field(
        description="From the population, or chosen by staff; null while the "
        "population is missing (no dues are issued until it is set)."
    )
    def dues_band(self) -> DuesBand | None:
        band = self._seen("dues_band", "duesBand")["dues_band"]
        return DuesBand(band) if band else None

    @strawberry.field
    def contact_email(self) -> str | None:
        return self._seen("contact_email", "contactEmail")["contact_email"]

    @strawberry.field
    def joined_on(self) -> date | None:
        return _day(self._seen("joined_on", "joinedOn")["joined_on"])

    @field(description="Newest fiscal year first.")
    async def invoices(self, info: Info) -> list[Invoice] | None:
        # Imported here: the loaders module builds these types (a cycle).
        found = await info.context.loader(invoices_by_member).load(str(self.id))
        if found is None:
            raise _hidden("invoices")
        return [Invoice.of(i) for i in found]

    @field(description="The invoice of the current fiscal year, if issued.")
    async def current_invoice(self, info: Info) -> Invoice | None:
        seen = self._seen("current_fiscal_year", "currentInvoice")
        year = seen["current_fiscal_year"]
        for invoice in await self.invoices(info) or []:
            if invoice.fiscal_year == year:
                return invoice
        return None

    @field(description="Every status change, oldest first.")
    async def status_history(self, info: Info) -> list[StatusChange] | None:
        found = await info.context.loader(history_by_member).load(str(self.id))
        if found is None:
            raise _hidden("statusHistory")
        return [StatusChange.of(c) for c in found]


@strawberry.type
class DuesBandAmount:
    band: DuesBand
    label: str
    min_population: int
    max_population: int | None
    amount_cents: int


@strawberry.type(description="A fiscal year's dues: an amount per population band.")
class DuesSchedule:
    fiscal_year: int
    currency: str
    grace_days: int
    opened: bool = strawberry.field(description="Invoices were issued for the year.")
    bands: list[DuesBandAmount]

    of = from_view(DuesScheduleView)


@strawberry.type
class OpenDuesYearResult:
    fiscal_year: int
    issued: int = strawberry.field(description="Invoices issued by this call.")
