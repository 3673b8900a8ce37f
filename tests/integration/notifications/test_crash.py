"""The notifications service killed (SIGKILL) in the middle of a stream of
messages and started again: every message arrives, under one Message-ID each,
and no (event, recipient) is recorded twice."""

from __future__ import annotations

import uuid

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

    def all_in() -> list[dict[str, object]] | None:
        mine = [
            m
            for m in sink.messages()
            if str(m["rcpt_to"][0]).endswith(f"-{tag}@crash.example")
        ]  # type: ignore[index]
        return mine if len(mine) >= COUNT else None

    mine = wait_until(all_in, timeout=120, interval=0.5, message="every message")
    assert sorted(str(m["rcpt_to"][0]) for m in mine) == sorted(emails)  # type: ignore[index]
    ids = [m["message_id"] for m in mine]
    assert len(set(ids)) == COUNT  # one Message-ID per (event, recipient)
    rows = [r for e in emails for r in deliveries(notifications, recipient=e)]
    assert len(rows) == COUNT and {r.status for r in rows} == {"SENT"}
    assert {r.message_id for r in rows} == set(ids)
    repeats = sum(int(m["received"]) - 1 for m in mine)  # type: ignore[call-overload]
    print(f"killed after {at_kill} of {COUNT}; hand-offs repeated: {repeats}")
