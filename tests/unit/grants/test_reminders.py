"""Grant rounds announced to whom; report and review reminders, once each, in
their window (domain rules, then the daily job on a migrated SQLite)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from common.errors import BadInput
from services.grants.domain.awards import Award, Condition, Instalment
from services.grants.domain.facts import MemberFacts
from services.grants.domain.program import announcement_audience, parse_program
from services.grants.domain.reminders import (
    ReminderPolicy,
    expected_reports,
    report_reminder_due,
    review_deadline,
    review_reminder_due,
)
from services.grants.domain.reports import GranteeReport, ReportKind, ReportStatus
from services.grants.domain.review import Assignment, AssignmentStatus
from services.grants.service_layer import (
    applications,
    decisions,
    grantees,
    programs,
    reminders,
    review,
)
from tests.unit.grants import builders as b
from tests.unit.grants.conftest import Harness
from tests.unit.grants.test_handlers import STAFF, community, member, open_program

NOW = datetime(2031, 1, 10, 12, 0, tzinfo=UTC)
POLICY = ReminderPolicy()


def facts(mid: str, status: str, good: bool, population: int | None) -> MemberFacts:
    return MemberFacts(mid, status=status, good_standing=good, population=population)


def test_a_round_is_announced_to_those_who_could_apply() -> None:
    known = [
        facts("m-ok", "ACTIVE", True, 50_000),
        facts("m-grace", "GRACE", True, None),  # population unknown: told
        facts("m-lapsed", "LAPSED", False, 50_000),
        facts("m-big", "ACTIVE", True, 500_000),  # above max_population
        facts("m-cancelled", "CANCELLED", False, 50_000),
        facts("m-unknown", "", False, None),  # only heard of, never registered
    ]
    strict = parse_program(b.program_data(NOW), "p-1", NOW)
    assert announcement_audience(strict, known) == ["m-grace", "m-ok"]
    lenient = parse_program(
        b.program_data(
            NOW, eligibility={"good_standing_required": False, "max_population": None}
        ),
        "p-2",
        NOW,
    )
    assert announcement_audience(lenient, known) == [
        "m-big",
        "m-grace",
        "m-lapsed",
        "m-ok",
    ]


def assignment(status: AssignmentStatus = AssignmentStatus.ASSIGNED) -> Assignment:
    return Assignment("as-1", "p-1", "app-1", "r-1", status, NOW, {})


def test_a_review_reminder_comes_within_notice_of_the_deadline_only() -> None:
    program = parse_program(b.program_data(NOW), "p-1", NOW)
    deadline = review_deadline(program, POLICY)
    assert deadline == program.closes_at + timedelta(days=21)
    day = deadline.date()
    due = [
        day + timedelta(days=d)
        for d in range(-6, 3)
        if review_reminder_due(
            assignment(), deadline, day + timedelta(days=d), POLICY, False
        )
    ]
    assert due == [day - timedelta(days=n) for n in (3, 2, 1, 0)]
    assert not review_reminder_due(assignment(), deadline, day, POLICY, True)
    for done in (AssignmentStatus.SUBMITTED, AssignmentStatus.RECUSED):
        assert not review_reminder_due(assignment(done), deadline, day, POLICY, False)


def test_reports_an_award_waits_for_are_due_after_the_award() -> None:
    award = Award("aw-1", "app-1", "p-1", "m-1", 500_000, "USD", "", NOW)

    def instalment(seq: int, condition: Condition) -> Instalment:
        return Instalment(f"in-{seq}", "aw-1", seq, 100_000, "USD", condition)

    expected = expected_reports(
        award,
        [
            instalment(1, Condition.AGREEMENT_SIGNED),
            instalment(2, Condition.INTERIM_REPORT_ACCEPTED),
            instalment(3, Condition.FINAL_REPORT_ACCEPTED),
        ],
        POLICY,
    )
    assert [(d.kind, d.due_on) for d in expected] == [
        (ReportKind.FINAL, date(2032, 1, 10)),
        (ReportKind.INTERIM, date(2031, 7, 9)),
    ]
    interim = expected[1]
    window = interim.due_on - timedelta(days=14)

    def report(status: ReportStatus) -> GranteeReport:
        return GranteeReport(
            "gr-1", "aw-1", "m-1", ReportKind.INTERIM, "x", (), (), status, NOW
        )

    assert not report_reminder_due(interim, [], window - timedelta(1), POLICY, False)
    assert report_reminder_due(interim, [], window, POLICY, False)
    assert report_reminder_due(interim, [], interim.due_on, POLICY, False)
    assert not report_reminder_due(
        interim, [], interim.due_on + timedelta(1), POLICY, False
    )
    assert not report_reminder_due(interim, [], window, POLICY, True)
    # A returned report must be sent again: still reminded. One in, not.
    returned = [report(ReportStatus.RETURNED)]
    assert report_reminder_due(interim, returned, window, POLICY, False)
    for status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        assert not report_reminder_due(interim, [report(status)], window, POLICY, False)


def test_publishing_announces_the_round_to_its_audience(grants: Harness) -> None:
    g = grants
    community(g, "m1", "Hood River", "Tsuruta")
    community(g, "m2", "Big City", "Nara", population=500_000)
    community(g, "m3", "Late Town", "Kyoto", good=False)
    prog = open_program(g)
    (event,) = g.events("grant_round_published")
    payload = event["payload"]
    assert payload["program_id"] == prog["id"]
    assert payload["member_ids"] == ["m1"]
    assert payload["program_name"] == prog["name"]
    assert payload["closes_at"] == prog["closes_at"]


def test_the_daily_job_reminds_reviewers_and_grantees_once(grants: Harness) -> None:
    g = grants
    p1 = community(g, "m1", "Hood River", "Tsuruta")
    community(g, "m3", "Home A", "Kyoto")
    programs.register_reviewer(
        g.uow,
        STAFF,
        {
            "reviewer_id": "r1",
            "name": "Ada",
            "home_member_id": "m3",
            "email": "ada@review.example",
        },
    )
    prog = open_program(g, reviewers_per_application=1)
    app = applications.save_application(
        g.uow, member("m1"), b.application_data(prog["id"], p1)
    )
    applications.submit_application(g.uow, member("m1"), app["id"])
    review.assign_reviewers(g.uow, STAFF, prog["id"])
    closes = datetime.fromisoformat(prog["closes_at"])
    deadline = closes + timedelta(days=21)

    early = (deadline - timedelta(days=4)).date().isoformat()
    assert reminders.run_daily(g.uow, STAFF, POLICY, early)["review_reminders"] == 0
    day = (deadline - timedelta(days=3)).date().isoformat()
    assert reminders.run_daily(g.uow, STAFF, POLICY, day)["review_reminders"] == 1
    assert reminders.run_daily(g.uow, STAFF, POLICY, day)["review_reminders"] == 0
    (sent,) = g.events("review_reminder_due")
    payload = sent["payload"]
    assert payload["reviewer_email"] == "ada@review.example"
    assert payload["review_deadline"] == deadline.isoformat()
    assert payload["blind"] is True and "applicant_name" not in payload
    assert "applicant_member_id" not in payload

    decided = decisions.decide_application(
        g.uow,
        STAFF,
        app["id"],
        {
            "outcome": "AWARD",
            "amount_cents": 500_000,
            "instalments": [
                {"amount_cents": 300_000, "condition": "AGREEMENT_SIGNED"},
                {"amount_cents": 200_000, "condition": "INTERIM_REPORT_ACCEPTED"},
            ],
        },
    )
    award = decided["award"]
    assert award is not None
    awarded = datetime.fromisoformat(award["awarded_at"]).date()
    due_on = awarded + timedelta(days=180)
    notice = (due_on - timedelta(days=14)).isoformat()
    out = reminders.run_daily(g.uow, STAFF, POLICY, notice)
    assert out == {"as_of": notice, "report_reminders": 1, "review_reminders": 0}
    assert reminders.run_daily(g.uow, STAFF, POLICY, notice)["report_reminders"] == 0
    later = (due_on - timedelta(days=2)).isoformat()
    assert reminders.run_daily(g.uow, STAFF, POLICY, later)["report_reminders"] == 0
    (due,) = g.events("grantee_report_due")
    assert due["payload"] == {
        "award_id": award["id"],
        "program_id": prog["id"],
        "program_name": prog["name"],
        "member_id": "m1",
        "report_kind": "INTERIM",
        "due_on": due_on.isoformat(),
    }

    report = grantees.submit_grantee_report(
        g.uow, member("m1"), award["id"], {"kind": "INTERIM", "narrative": "Done"}
    )
    grantees.review_grantee_report(g.uow, STAFF, report["id"], True, "Thanks")
    (reviewed,) = g.events("grantee_report_reviewed")
    assert reviewed["payload"]["status"] == "ACCEPTED"
    assert reviewed["payload"]["report_kind"] == "INTERIM"
    assert reviewed["payload"]["member_id"] == "m1"
    assert reviewed["payload"]["staff_comment"] == "Thanks"


def test_the_daily_job_is_staffs_and_names_a_bad_date(grants: Harness) -> None:
    with pytest.raises(BadInput) as bad:
        reminders.run_daily(grants.uow, STAFF, POLICY, "31/01/2031")
    assert bad.value.field == "asOf"


def test_the_settings_name_a_bad_value(monkeypatch: pytest.MonkeyPatch) -> None:
    from services.grants.adapters import settings

    monkeypatch.setenv("GRANTS_REVIEW_WINDOW_DAYS", "30")
    monkeypatch.setenv("GRANTS_FINAL_REPORT_DUE_DAYS", "400")
    policy = settings.reminder_policy()
    assert policy.review_window_days == 30 and policy.review_notice_days == 3
    assert policy.report_due_days[ReportKind.FINAL] == 400
    monkeypatch.setenv("GRANTS_REPORT_REMINDER_DAYS", "two weeks")
    with pytest.raises(ValueError, match="GRANTS_REPORT_REMINDER_DAYS"):
        settings.reminder_policy()
    monkeypatch.setenv("GRANTS_REPORT_REMINDER_DAYS", "-1")
    with pytest.raises(ValueError, match="GRANTS_REPORT_REMINDER_DAYS"):
        settings.reminder_policy()
