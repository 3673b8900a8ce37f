"""Dues schedules, opening a dues year and a joiner's invoices."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from common.errors import BadInput, Conflict
from common.identity import Identity
from contracts.members import DuesScheduleView, OpenedDuesYear
from services.members.domain.bands import (
    DuesSchedule,
    check_fiscal_year,
    schedule_from_input,
)
from services.members.domain.fiscal import MembershipPolicy
from services.members.domain.invoices import Invoice, issue_invoice
from services.members.service_layer import events, views

if TYPE_CHECKING:
    from services.members.domain.community import Member
    from services.members.service_layer.unit_of_work import (
        MembersUnitOfWork,
        UowFactory,
    )


def issue_invoices(
    uow: MembersUnitOfWork,
    members: Sequence[Member],
    schedule: DuesSchedule,
    policy: MembershipPolicy,
    today: date,
    prorate_joiners: bool = False,
) -> list[Invoice]:
    """One invoice per member for `schedule`'s year; bulk insert and events.
    A member whose population is missing has no band: its dues wait."""
    issued = [
        issue_invoice(
            str(uuid.uuid4()),
            m.member_id,
            m.dues_band,
            schedule,
            policy.calendar,
            today,
            prorate_from=m.joined_on if prorate_joiners else None,
        )
        for m in members
        if m.dues_band is not None
    ]
    uow.invoices.add_many(issued)
    uow.emit_all("dues_invoice_issued", [events.dues_invoice_issued(i) for i in issued])
    return issued


def invoice_joiners(
    uow: MembersUnitOfWork,
    new: Sequence[Member],
    policy: MembershipPolicy,
    today: date,
    skip_years: Collection[int] = (),
) -> list[Invoice]:
    """New members are billed at once: the current year (if it has a schedule,
    prorated when the policy says so) and the next one if it was opened
    already (only the current and the next year can ever be opened)."""
    issued: list[Invoice] = []
    current_year = policy.calendar.year_of(today)
    current = uow.schedules.get(current_year)
    if current is not None and current_year not in skip_years:
        issued += issue_invoices(
            uow, new, current.schedule, policy, today, policy.prorate_joiners
        )
    following = uow.schedules.get(current_year + 1)
    if (
        following is not None
        and following.opened
        and current_year + 1 not in skip_years
    ):
        issued += issue_invoices(uow, new, following.schedule, policy, today)
    return issued


def get_dues_schedule(
    uow_factory: UowFactory, caller: Identity, fiscal_year: Any
) -> DuesScheduleView | None:
    caller.require_authenticated()  # the public sees nothing about dues
    year = check_fiscal_year(fiscal_year)
    with uow_factory() as uow:
        stored = uow.schedules.get(year)
    return views.schedule(stored.schedule, stored.opened) if stored else None


def set_dues_schedule(
    uow_factory: UowFactory,
    caller: Identity,
    policy: MembershipPolicy,
    fiscal_year: Any,
    bands: Any,
    grace_days: Any = None,
) -> DuesScheduleView:
    """Set a year's amounts. Once that year has invoices they keep their
    amounts: the schedule is then frozen (a price change never rewrites
    history). Setting the current year's schedule bills this year's joiners
    who were registered while it had none."""
    caller.require_staff()
    schedule = schedule_from_input(
        fiscal_year, bands, grace_days, policy.default_grace_days
    )
    year = schedule.fiscal_year
    with uow_factory() as uow:
        uow.lock(f"dues-year-{year}")
        stored = uow.schedules.get(year)
        if stored is not None and (stored.opened or uow.invoices.any_for_year(year)):
            raise Conflict(
                f"invoices for {year} were issued with its schedule; it can no "
                "longer change",
                "fiscal_year",
            )
        uow.schedules.put(schedule)
        today = uow.clock.today()
        issued: list[Invoice] = []
        if year == policy.calendar.year_of(today):
            joiners = uow.members.billable_without_invoice(
                year, joined_since=policy.calendar.start_of(year)
            )
            issued = issue_invoices(
                uow, joiners, schedule, policy, today, policy.prorate_joiners
            )
        uow.commit()
    return views.schedule(schedule, opened=False) | {"issued": len(issued)}


def open_dues_year(
    uow_factory: UowFactory,
    caller: Identity,
    policy: MembershipPolicy,
    fiscal_year: Any,
) -> OpenedDuesYear:
    """Invoice every member not cancelled for the year; again issues nothing twice."""
    caller.require_staff()
    year = check_fiscal_year(fiscal_year)
    with uow_factory() as uow:
        uow.lock(f"dues-year-{year}")
        today = uow.clock.today()
        current_year = policy.calendar.year_of(today)
        if not current_year <= year <= current_year + 1:
            raise BadInput(
                f"only the current ({current_year}) or next fiscal year can be opened",
                "fiscal_year",
            )
        stored = uow.schedules.get(year)
        if stored is None:
            raise Conflict(f"set the dues schedule for {year} first", "fiscal_year")
        members = uow.members.billable_without_invoice(year)
        issued = issue_invoices(uow, members, stored.schedule, policy, today)
        uow.schedules.mark_opened(year)
        uow.commit()
    return {"fiscal_year": year, "issued": len(issued)}
