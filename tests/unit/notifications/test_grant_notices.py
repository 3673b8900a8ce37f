"""Grants' round announcements, report and review reminders: who is told
what, once per recipient, with a member's choice about the optional kind."""

from __future__ import annotations

from typing import Any

from common.identity import Identity
from services.notifications.domain.kinds import Kind, is_optional
from services.notifications.domain.notices import notices
from services.notifications.service_layer import queries
from tests.unit.notifications.conftest import Harness


def round_published(*member_ids: str) -> dict[str, Any]:
    return {
        "program_id": "p-1",
        "program_name": "Youth 2031",
        "description": "",
        "areas": ["YOUTH_EDUCATION"],
        "opens_at": "2031-02-01T00:00:00+00:00",
        "closes_at": "2031-03-31T00:00:00+00:00",
        "max_award_cents": 500_000,
        "currency": "USD",
        "member_ids": list(member_ids),
    }


def reminder(blind: bool) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "assignment_id": "as-1",
        "reviewer_id": "r-1",
        "reviewer_name": "Ada",
        "reviewer_email": "ada@review.example",
        "program_id": "p-1",
        "program_name": "Youth 2031",
        "application_id": "app-1",
        "application_title": "Students to Sapporo",
        "blind": blind,
        "review_deadline": "2031-04-21T00:00:00+00:00",
    }
    if not blind:
        payload |= {"applicant_member_id": "m-1", "applicant_name": "Bend, OR"}
    return payload


def reviewed(status: str) -> dict[str, Any]:
    return {
        "report_id": "gr-1",
        "award_id": "aw-1",
        "member_id": "m-1",
        "report_kind": "INTERIM",
        "status": status,
        "staff_comment": "",
        "reviewed_at": "2031-07-02T10:00:00+00:00",
    }


def test_a_round_is_announced_to_each_member_it_names_once() -> None:
    found = notices("grant_round_published", round_published("m-1", "m-2", "m-1"))
    assert [n.member_id for n in found] == ["m-1", "m-2"]
    assert {n.kind for n in found} == {Kind.GRANT_ROUND_ANNOUNCEMENT}
    assert is_optional(Kind.GRANT_ROUND_ANNOUNCEMENT)
    assert notices("grant_round_published", round_published()) == []


def test_only_an_accepted_report_is_news() -> None:
    (accepted,) = notices("grantee_report_reviewed", reviewed("ACCEPTED"))
    assert accepted.kind is Kind.GRANTEE_REPORT_ACCEPTED
    assert accepted.member_id == "m-1" and not is_optional(accepted.kind)
    assert notices("grantee_report_reviewed", reviewed("RETURNED")) == []


def test_a_report_due_goes_to_the_grantee() -> None:
    (due,) = notices(
        "grantee_report_due",
        {
            "award_id": "aw-1",
            "program_id": "p-1",
            "program_name": "Youth 2031",
            "member_id": "m-1",
            "report_kind": "FINAL",
            "due_on": "2031-07-01",
        },
    )
    assert due.kind is Kind.GRANTEE_REPORT_DUE and due.member_id == "m-1"
    assert due.context["link"] == "/member/grants/awards/aw-1"
    assert due.context["due_on"] == "2031-07-01"


def test_a_blind_programmes_review_reminder_never_names_the_applicant() -> None:
    leaked = reminder(blind=True) | {"applicant_name": "Bend, OR"}
    (blind,) = notices("review_reminder_due", leaked)
    assert blind.kind is Kind.REVIEW_REMINDER
    assert blind.reviewer_email == "ada@review.example" and blind.member_id is None
    assert "applicant_name" not in blind.context
    assert blind.context["review_deadline"] == "2031-04-21T00:00:00+00:00"
    (open_,) = notices("review_reminder_due", reminder(blind=False))
    assert open_.context["applicant_name"] == "Bend, OR"
    no_address = reminder(blind=True) | {"reviewer_email": None}
    assert notices("review_reminder_due", no_address) == []


def test_an_opted_out_member_gets_no_round_the_others_do(
    notifications: Harness,
) -> None:
    notifications.directory.add("m-1", "clerk@bend.example")
    notifications.directory.add("m-2", "clerk@hood.example")
    me = Identity(sub="u-1", role="member", member_id="m-1")
    queries.set_preferences(notifications.uow, me, "m-1", ["GRANT_ROUND_ANNOUNCEMENT"])
    event = notifications.feed(
        "grants", "grant_round_published", round_published("m-1", "m-2")
    )
    notifications.feed(
        "grants",
        "grant_round_published",
        round_published("m-1", "m-2"),
        event_id=event.event_id,
    )  # redelivered: nothing new
    rows = {r.recipient: r.status for r in notifications.deliveries()}
    assert rows == {"clerk@bend.example": "SKIPPED", "clerk@hood.example": "PENDING"}
