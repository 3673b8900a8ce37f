"""Events in, email out, on the real broker, database and an SMTP sink: each
(event, recipient) once, failures retried then parked, resent by staff."""

from __future__ import annotations

import shutil
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from common.identity import Identity
from services.notifications.adapters.settings import TEMPLATES
from tests.integration.members.conftest import Members
from tests.integration.notifications.conftest import (
    deliveries,
    notifications_env,
    start_notifications,
)
from tests.support.mailsink import MailSink
from tests.support.platform import Platform
from tests.support.wait import wait_until

STAFF = Identity(sub="staff-test", role="staff")


def assigned(email: str, blind: bool = True) -> dict[str, Any]:
    return {
        "assignment_id": str(uuid.uuid4()),
        "reviewer_id": "r-int",
        "reviewer_name": "Ada Reviewer",
        "reviewer_email": email,
        "program_id": "p-1",
        "program_name": "Youth Exchange",
        "application_id": str(uuid.uuid4()),
        "application_title": "Students to Sapporo",
        "blind": blind,
    }


def address() -> str:
    return f"r-{uuid.uuid4().hex[:10]}@review.example"


def test_a_registered_member_gets_its_invoice_once(
    notifications: Platform, members: Members, sink: MailSink
) -> None:
    year = date.today().year
    members.set_today(None)
    if members.rpc("get_dues_schedule", year) is None:
        members.schedule(year)
    email = f"clerk-{uuid.uuid4().hex[:8]}@town.example"
    member = members.register(contact_email=email)
    (mail,) = sink.wait_for(1, to=email, kind="INVOICE_ISSUED")
    assert str(year) in mail["subject"] and member["name"] in mail["text"]
    assert mail["text"].count("https://app.example/member/invoices") == 1
    assert mail["list_unsubscribe"] is None  # always sent: no link
    (row,) = deliveries(notifications, recipient=email)
    assert row.status == "SENT" and row.message_id == mail["message_id"]


def test_an_event_delivered_twice_sends_one_message(
    notifications: Platform, sink: MailSink
) -> None:
    email = address()
    first = notifications.publish_event("grants", "reviewer_assigned", assigned(email))
    notifications.publish_event(
        "grants", "reviewer_assigned", assigned(email), event_id=first.event_id
    )
    (mail,) = sink.wait_for(1, to=email)

    def sent() -> bool:
        found = notifications.rpc(
            "notifications", "list_notifications", {"recipient": email}
        )
        return (
            found["total_count"] == 1 and found["edges"][0]["node"]["status"] == "SENT"
        )

    wait_until(sent, message="one delivery, sent")
    assert mail["received"] == 1
    assert len(deliveries(notifications, event_id=first.event_id)) == 1


def test_smtp_down_then_back_everything_arrives_nothing_parked(
    notifications: Platform, sink: MailSink
) -> None:
    sink.stop()
    try:
        emails = [address() for _ in range(5)]
        for email in emails:
            notifications.publish_event("grants", "reviewer_assigned", assigned(email))
        wait_until(
            lambda: all(
                (rows := deliveries(notifications, recipient=e)) and rows[0].failures
                for e in emails
            ),
            timeout=20,
            message="every hand-off failed at least once",
        )
    finally:
        sink.start()
    for email in emails:
        sink.wait_for(1, to=email, timeout=30)
    rows = [deliveries(notifications, recipient=e)[0] for e in emails]
    assert {r.status for r in rows} == {"SENT"}
    assert all(r.attempt_count >= 2 for r in rows)


def test_a_template_that_fails_parks_its_message_the_rest_flow(
    notifications: Platform, sink: MailSink, tmp_path: Path
) -> None:
    broken = tmp_path / "templates"
    shutil.copytree(TEMPLATES, broken)
    (broken / "en" / "review_assigned.txt").write_text("{{ nowhere.to_be_found }}")
    start_notifications(
        notifications, notifications_env(sink, NOTIFICATIONS_TEMPLATES=str(broken))
    )
    try:
        bad, good = address(), address()
        notifications.publish_event("grants", "reviewer_assigned", assigned(bad))
        notifications.publish_event(
            "payments",
            "payment_status_changed",
            {"payment_id": "x", "member_id": None, "new_status": "EXPIRED"},
        )
        # a message of another kind, rendered by a sound template
        assignment = assigned(good)
        (parked,) = wait_until(
            lambda: [
                r
                for r in deliveries(notifications, recipient=bad)
                if r.status == "PARKED"
            ],
            timeout=20,
            message="the broken one parked",
        )
        assert "en/review_assigned" in parked.last_error
        assert "nowhere" in parked.last_error
        view = notifications.rpc("notifications", "get_notification", parked.id)
        assert (
            view["status"] == "PARKED" and view["attempts"][-1]["outcome"] == "PARKED"
        )
    finally:
        start_notifications(notifications, notifications_env(sink))
    notifications.publish_event("grants", "reviewer_assigned", assignment)
    sink.wait_for(1, to=good)
    # Mended: staff send it again, with the same Message-ID.
    notifications.rpc("notifications", "resend_notification", parked.id)
    (mail,) = sink.wait_for(1, to=bad)
    assert mail["message_id"] == parked.message_id
