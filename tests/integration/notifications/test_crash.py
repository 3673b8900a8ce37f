"""The notifications service killed (SIGKILL) in the middle of a stream of
messages and started again: every message arrives, under one Message-ID each,
and no (event, recipient) is recorded twice."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from tests.integration.notifications.conftest import (
    deliveries,
    notifications_env,
    start_notifications,
)
from tests.integration.notifications.test_delivery import assigned
from tests.support.mailsink import MailSink
from tests.support.platform import Platform
from tests.support.wait import wait_until

COUNT = 300


def test_killed_mid_stream_every_message_once(
    notifications: Platform, sink: MailSink
) -> None:
    tag = uuid.uuid4().hex[:8]
    emails = [f"r{n}-{tag}@crash.example" for n in range(COUNT)]
    before = sink.stats()["messages"]
    for email in emails:
        notifications.publish_event("grants", "reviewer_assigned", assigned(email))
    wait_until(
        lambda: sink.stats()["messages"] - before >= 30,
        timeout=60,
        message="the stream under way",
    )
    notifications.kill("notifications")
    at_kill = sink.stats()["messages"] - before
    assert at_kill < COUNT, "all sent before the kill: the test saw no crash"
    start_notifications(notifications, notifications_env(sink))

    def all_in() -> list[dict[str, Any]]:
        mine = [m for m in sink.messages() if m["rcpt_to"][0].endswith(suffix)]
        return mine if len(mine) >= COUNT else []

    def statuses() -> Counter[str]:
        rows = deliveries(notifications)
        return Counter(r.status for r in rows if r.recipient.endswith(suffix))

    suffix = f"-{tag}@crash.example"
    try:
        mine = wait_until(all_in, timeout=120, interval=0.5, message="every message")
    except AssertionError as exc:
        proc = notifications.processes["notifications"]
        raise AssertionError(
            f"{exc}; deliveries {dict(statuses())}\n{proc.log_tail(60)}"
        ) from None
    assert sorted(m["rcpt_to"][0] for m in mine) == sorted(emails)
    ids = [m["message_id"] for m in mine]
    assert len(set(ids)) == COUNT  # one Message-ID per (event, recipient)
    # The outcome is recorded just after the hand-off the sink saw.
    wait_until(
        lambda: statuses() == Counter({"SENT": COUNT}),
        timeout=30,
        message="every delivery recorded SENT",
    )
    rows = [r for e in emails for r in deliveries(notifications, recipient=e)]
    assert {r.message_id for r in rows} == set(ids)
    repeats = sum(m["received"] - 1 for m in mine)
    print(f"killed after {at_kill} of {COUNT}; hand-offs repeated: {repeats}")
