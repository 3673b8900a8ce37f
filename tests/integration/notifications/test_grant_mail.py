"""Grants' news as email, end to end on the real broker, databases and an SMTP
sink: grants publishes through its outbox, notifications sends each message
once; a member that turned grant rounds off gets none."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from common.identity import Identity
from services.grants.domain.reminders import ReminderPolicy
from services.grants.domain.reports import ReportKind
from tests.integration.grants.conftest import Grants, member
from tests.integration.members.conftest import Members
from tests.integration.notifications.conftest import deliveries
from tests.support.mailsink import MailSink
from tests.support.platform import Platform
from tests.support.wait import wait_until
from tests.unit.grants import builders as b

POLICY = ReminderPolicy()  # grants runs with the default settings
ROUND = "GRANT_ROUND_ANNOUNCEMENT"
OPEN = {"good_standing_required": False, "partnership_requirement": "ACTIVE"}


def address(who: str) -> str:
    return f"{who}-{uuid.uuid4().hex[:10]}@grants.example"


def registered(members: Members, grants: Grants, email: str) -> str:
    """A member community registered in members, known to grants: PENDING
    (not in good standing) until its first dues are paid, so the programmes
    below do not ask for good standing."""
    member_id = str(members.register(contact_email=email)["member_id"])
    grants.wait_member(member_id, status="PENDING")
    return member_id


def once(sink: MailSink, to: str, kind: str) -> dict[str, Any]:
    (mail,) = sink.wait_for(1, to=to, kind=kind)
    return mail


def settled(platform: Platform, recipient: str, kind: str, status: str) -> Any:
    """The one delivery of `kind` to `recipient`, once it has `status`."""

    def found() -> list[Any]:
        rows = [r for r in deliveries(platform, recipient=recipient) if r.kind == kind]
        assert len(rows) <= 1, rows
        return rows if rows and rows[0].status == status else []

    (row,) = wait_until(found, message=f"{kind} to {recipient}: {status}")
    return row


def test_a_round_is_announced_once_and_not_to_a_member_that_opted_out(
    notifications: Platform, members: Members, grants: Grants, sink: MailSink
) -> None:
    told, quiet = address("told"), address("quiet")
    told_id = registered(members, grants, told)
    quiet_id = registered(members, grants, quiet)
    notifications.rpc(
        "notifications",
        "set_notification_preferences",
        quiet_id,
        ["GRANT_ROUND_ANNOUNCEMENT"],
        identity=Identity(sub=f"u-{quiet_id}", role="member", member_id=quiet_id),
    )
    program = grants.call(
        "create_program",
        b.program_data(
            grants.now(), name=f"Round {uuid.uuid4().hex[:6]}", eligibility=OPEN
        ),
    )
    grants.call("publish_program", program["id"])

    mail = once(sink, told, ROUND)
    assert program["name"] in mail["subject"]
    assert "https://app.example/member/grants" in mail["text"]
    assert (
        mail["list_unsubscribe"]
        and "/notifications/unsubscribe?token=" in (mail["list_unsubscribe"])
    )
    # The opted-out member's delivery is recorded SKIPPED, in the same
    # transaction as the other's: once it is there, nothing more will come.
    skipped = settled(notifications, quiet, ROUND, "SKIPPED")
    assert skipped.member_id == quiet_id
    sent = settled(notifications, told, ROUND, "SENT")
    assert sent.member_id == told_id and sent.message_id == mail["message_id"]
    assert sink.messages(to=quiet, kind=ROUND) == []
    (again,) = sink.messages(to=told, kind=ROUND)
    assert again["received"] == 1


def test_a_blind_reviewer_is_reminded_once_without_the_applicant(
    notifications: Platform, grants: Grants, sink: MailSink
) -> None:
    applicant = f"Secretville {uuid.uuid4().hex[:6]}"
    member_id, partnership_id = grants.community(name=applicant)
    home, _ = grants.community()
    reviewer_email = address("reviewer")
    reviewer_id = b.uid("r-")
    grants.call(
        "register_reviewer",
        {
            "reviewer_id": reviewer_id,
            "name": "Ada Reviewer",
            "home_member_id": home,
            "email": reviewer_email,
        },
    )
    program = grants.open_program(
        blind_review=True, reviewers_per_application=1, panel=[reviewer_id]
    )
    grants.apply(program["id"], member_id, partnership_id)
    grants.call("assign_reviewers", program["id"])
    once(sink, reviewer_email, "REVIEW_ASSIGNED")

    deadline = datetime.fromisoformat(program["closes_at"]) + timedelta(
        days=POLICY.review_window_days
    )
    early = (deadline - timedelta(days=POLICY.review_notice_days + 1)).date()
    grants.call("run_daily", early.isoformat())
    day = (deadline - timedelta(days=POLICY.review_notice_days)).date()
    first = grants.call("run_daily", day.isoformat())
    second = grants.call("run_daily", day.isoformat())
    assert first["review_reminders"] >= 1 and second["review_reminders"] == 0

    mail = once(sink, reviewer_email, "REVIEW_REMINDER")
    assert f"{deadline:%B} {deadline.day}, {deadline.year}" in mail["subject"]
    for part in (mail["subject"], mail["text"], mail["html"]):
        assert applicant not in part and member_id not in part
    assert "not named" in mail["text"]
    assert mail["list_unsubscribe"] is None
    reminders = [
        r
        for r in deliveries(notifications, recipient=reviewer_email)
        if r.kind == "REVIEW_REMINDER"
    ]
    assert len(reminders) == 1 and mail["received"] == 1


def test_a_grantee_is_reminded_of_its_report_once_then_told_it_is_accepted(
    notifications: Platform, members: Members, grants: Grants, sink: MailSink
) -> None:
    email = address("grantee")
    member_id = registered(members, grants, email)
    partnership_id = b.uid("p-")
    grants.publish(
        "partnerships",
        "partnership_registered",
        b.partnership_registered(partnership_id, member_id, "Tsuruta", "JP", "ACTIVE"),
    )
    grants.wait_partnership(partnership_id)
    program = grants.open_program(eligibility=OPEN)
    app = grants.apply(program["id"], member_id, partnership_id)
    assert app["status"] == "SUBMITTED", app.get("ineligibility_reasons")
    decided = grants.call(
        "decide_application",
        app["id"],
        {
            "outcome": "AWARD",
            "amount_cents": 90_000,
            "instalments": [
                {"amount_cents": 50_000, "condition": "AGREEMENT_SIGNED"},
                {"amount_cents": 40_000, "condition": "INTERIM_REPORT_ACCEPTED"},
            ],
        },
    )
    award = decided["award"]
    awarded = datetime.fromisoformat(award["awarded_at"]).date()
    due_on = awarded + timedelta(days=POLICY.report_due_days[ReportKind.INTERIM])
    notice = due_on - timedelta(days=POLICY.report_notice_days)
    for day in (notice, notice, due_on):
        grants.call("run_daily", day.isoformat())

    mail = once(sink, email, "GRANTEE_REPORT_DUE")
    assert long(due_on) in mail["subject"]
    assert f"https://app.example/member/grants/awards/{award['id']}" in mail["text"]
    assert mail["list_unsubscribe"] is None

    report = grants.call(
        "submit_grantee_report",
        award["id"],
        {"kind": "INTERIM", "narrative": "Half the exchange is done."},
        identity=member(member_id),
    )
    grants.call("review_grantee_report", report["id"], True, "Well documented")
    accepted = once(sink, email, "GRANTEE_REPORT_ACCEPTED")
    assert "accepted" in accepted["subject"]
    assert "Well documented" in accepted["text"]
    kinds = [r.kind for r in deliveries(notifications, recipient=email)]
    assert kinds.count("GRANTEE_REPORT_DUE") == 1
    assert kinds.count("GRANTEE_REPORT_ACCEPTED") == 1
    assert sink.wait_for(1, to=email, kind="GRANTEE_REPORT_DUE")[0]["received"] == 1


def long(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"
