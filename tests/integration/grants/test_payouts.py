"""An award paid in two instalments through the real payments service, then
payments' events delivered again, duplicated and in reverse order: no effect."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from kombu import Connection, Producer, Queue

from common import amqp
from tests.integration.grants.conftest import Grants, member
from tests.support.wait import wait_until
from tests.unit.grants import builders as b


class Tap:
    """Reads every event a producer publishes (a queue of the test's own)."""

    def __init__(self, uri: str, producer: str, routing_key: str) -> None:
        self.seen: list[dict[str, Any]] = []
        self.conn = Connection(uri)
        queue = Queue(
            f"test-tap-{producer}-{b.uid()}",
            exchange=amqp.event_exchange(producer),
            routing_key=routing_key,
            auto_delete=True,
        )
        self.consumer = self.conn.Consumer(queue, callbacks=[self._on_message])
        self.consumer.consume()

    def _on_message(self, body: dict[str, Any], message: Any) -> None:
        self.seen.append(body)
        message.ack()

    def wait(self, count: int, award_id: str) -> list[dict[str, Any]]:
        def enough() -> list[dict[str, Any]]:
            with contextlib.suppress(TimeoutError):
                self.conn.drain_events(timeout=0.2)
            found = [e for e in self.seen if e["payload"].get("award_id") == award_id]
            return found if len(found) >= count else []

        return wait_until(enough, timeout=15, message=f"{count} events")

    def close(self) -> None:
        self.consumer.cancel()
        self.conn.release()


@pytest.fixture
def payments_news(grants: Grants) -> Iterator[Tap]:
    grants.platform.start("payments")
    tap = Tap(grants.platform.amqp_uri, "payments", "#")
    yield tap
    tap.close()


def test_two_instalments_paid_through_payments(
    grants: Grants, payments_news: Tap
) -> None:
    program = grants.open_program()
    m, p = grants.community()
    app = grants.apply(program["id"], m, p)
    award = grants.call(
        "decide_application",
        app["id"],
        {
            "outcome": "AWARD",
            "amount_cents": 500_000,
            "instalments": [
                {"amount_cents": 200_000, "condition": "NONE"},
                {"amount_cents": 300_000, "condition": "NONE"},
            ],
        },
    )["award"]
    for instalment in award["instalments"]:
        grants.call("release_instalment", instalment["id"])

    def view() -> dict[str, Any]:
        found: dict[str, Any] = grants.call(
            "get_award", award["id"], identity=member(m)
        )
        return found

    def statuses(expected: str) -> dict[str, Any]:
        current = view()
        done = all(i["status"] == expected for i in current["instalments"])
        return current if done else {}

    scheduled = wait_until(
        lambda: statuses("SCHEDULED"), timeout=20, message="scheduled"
    )
    first, second = scheduled["instalments"]
    # Staff mark the bank transfers paid in payments, the second one first.
    grants.platform.rpc(
        "payments", "mark_disbursement_paid", second["disbursement_id"], "W-2"
    )
    grants.platform.rpc(
        "payments", "mark_disbursement_paid", first["disbursement_id"], "W-1"
    )
    paid = wait_until(lambda: statuses("PAID"), timeout=20, message="paid")
    assert paid["paid_cents"] == 500_000
    assert [i["reference"] for i in paid["instalments"]] == ["W-1", "W-2"]

    # payments' four events, delivered again: duplicated, newest first.
    news = payments_news.wait(4, award["id"])
    assert sorted(e["type"] for e in news) == [
        "disbursement_paid",
        "disbursement_paid",
        "disbursement_scheduled",
        "disbursement_scheduled",
    ]
    for envelope in reversed(news + news):
        with amqp.connection(grants.platform.amqp_uri) as publish:
            channel = publish.channel()
            amqp.publish_envelope(Producer(channel), envelope)
    # A fresh event behind the duplicates on each queue tells us they were read.
    markers = [
        grants.publish(
            "payments",
            kind,
            {**news[0]["payload"], "instalment_id": f"unknown-{b.uid()}"},
        )
        for kind in ("disbursement_scheduled", "disbursement_paid")
    ]
    wait_until(
        lambda: all(grants.processed(e.event_id) for e in markers), message="markers"
    )
    assert view() == paid
    claimed = grants.row(
        "SELECT count(*) AS n FROM processed_events WHERE event_id IN :ids",
        ids=tuple(e["event_id"] for e in news),
    )
    assert claimed["n"] == 4
