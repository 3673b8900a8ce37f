"""Decisions within budget, and awards paid in instalments through payments' news."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from kombu import Connection, Producer, Queue

from common import amqp
from common.envelope import Envelope
from tests.integration.grants.conftest import Grants, member
from tests.support.wait import wait_until
from tests.unit.grants import builders as b


@pytest.fixture
def grants_events(grants: Grants) -> Iterator[list[dict[str, Any]]]:
    """Every event grants publishes while the test runs, read off the broker."""
    seen: list[dict[str, Any]] = []
    conn = Connection(grants.platform.amqp_uri)
    queue = Queue(
        f"test-grants-events-{b.uid()}",
        exchange=amqp.event_exchange("grants"),
        routing_key="#",
        auto_delete=True,
    )

    def on_message(body: dict[str, Any], message: Any) -> None:
        seen.append(body)
        message.ack()

    consumer = conn.Consumer(queue, callbacks=[on_message])
    consumer.consume()

    class Drain(list[dict[str, Any]]):
        def wait(self, event_type: str, count: int = 1) -> list[dict[str, Any]]:
            def enough() -> list[dict[str, Any]]:
                with contextlib.suppress(TimeoutError):
                    conn.drain_events(timeout=0.2)
                found = [e for e in seen if e["type"] == event_type]
                return found if len(found) >= count else []

            return wait_until(enough, timeout=10, message=f"{count} {event_type}")

    yield Drain(seen)
    consumer.cancel()
    conn.release()


def test_an_award_beyond_the_remaining_budget_is_refused(grants: Grants) -> None:
    program = grants.open_program(budget_cents=1_000_000, max_award_cents=700_000)
    apps = [
        grants.apply(program["id"], *grants.community(), amount_requested_cents=600_000)
        for _ in range(2)
    ]
    grants.call("decide_application", apps[0]["id"], {"outcome": "AWARD"})
    refused = grants.refused("decide_application", apps[1]["id"], {"outcome": "AWARD"})
    assert refused.exc_type == "BadInput"
    assert "beyond the programme's remaining budget of 400000 cents" in str(refused)
    assert "decision.amountCents" in str(refused.value)
    unchanged = grants.call("get_application", apps[1]["id"])
    assert unchanged["status"] == "SUBMITTED" and unchanged["award"] is None
    # What is left can still be awarded, to the cent.
    partial = grants.call(
        "decide_application",
        apps[1]["id"],
        {"outcome": "AWARD", "amount_cents": 400_000},
    )
    assert partial["award"]["amount_cents"] == 400_000
    view = grants.call("get_program", program["id"])
    assert view["remaining_cents"] == 0


def test_declines_need_reasons_and_get_a_letter(grants: Grants) -> None:
    program = grants.open_program()
    m, p = grants.community(name="Walla Walla")
    app = grants.apply(program["id"], m, p)
    missing = grants.refused("decide_application", app["id"], {"outcome": "DECLINE"})
    assert missing.exc_type == "BadInput"
    declined = grants.call(
        "decide_application",
        app["id"],
        {"outcome": "DECLINE", "reasons": ["the exchange has no youth component"]},
    )
    assert declined["status"] == "DECLINED"
    letter = grants.call("get_application", app["id"], identity=member(m))[
        "decision_letter"
    ]
    assert "To: Walla Walla" in letter
    assert "  - the exchange has no youth component" in letter
    twice = grants.refused("decide_application", app["id"], {"outcome": "AWARD"})
    assert twice.exc_type == "Conflict"


def disbursement(award: dict[str, Any], inst: dict[str, Any], n: int) -> dict[str, Any]:
    return {
        "disbursement_id": f"d-{inst['id']}",
        "award_id": award["id"],
        "instalment_id": inst["id"],
        "member_id": award["member_id"],
        "amount_cents": inst["amount_cents"],
        "currency": inst["currency"],
        "paid_at": f"2027-0{n}-15T10:00:00+00:00",
        "reference": f"WIRE-{n}",
    }


def test_an_award_paid_in_two_instalments(grants: Grants, grants_events: Any) -> None:
    program = grants.open_program()
    m, p = grants.community(name="Astoria")
    app = grants.apply(
        program["id"],
        m,
        p,
        amount_requested_cents=900_000,
        budget=[{"item": "Exchange", "amount_cents": 950_000}],
    )
    decided = grants.call(
        "decide_application",
        app["id"],
        {
            "outcome": "AWARD",
            "amount_cents": 900_000,
            "conditions": "Credit the national body in all materials.",
            "instalments": [
                {"amount_cents": 600_000, "condition": "AGREEMENT_SIGNED"},
                {"amount_cents": 300_000, "condition": "INTERIM_REPORT_ACCEPTED"},
            ],
        },
    )
    award = decided["award"]
    assert "USD 9,000.00" in decided["decision_letter"]
    assert (
        "  2. USD 3,000.00, once the interim report is accepted"
        in (decided["decision_letter"])
    )
    (awarded,) = [
        e
        for e in grants_events.wait("grant_awarded", 1)
        if e["payload"]["award_id"] == award["id"]
    ]
    assert awarded["payload"]["amount_cents"] == 900_000
    decided_events = grants_events.wait("application_decided")
    assert any(e["payload"]["decision"] == "AWARDED" for e in decided_events)

    first, second = award["instalments"]
    waiting = grants.refused("release_instalment", first["id"])
    assert "AGREEMENT_SIGNED" in str(waiting)
    out_of_order = grants.refused("release_instalment", second["id"])
    assert "earlier instalments" in str(out_of_order)
    grants.call("sign_agreement", award["id"], identity=member(m))
    grants.call("release_instalment", first["id"])
    released = grants_events.wait("instalment_released")
    assert released[0]["payload"] == {
        "instalment_id": first["id"],
        "award_id": award["id"],
        "member_id": m,
        "amount_cents": 600_000,
        "currency": "USD",
    }
    report = grants.call(
        "submit_grantee_report",
        award["id"],
        {
            "kind": "INTERIM",
            "narrative": "Visit done",
            "spending": [{"item": "Flights", "amount_cents": 550_000}],
        },
        identity=member(m),
    )
    returned = grants.call("review_grantee_report", report["id"], False, "Add receipts")
    assert returned["status"] == "RETURNED"
    assert "INTERIM_REPORT_ACCEPTED" in str(
        grants.refused("release_instalment", second["id"])
    )
    again = grants.call(
        "submit_grantee_report",
        award["id"],
        {
            "kind": "INTERIM",
            "narrative": "Visit done, receipts attached",
            "attachments": [{"name": "receipts.pdf", "ref": "docs://r/1"}],
        },
        identity=member(m),
    )
    grants.call("review_grantee_report", again["id"], True, "")
    grants.call("release_instalment", second["id"])
    grants_events.wait("instalment_released", 2)

    # payments' news, duplicated and out of order: paid before scheduled,
    # the second instalment before the first, each twice.
    paid2 = grants.publish(
        "payments", "disbursement_paid", disbursement(award, second, 2)
    )
    grants.publish(
        "payments",
        "disbursement_paid",
        disbursement(award, second, 2),
        event_id=paid2.event_id,
    )
    paid1 = grants.publish(
        "payments", "disbursement_paid", disbursement(award, first, 1)
    )
    sched = {
        k: v
        for k, v in disbursement(award, first, 1).items()
        if k not in ("paid_at", "reference")
    }
    late = grants.publish("payments", "disbursement_scheduled", sched)
    grants.publish(
        "payments",
        "disbursement_paid",
        disbursement(award, first, 1),
        event_id=paid1.event_id,
    )
    wait_until(lambda: grants.processed(late.event_id), message="late scheduled news")

    def both_paid() -> dict[str, Any]:
        view = grants.call("get_award", award["id"], identity=member(m))
        return view if all(i["status"] == "PAID" for i in view["instalments"]) else {}

    view = wait_until(both_paid, message="both instalments paid")
    assert view["paid_cents"] == 900_000
    assert [i["reference"] for i in view["instalments"]] == ["WIRE-1", "WIRE-2"]
    assert view["instalments"][0]["paid_at"].startswith("2027-01-15")
    processed = grants.row(
        "SELECT count(*) AS n FROM processed_events WHERE event_id IN (:a, :b)",
        a=paid1.event_id,
        b=paid2.event_id,
    )
    assert processed["n"] == 2  # each once, the duplicates never ran
    assert json.dumps(view)  # JSON all the way


def test_one_report_of_a_kind_at_a_time(grants: Grants) -> None:
    program = grants.open_program()
    m, p = grants.community()
    app = grants.apply(program["id"], m, p)
    award = grants.call("decide_application", app["id"], {"outcome": "AWARD"})["award"]
    data = {"kind": "FINAL", "narrative": "All done"}
    grants.call("submit_grantee_report", award["id"], data, identity=member(m))
    dup = grants.refused("submit_grantee_report", award["id"], data, identity=member(m))
    assert dup.exc_type == "Conflict"
    grants.advance(timedelta(minutes=1))


def test_concurrent_awards_never_overspend(grants: Grants) -> None:
    """Two awards racing for the last of the budget: exactly one wins."""
    from concurrent.futures import ThreadPoolExecutor

    from nameko.exceptions import RemoteError
    from nameko.standalone.rpc import ClusterRpcProxy

    from tests.integration.grants.conftest import STAFF

    program = grants.open_program(budget_cents=1_000_000, max_award_cents=600_000)
    apps = [
        grants.apply(program["id"], *grants.community(), amount_requested_cents=600_000)
        for _ in range(2)
    ]

    def award(app_id: str) -> str:
        config = {"AMQP_URI": grants.platform.amqp_uri}
        context = {"identity": STAFF.to_header()}
        with ClusterRpcProxy(config, timeout=10, context_data=context) as rpc:
            try:
                rpc.grants.decide_application(app_id, {"outcome": "AWARD"})
                return "AWARDED"
            except RemoteError as exc:
                return str(exc.exc_type)

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(award, [a["id"] for a in apps]))
    assert outcomes == ["AWARDED", "BadInput"]
    assert grants.call("get_program", program["id"])["remaining_cents"] == 400_000


def test_paid_and_scheduled_news_at_once_end_paid(grants: Grants) -> None:
    """News of one instalment handled by two workers at the same moment: the
    later status wins whatever the order (no lost update)."""
    program = grants.open_program()
    released = []
    for i in range(10):
        m, p = grants.community(name=f"Racine {i}")
        app = grants.apply(program["id"], m, p, amount_requested_cents=100_000)
        award = grants.call(
            "decide_application",
            app["id"],
            {
                "outcome": "AWARD",
                "amount_cents": 100_000,
                "instalments": [
                    {"amount_cents": 100_000, "condition": "AGREEMENT_SIGNED"}
                ],
            },
        )["award"]
        grants.call("sign_agreement", award["id"], identity=member(m))
        (inst,) = award["instalments"]
        grants.call("release_instalment", inst["id"])
        released.append((award, inst, m))
    # One connection, back to back: the two news of an instalment reach two
    # workers at the same moment.
    with amqp.connection(grants.platform.amqp_uri) as conn:
        channel = conn.channel()
        amqp.event_exchange("payments")(channel).declare()
        producer = Producer(channel)
        for award, inst, _ in released:
            news = disbursement(award, inst, 1)
            scheduled = {
                k: v for k, v in news.items() if k not in ("paid_at", "reference")
            }
            for kind, payload in (
                ("disbursement_paid", news),
                ("disbursement_scheduled", scheduled),
            ):
                envelope = Envelope(type=kind, producer="payments", payload=payload)
                amqp.publish_envelope(producer, envelope.to_dict())

    def all_paid() -> bool:
        views = [
            grants.call("get_award", award["id"], identity=member(m))
            for award, _, m in released
        ]
        return all(v["instalments"][0]["status"] == "PAID" for v in views)

    wait_until(all_paid, message="every instalment PAID")
