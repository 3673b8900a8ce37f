"""Reminders grants' daily job sends, once each: a grantee report due soon,
a review deadline near.

Grants keeps no due date per report and no review deadline per programme, so
both are derived (docs/grants.md, "Reminders"):

- a report is expected when one of the award's instalments waits for it
  (`INTERIM_REPORT_ACCEPTED`, `FINAL_REPORT_ACCEPTED`, `RECEIPTS_ACCEPTED`),
  due a set number of days after the award (per report kind);
- a programme's review deadline is its closing time plus the review window.

Each reminder goes out on the first daily run within `notice_days` before
its date (the date included), never after it, and only while nothing is in:
no report of that kind submitted or accepted, the assignment still ASSIGNED.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from services.grants.domain.awards import Award, Condition, Instalment
from services.grants.domain.program import Program
from services.grants.domain.reports import (
    SATISFIES,
    GranteeReport,
    ReportKind,
    ReportStatus,
)
from services.grants.domain.review import Assignment, AssignmentStatus

# The report each instalment condition waits for.
AWAITS: dict[Condition, ReportKind] = {c: k for k, c in SATISFIES.items()}


def _default_report_days() -> dict[ReportKind, int]:
    return {ReportKind.INTERIM: 180, ReportKind.FINAL: 365, ReportKind.RECEIPTS: 365}


@dataclass(frozen=True)
class ReminderPolicy:
    review_window_days: int = 21  # review deadline = closes_at + this
    review_notice_days: int = 3  # remind reviewers this many days before
    report_notice_days: int = 14  # remind grantees this many days before
    report_due_days: dict[ReportKind, int] = field(
        default_factory=_default_report_days
    )  # a report is due this many days after the award


def _window(today: date, on: date, notice_days: int) -> bool:
    return on - timedelta(days=notice_days) <= today <= on


# --- reviewers --------------------------------------------------------------


def review_deadline(program: Program, policy: ReminderPolicy) -> datetime:
    return program.closes_at + timedelta(days=policy.review_window_days)


def review_reminder_due(
    assignment: Assignment,
    deadline: datetime,
    today: date,
    policy: ReminderPolicy,
    already_sent: bool,
) -> bool:
    """An assignment not reviewed yet, its deadline within notice."""
    return (
        not already_sent
        and assignment.status is AssignmentStatus.ASSIGNED
        and _window(today, deadline.date(), policy.review_notice_days)
    )


def review_key(assignment_id: str) -> str:
    return f"review:{assignment_id}"


# --- grantees -------------------------------------------------------------------


@dataclass(frozen=True)
class ReportDue:
    award: Award
    kind: ReportKind
    due_on: date

    @property
    def key(self) -> str:
        return report_key(self.award.id, self.kind)


def report_key(award_id: str, kind: ReportKind) -> str:
    return f"report:{award_id}:{kind.value}"


def expected_reports(
    award: Award, instalments: Iterable[Instalment], policy: ReminderPolicy
) -> list[ReportDue]:
    """The reports the award's instalments wait for, each with its due date."""
    kinds = sorted({AWAITS[i.condition] for i in instalments if i.condition in AWAITS})
    start = award.awarded_at.date()
    return [
        ReportDue(award, k, start + timedelta(days=policy.report_due_days[k]))
        for k in kinds
    ]


def report_reminder_due(
    due: ReportDue,
    reports: Iterable[GranteeReport],
    today: date,
    policy: ReminderPolicy,
    already_sent: bool,
) -> bool:
    """Due within notice and none of its kind submitted or accepted (a
    returned one must be sent again: it still counts as missing)."""
    if already_sent or not _window(today, due.due_on, policy.report_notice_days):
        return False
    return not any(
        r.kind is due.kind and r.status is not ReportStatus.RETURNED for r in reports
    )
