"""One trace from a GraphQL mutation through an RPC call, its SQL, the event it
wrote to the outbox and the other service's handler of that event, exported
over OTLP/HTTP to a receiver in the test (as to a collector). And one trace
from a Stripe webhook at the gateway through payments to members.

On a platform of this module's own: its processes export spans, the session's
do not.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from common import config
from devstripe.testing import free_port, start_devstripe, stop_devstripe, wait_ready
from tests.integration.payments.world import (
    API_KEY,
    BAND_AMOUNTS,
    BAND_EDGES,
    SECRET,
    STAFF,
    member_user,
)
from tests.support import infra
from tests.support.otlp import OtlpReceiver, ReceivedSpan
from tests.support.platform import Platform
from tests.support.wait import wait_until


@pytest.fixture(scope="module")
def receiver() -> Iterator[OtlpReceiver]:
    found = OtlpReceiver().start()
    yield found
    found.stop()


@pytest.fixture(scope="module")
def traced(run_id: str, receiver: OtlpReceiver) -> Iterator[Platform]:
    vhost = f"test-{run_id}-tracing"
    prefix = f"t_{run_id}_trace"
    amqp_uri = infra.create_vhost(vhost)
    workdir = Path(tempfile.mkdtemp(prefix="tracing-test-"))
    plat = Platform(amqp_uri, infra.service_databases(prefix), workdir)
    plat.env.update(
        {
            "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "",
            "OTEL_SERVICE_NAME": "",  # each process by its own name
            "OTEL_BSP_SCHEDULE_DELAY": "100",  # ms: spans leave at once
            "LOG_FORMAT": "json",
        }
    )
    try:
        plat.start("members", "partnerships")
        plat.start_gateway()
        yield plat
    finally:
        plat.shutdown()
        for service in config.SERVICES:
            infra.drop_database(f"{prefix}_{service}")
        infra.delete_vhost(vhost)
        shutil.rmtree(workdir, ignore_errors=True)


def test_one_trace_from_the_gateway_through_rpc_sql_and_an_event(
    traced: Platform, receiver: OtlpReceiver
) -> None:
    operation = f"Register{uuid.uuid4().hex[:8]}"
    body = traced.graphql(
        f"""mutation {operation}($input: RegisterMemberInput!) {{
              registerMember(input: $input) {{ id }} }}""",
        {
            "input": {
                "name": f"Traced City {uuid.uuid4().hex[:6]}",
                "kind": "CITY",
                "state": "OR",
                "population": 8_300,
                "contactEmail": "clerk@traced.example",
            }
        },
        token=traced.token("staff"),
    )
    assert not body.get("errors"), body
    member_id = body["data"]["registerMember"]["id"]

    def operation_span() -> ReceivedSpan | None:
        return next(
            (
                s
                for s in list(receiver.spans)
                if s.service == "gateway" and s.name.endswith(operation)
            ),
            None,
        )

    root = wait_until(operation_span, timeout=30, message="the gateway's span")
    assert root.kind == "SERVER" and root.parent_id == ""

    # Each process exports on its own schedule: wait for every process's part.
    expected = {
        ("gateway", "CLIENT", "members/register_member"),
        ("members", "SERVER", "members/register_member"),
        ("members", "PRODUCER", "create members.events"),
        ("partnerships", "CONSUMER", "process members.events member_registered"),
    }

    def handled() -> list[ReceivedSpan] | None:
        spans = receiver.trace(root.trace_id)
        arrived = {(s.service, s.kind, s.name) for s in spans}
        return spans if expected <= arrived else None

    try:
        spans = wait_until(handled, timeout=30, message="partnerships' event span")
    except AssertionError:
        for name, proc in traced.processes.items():
            print(f"--- {name} log ---\n{proc.log_tail(30)}")
        print("\n".join(f"{s}" for s in receiver.spans))
        raise
    by_id = {s.span_id: s for s in spans}

    def one(service: str, kind: str, name: str) -> ReceivedSpan:
        found = [
            s for s in spans if (s.service, s.kind, s.name) == (service, kind, name)
        ]
        assert len(found) == 1, (service, kind, name, spans)
        return found[0]

    def ancestors(span: ReceivedSpan) -> list[ReceivedSpan]:
        chain = []
        while span.parent_id in by_id:
            span = by_id[span.parent_id]
            chain.append(span)
        return chain

    client = one("gateway", "CLIENT", "members/register_member")
    assert root in ancestors(client)
    assert client.attributes["messaging.system"] == "rabbitmq"
    assert client.attributes["rpc.method"] == "register_member"

    server = one("members", "SERVER", "members/register_member")
    assert server.parent_id == client.span_id
    assert server.attributes["messaging.destination.name"] == "nameko-rpc"

    sql = [
        s
        for s in spans
        if s.service == "members"
        and s.kind == "CLIENT"
        and any(key.startswith("db.") for key in s.attributes)
    ]
    assert sql, spans
    assert all(server in ancestors(s) for s in sql)
    assert any(
        "INSERT" in str(s.attributes.get("db.statement", s.name)).upper() for s in sql
    ), sql

    # Registering writes two events (registered, status changed): a span each.
    created = next(
        s
        for s in spans
        if (s.service, s.kind, s.name)
        == ("members", "PRODUCER", "create members.events")
        and s.attributes["messaging.rabbitmq.destination.routing_key"]
        == "member_registered"
    )
    assert created.parent_id == server.span_id
    assert created.attributes["messaging.operation.type"] == "create"

    handler = one(
        "partnerships", "CONSUMER", "process members.events member_registered"
    )
    assert handler.parent_id == created.span_id
    assert handler.attributes["messaging.operation.type"] == "process"
    assert handler.attributes["messaging.message.id"]
    # The handler's conversation is the request's: the correlation id.
    assert (
        handler.attributes["messaging.message.conversation_id"]
        == server.attributes["messaging.message.conversation_id"]
    )
    assert member_id
    print(
        f"trace {root.trace_id}: {len(spans)} spans, "
        + ", ".join(sorted({f"{s.service}:{s.name}" for s in spans}))
    )


@pytest.fixture(scope="module")
def stripe_base(traced: Platform) -> Iterator[str]:
    """Payments on the traced platform, with an offline Stripe of its own that
    delivers signed webhooks to this platform's gateway."""
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="tracing-devstripe-"))
    proc = start_devstripe(
        port, f"{traced.gateway_url}/webhooks/stripe", SECRET, workdir
    )
    try:
        wait_ready(port, proc=proc)
        base = f"http://127.0.0.1:{port}"
        traced.start(
            "payments",
            env={
                "STRIPE_API_BASE": base,
                "STRIPE_API_KEY": API_KEY,
                "STRIPE_WEBHOOK_SECRET": SECRET,
                "STRIPE_NETWORK_RETRIES": "0",
            },
        )
        yield base
    finally:
        stop_devstripe(proc)
        shutil.rmtree(workdir, ignore_errors=True)


def test_one_trace_from_a_stripe_webhook_through_payments_to_members(
    traced: Platform, receiver: OtlpReceiver, stripe_base: str
) -> None:
    year = date.fromisoformat(
        traced.rpc("members", "get_clock", identity=STAFF)["today"]
    ).year
    if traced.rpc("members", "get_dues_schedule", year, identity=STAFF) is None:
        bands = [
            {"min_population": low, "max_population": high, "amount_cents": cents}
            for (low, high), cents in zip(BAND_EDGES, BAND_AMOUNTS, strict=True)
        ]
        traced.rpc("members", "set_dues_schedule", year, bands, identity=STAFF)
    member = traced.rpc(
        "members",
        "register_member",
        {
            "name": f"Webhook City {uuid.uuid4().hex[:6]}",
            "kind": "CITY",
            "state": "VT",
            "population": 40_000,
            "contact_email": "treasurer@webhook.example",
        },
        identity=STAFF,
    )
    member_id = member["member_id"]
    (invoices,) = traced.rpc("members", "member_invoices", [member_id], identity=STAFF)
    (invoice,) = [i for i in invoices if i["status"] == "OPEN"]
    checkout = traced.rpc(
        "payments",
        "create_dues_checkout",
        invoice["invoice_id"],
        "https://members.example.org/dues/paid?s={CHECKOUT_SESSION_ID}",
        "https://members.example.org/dues",
        identity=member_user(member_id),
        timeout=20,
    )
    # The payer pays on the offline Stripe, which signs and sends the
    # checkout.session.completed webhook to the gateway.
    paid = httpx.post(
        f"{stripe_base}/checkout/{checkout['checkout_session_id']}/pay",
        json={},
        timeout=60,
    )
    assert paid.status_code == 200, paid.text

    # Each process exports on its own schedule: wait until every process's
    # part of the trace has arrived, not only the last hop's.
    expected = {
        ("gateway", "SERVER", "POST /webhooks/stripe"),
        ("gateway", "CLIENT", "payments/receive_stripe_webhook"),
        ("payments", "SERVER", "payments/receive_stripe_webhook"),
        ("members", "CONSUMER", "process payments.events payment_succeeded"),
        ("members", "PRODUCER", "create members.events"),
    }

    def handled() -> list[ReceivedSpan] | None:
        consumed = [
            s
            for s in list(receiver.spans)
            if (s.service, s.kind, s.name)
            == ("members", "CONSUMER", "process payments.events payment_succeeded")
        ]
        if not consumed:
            return None
        trace = receiver.trace(consumed[0].trace_id)
        arrived = {(s.service, s.kind, s.name) for s in trace}
        return trace if expected <= arrived else None

    try:
        spans = wait_until(handled, timeout=30, message="the webhook's whole trace")
    except AssertionError:
        for name, proc in traced.processes.items():
            print(f"--- {name} log ---\n{proc.log_tail(30)}")
        print("\n".join(f"{s}" for s in receiver.spans))
        raise

    def one(service: str, kind: str, name: str) -> ReceivedSpan:
        found = [
            s for s in spans if (s.service, s.kind, s.name) == (service, kind, name)
        ]
        assert len(found) == 1, (service, kind, name, spans)
        return found[0]

    def produced(service: str, event_type: str) -> ReceivedSpan:
        """The span of `service` writing an `event_type` event to its outbox."""
        return next(
            s
            for s in spans
            if (s.service, s.kind, s.name)
            == (service, "PRODUCER", f"create {service}.events")
            and event_type in s.attributes["messaging.rabbitmq.destination.routing_key"]
        )

    root = one("gateway", "SERVER", "POST /webhooks/stripe")
    assert root.parent_id == ""
    assert root.attributes["http.response.status_code"] == 200

    client = one("gateway", "CLIENT", "payments/receive_stripe_webhook")
    assert client.parent_id == root.span_id

    server = one("payments", "SERVER", "payments/receive_stripe_webhook")
    assert server.parent_id == client.span_id

    created = produced("payments", "payment_succeeded")
    assert created.parent_id == server.span_id

    handler = one("members", "CONSUMER", "process payments.events payment_succeeded")
    assert handler.parent_id == created.span_id
    # Dues paid change the membership: members' event, written in the handler.
    status = produced("members", "membership_status_changed")
    assert status.parent_id == handler.span_id
    # Members handled it: the dues paid, the member is active.
    wait_until(
        lambda: (
            traced.rpc("members", "get_member", member_id, identity=STAFF)["status"]
            == "ACTIVE"
        ),
        timeout=20,
        message="member active",
    )
    print(
        f"trace {root.trace_id}: {len(spans)} spans, "
        + ", ".join(sorted({f"{s.service}:{s.name}" for s in spans}))
    )
