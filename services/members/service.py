"""nameko entrypoints of members: they only call service-layer handlers."""

from __future__ import annotations

from nameko.timer import timer

from common.envelope import Envelope
from common.identity import SERVICE, Identity
from common.nameko_ext.context import Caller
from common.nameko_ext.events import batch_event_handler
from common.nameko_ext.health import HealthRpc
from common.nameko_ext.rpc import rpc
from common.nameko_ext.storage import Storage
from contracts.members import (
    DailyRun,
    DirectoryFilter,
    DuesBandInput,
    DuesScheduleView,
    InvoiceView,
    MemberView,
    OpenedDuesYear,
    StatusChangeView,
)
from contracts.page import Page
from contracts.rpc import Json, Members
from services.members.adapters import settings
from services.members.adapters.orm import metadata
from services.members.service_layer import (
    clock,
    dues,
    membership,
    queries,
    standing,
)
from services.members.service_layer.unit_of_work import MembersUnitOfWork

POLICY = settings.policy()


class Service(HealthRpc):
    name = "members"

    uow = Storage("members", metadata, uow_class=MembersUnitOfWork)
    caller: Identity = Caller()

    # --- members -----------------------------------------------------------------

    @rpc
    def register_member(self, data: Json) -> MemberView:
        return membership.register_member(self.uow, self.caller, POLICY, data)

    @rpc
    def update_member(self, member_id: str, changes: Json) -> MemberView:
        return membership.update_member(
            self.uow, self.caller, POLICY, member_id, changes
        )

    @rpc
    def cancel_membership(self, member_id: str, reason: str) -> MemberView:
        return membership.cancel_membership(
            self.uow, self.caller, POLICY, member_id, reason
        )

    @rpc
    def reinstate_membership(self, member_id: str, reason: str) -> MemberView:
        return membership.reinstate_membership(
            self.uow, self.caller, POLICY, member_id, reason
        )

    @rpc
    def get_member(self, member_id: str) -> MemberView:
        return queries.get_member(self.uow, self.caller, POLICY, member_id)

    @rpc
    def get_members(self, member_ids: list[str]) -> list[MemberView | None]:
        return queries.get_members(self.uow, self.caller, POLICY, member_ids)

    @rpc
    def find_members(self, keys: list[list[str]]) -> list[MemberView | None]:
        return queries.find_members(self.uow, self.caller, POLICY, keys)

    @rpc
    def list_members(
        self,
        filter: DirectoryFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Page[MemberView]:
        return queries.list_members(self.uow, self.caller, POLICY, filter, first, after)

    @rpc
    def status_histories(
        self, member_ids: list[str]
    ) -> list[list[StatusChangeView] | None]:
        return queries.status_histories(self.uow, self.caller, member_ids)

    # --- dues --------------------------------------------------------------------

    @rpc
    def get_invoice(self, invoice_id: str) -> InvoiceView:
        return queries.get_invoice(self.uow, self.caller, invoice_id)

    @rpc
    def member_invoices(self, member_ids: list[str]) -> list[list[InvoiceView] | None]:
        return queries.member_invoices(self.uow, self.caller, member_ids)

    @rpc
    def get_dues_schedule(self, fiscal_year: int) -> DuesScheduleView | None:
        return dues.get_dues_schedule(self.uow, self.caller, fiscal_year)

    @rpc
    def set_dues_schedule(
        self,
        fiscal_year: int,
        bands: list[DuesBandInput],
        grace_days: int | None = None,
    ) -> DuesScheduleView:
        return dues.set_dues_schedule(
            self.uow, self.caller, POLICY, fiscal_year, bands, grace_days
        )

    @rpc
    def open_dues_year(self, fiscal_year: int) -> OpenedDuesYear:
        return dues.open_dues_year(self.uow, self.caller, POLICY, fiscal_year)

    # --- standing over time ------------------------------------------------------

    @rpc
    def run_daily(self, as_of: str | None = None) -> DailyRun:
        day = clock.parse_date(as_of, "as_of") if as_of else None
        return standing.run_daily(self.uow, self.caller, POLICY, day)

    @timer(interval=settings.daily_interval_seconds(), eager=True)
    def daily(self) -> None:
        # Hourly by default: idempotent, so it catches the new day promptly.
        standing.run_daily(self.uow, SERVICE, POLICY)

    @rpc
    def get_clock(self) -> Json:
        return clock.get_clock(self.uow, self.caller)

    @rpc
    def set_clock(self, today: str | None) -> Json:
        return clock.set_clock(self.uow, self.caller, today)

    # --- payments' news ----------------------------------------------------------

    @batch_event_handler("payments", "payment_succeeded")
    def on_payment_succeeded(self, bodies: list[Json]) -> None:
        standing.payment_news(self.uow, [Envelope.from_dict(b) for b in bodies])

    @batch_event_handler("payments", "payment_refunded")
    def on_payment_refunded(self, bodies: list[Json]) -> None:
        standing.payment_news(self.uow, [Envelope.from_dict(b) for b in bodies])


# mypy checks here that the service keeps the promises of contracts/rpc.py.
_implements: type[Members] = Service
