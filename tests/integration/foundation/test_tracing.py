"""One trace from a GraphQL mutation through an RPC call, its SQL, the event it
wrote to the outbox and the other service's handler of that event, exported
over OTLP/HTTP to a receiver in the test (as to a collector).

On a platform of this module's own: its processes export spans, the session's
do not.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from common import config
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

    def handled() -> list[ReceivedSpan] | None:
        spans = receiver.trace(root.trace_id)
        consumed = [
            s
            for s in spans
            if s.service == "partnerships"
            and s.kind == "CONSUMER"
            and s.attributes.get("messaging.rabbitmq.destination.routing_key")
            == "member_registered"
        ]
        return spans if consumed else None

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
