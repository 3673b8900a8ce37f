"""The staff's daily digest on the real broker, databases and services: once
per date in the mail sink with the owners' counts; `staffDigest` in GraphQL
for staff only."""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from kombu import Producer

from common import amqp
from common.config import SERVICES
from common.deadletters import count_dead_letters
from common.identity import Identity
from tests.integration.members.conftest import Members
from tests.integration.notifications.conftest import (
    notifications_env,
    start_notifications,
)
from tests.support.mailsink import MailSink
from tests.support.platform import Platform

STAFF = Identity(sub="staff-test", role="staff")
OWNERS = ("payments", "partnerships", "grants")


@pytest.fixture
def digest_to(platform: Platform, sink: MailSink, members: Members) -> tuple[str, str]:
    platform.start(*OWNERS)
    tag = uuid.uuid4().hex[:8]
    staff = (f"ops-{tag}@staff.example", f"chair-{tag}@staff.example")
    start_notifications(
        platform, notifications_env(sink, STAFF_DIGEST_TO=", ".join(staff))
    )
    return staff


@pytest.fixture
def dead_letter(platform: Platform) -> Iterator[None]:
    """One message parked in partnerships' dead letters, taken away after."""
    mark = f"digest test {uuid.uuid4().hex}"
    with amqp.connection(platform.amqp_uri) as conn:
        channel = conn.channel()
        amqp.dead_letter_queue("partnerships")(channel).declare()
        Producer(channel).publish(
            b'{"type": "poison"}',
            exchange=amqp.DEFAULT_EXCHANGE,
            routing_key="partnerships.dead-letters",
            headers={"x-error": mark},
            delivery_mode=2,
        )
    yield
    with amqp.connection(platform.amqp_uri) as conn:
        channel = conn.channel()
        queue = amqp.dead_letter_queue("partnerships")(channel)
        while (message := queue.get(no_ack=False)) is not None:
            if (message.headers or {}).get("x-error") == mark:
                message.ack()  # only ours; the others go back when it closes
        channel.close()


def expected(platform: Platform) -> dict[str, int]:
    """What each owner says, asked directly."""

    def ask(service: str, method: str, *args: Any) -> Any:
        return platform.rpc(service, method, *args, identity=STAFF)

    return {
        "payments_held": ask("payments", "held_payments", 0)["total"],
        "dead_letters": sum(count_dead_letters(SERVICES, platform.amqp_uri).values()),
        "members_missing_population": ask(
            "members", "list_members", {"population_missing": True}, 0
        )["total_count"],
        "partnerships_awaiting_approval": ask(
            "partnerships", "search_partnerships", {"status": "PENDING"}, 0
        )["total_count"],
        "reports_awaiting_review": ask("grants", "reports_awaiting_review", 0)["total"],
    }


def count_in(text: str, title: str) -> int:
    found = re.search(rf"^{re.escape(title)}: (\d+)\r?$", text, re.MULTILINE)
    assert found, f"{title!r} not in:\n{text}"
    return int(found.group(1))


def test_the_digest_arrives_once_per_date_with_the_owners_counts(
    notifications: Platform,
    digest_to: tuple[str, str],
    sink: MailSink,
    dead_letter: None,
) -> None:
    ops, chair = digest_to
    wanted = expected(notifications)
    assert wanted["dead_letters"] >= 1
    # Dates of our own: the timer's run at start-up took today's.
    year = random.randint(2200, 9000)
    first, second = date(year, 3, 4), date(year, 3, 5)

    def send(day: date) -> dict[str, Any]:
        found: dict[str, Any] = notifications.rpc(
            "notifications", "send_staff_digest", day.isoformat(), identity=STAFF
        )
        return found

    done = send(first)
    assert done["recorded"] == 2 and done["counts"] == wanted
    assert send(first)["skipped"] == "already recorded for this date"

    (mail,) = [
        m
        for m in sink.wait_for(1, to=ops, kind="STAFF_DIGEST")
        if "March 4" in m["subject"]
    ]
    text = mail["text"]
    assert (
        count_in(text, "Payments held for an amount mismatch")
        == wanted["payments_held"]
    )
    assert count_in(text, "Dead letters") == wanted["dead_letters"]
    assert "partnerships: " in text
    assert (
        count_in(text, "Members whose population is missing")
        == wanted["members_missing_population"]
    )
    assert (
        count_in(text, "Partnerships awaiting approval")
        == wanted["partnerships_awaiting_approval"]
    )
    assert (
        count_in(text, "Grantee reports awaiting review")
        == wanted["reports_awaiting_review"]
    )
    sink.wait_for(1, to=chair, kind="STAFF_DIGEST")

    assert send(second)["recorded"] == 2
    mails = [
        m
        for m in sink.wait_for(2, to=ops, kind="STAFF_DIGEST")
        if str(year) in m["subject"]
    ]
    assert sorted(m["subject"][-13:] for m in mails) == sorted(
        [f"March 4, {year}", f"March 5, {year}"]
    )
    assert len({m["message_id"] for m in mails}) == 2


def test_staff_digest_in_graphql_is_for_staff_only(
    notifications: Platform, digest_to: tuple[str, str]
) -> None:
    notifications.start_gateway()
    query = "{ staffDigest { paymentsHeld deadLetters membersMissingPopulation "
    query += "partnershipsAwaitingApproval reportsAwaitingReview generatedAt } }"
    staff = notifications.graphql(query, token=notifications.token("staff"))
    assert "errors" not in staff, staff
    got = staff["data"]["staffDigest"]
    wanted = expected(notifications)
    assert got["deadLetters"] == wanted["dead_letters"]
    assert got["paymentsHeld"] == wanted["payments_held"]
    assert got["reportsAwaitingReview"] == wanted["reports_awaiting_review"]
    assert got["generatedAt"]

    member = notifications.graphql(
        query, token=notifications.token("member", member_id="m-digest")
    )
    assert member["data"] is None
    assert member["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anonymous = notifications.graphql(query)
    assert anonymous["data"] is None
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
