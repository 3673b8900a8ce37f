"""The daily job: reminders of grantee reports due and review deadlines near,
each sent once (docs/grants.md, "Reminders")."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from common.errors import BadInput
from common.identity import Identity
from contracts.events import ReviewReminderDue
from contracts.grants import DailyRun
from services.grants.domain.program import Program
from services.grants.domain.reminders import (
    AWAITS,
    ReminderPolicy,
    expected_reports,
    report_reminder_due,
    review_deadline,
    review_key,
    review_reminder_due,
)
from services.grants.domain.review import Assignment
from services.grants.service_layer.review import assigned_news
from services.grants.service_layer.unit_of_work import GrantsUnitOfWork, UowFactory


def run_daily(
    uow_factory: UowFactory,
    caller: Identity,
    policy: ReminderPolicy,
    as_of: str | None = None,
) -> DailyRun:
    """Emit the reminders due on `as_of` (an ISO date; default: today by the
    service's clock). Idempotent: a reminder is recorded with its event, and
    a second run finds it; runs are serialized by a lock."""
    caller.require_staff()
    day = _date(as_of) if as_of is not None else None
    with uow_factory() as uow:
        uow.lock("daily")
        today = day or uow.clock.today()
        reports = _report_reminders(uow, policy, today)
        reviews = _review_reminders(uow, policy, today)
        uow.commit()
    return {
        "as_of": today.isoformat(),
        "report_reminders": reports,
        "review_reminders": reviews,
    }


def _date(value: Any) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BadInput(
            f"{value!r} is not an ISO date such as 2027-01-31", "asOf"
        ) from None


def _report_reminders(
    uow: GrantsUnitOfWork, policy: ReminderPolicy, today: date
) -> int:
    waiting = uow.awards.waiting_on(AWAITS)
    awards = uow.awards.get_many(i.award_id for i in waiting)
    by_award: dict[str, list[Any]] = {}
    for instalment in waiting:
        by_award.setdefault(instalment.award_id, []).append(instalment)
    candidates = [
        due
        for award_id, instalments in by_award.items()
        for due in expected_reports(awards[award_id], instalments, policy)
    ]
    sent = uow.reminders.sent(d.key for d in candidates)
    reports = uow.reports.for_awards(d.award.id for d in candidates)
    due = [
        d
        for d in candidates
        if report_reminder_due(d, reports[d.award.id], today, policy, d.key in sent)
    ]
    programs = {d.award.program_id: uow.programs.get(d.award.program_id) for d in due}
    uow.reminders.record((d.key for d in due), today)
    uow.emit_all(
        "grantee_report_due",
        [
            {
                "award_id": d.award.id,
                "program_id": d.award.program_id,
                "program_name": _name(programs.get(d.award.program_id)),
                "member_id": d.award.member_id,
                "report_kind": d.kind.value,
                "due_on": d.due_on.isoformat(),
            }
            for d in due
        ],
    )
    return len(due)


def _name(program: Program | None) -> str:
    return program.name if program else ""


def _review_reminders(
    uow: GrantsUnitOfWork, policy: ReminderPolicy, today: date
) -> int:
    # Programmes whose deadline (closes_at + window) falls within notice.
    midnight = datetime.combine(today, time(), UTC)
    window = timedelta(days=policy.review_window_days)
    start = midnight - window - timedelta(days=1)
    end = midnight - window + timedelta(days=policy.review_notice_days + 2)
    programs = {p.id: p for p in uow.programs.published_closing_between(start, end)}
    waiting = uow.assignments.unreviewed(programs)
    sent = uow.reminders.sent(review_key(a.id) for a in waiting)
    due: list[tuple[Assignment, datetime]] = []
    for assignment in waiting:
        deadline = review_deadline(programs[assignment.program_id], policy)
        if review_reminder_due(
            assignment, deadline, today, policy, review_key(assignment.id) in sent
        ):
            due.append((assignment, deadline))
    apps = uow.applications.get_many(a.application_id for a, _ in due)
    news: list[ReviewReminderDue] = []
    for assignment, deadline in due:
        reviewer = uow.reviewers.get(assignment.reviewer_id)
        if reviewer is None:
            continue
        program = programs[assignment.program_id]
        app = apps[assignment.application_id]
        assigned = assigned_news(uow, program, app, reviewer, assignment)
        news.append({**assigned, "review_deadline": deadline.isoformat()})
    uow.reminders.record((review_key(a.id) for a, _ in due), today)
    uow.emit_all("review_reminder_due", news)
    return len(news)
