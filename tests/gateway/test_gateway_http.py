"""The gateway over real HTTP: `python -m gateway`, and the same app with the
probe fields of tests/gateway/probe_schema.py."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import websockets
from websockets.typing import Subprotocol

from common.config import REPO_ROOT, SERVICES
from gateway.auth import issue_token
from gateway.rpc import RpcClient
from gateway.settings import Settings
from tests.gateway import harness
from tests.gateway.harness import Gateway

LEAKS = ("Traceback", 'File "', "hunter2", "sk_test_123")


def no_leaks(response: httpx.Response) -> None:
    for text in LEAKS:
        assert text not in response.text, f"{text!r} leaked: {response.text}"


def error_of(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    errors = response.json()["errors"]
    assert len(errors) == 1, errors
    return dict(errors[0])


async def test_typename(gateway: Gateway) -> None:
    response = await gateway.graphql("{ __typename }")
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_correlation_id_is_kept_or_made(gateway: Gateway) -> None:
    given = await gateway.graphql("{ __typename }", headers={"X-Correlation-ID": "c-1"})
    assert given.headers["x-correlation-id"] == "c-1"
    made = await gateway.graphql("{ __typename }", headers={"X-Correlation-ID": "a b"})
    assert made.headers["x-correlation-id"] not in ("", "a b")


async def test_healthz_and_graphiql(gateway: Gateway) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        health = await client.get("/healthz")
        ide = await client.get("/graphql", headers={"Accept": "text/html"})
    assert health.json()["status"] == "UP"
    assert health.json()["broker"] == "UP"
    assert ide.status_code == 200
    assert "graphiql" in ide.text.lower()
    # The platform's own build (or how to make it), never a CDN's scripts.
    for cdn in ("unpkg.com", "jsdelivr.net", "esm.sh", "cdnjs"):
        assert cdn not in ide.text


async def test_readyz_and_metrics_count_operations_by_name(gateway: Gateway) -> None:
    def count(
        page: str, operation: str, name: str = "graphql_operations_total"
    ) -> float:
        prefix = f'{name}{{operation="{operation}",type="query"}} '
        found = [line for line in page.splitlines() if line.startswith(prefix)]
        return float(found[0][len(prefix) :]) if found else 0.0

    async with httpx.AsyncClient(base_url=gateway.url) as client:
        before = (await client.get("/metrics")).text
        await gateway.graphql("query MetricsProbe { __typename }")
        await gateway.graphql("{ __typename }")
        await gateway.graphql("query MetricsProbe { nope }")  # an error
        ready = await client.get("/readyz")
        scraped = await client.get("/metrics")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "UP"
    assert scraped.headers["content-type"].startswith("text/plain")
    page = scraped.text
    assert count(page, "MetricsProbe") == count(before, "MetricsProbe") + 2
    assert count(page, "anonymous") >= count(before, "anonymous") + 1
    errors = "graphql_operation_errors_total"
    assert (
        count(page, "MetricsProbe", errors) == count(before, "MetricsProbe", errors) + 1
    )
    timed = "graphql_operation_duration_seconds_count"
    assert (
        count(page, "MetricsProbe", timed) == count(before, "MetricsProbe", timed) + 2
    )


async def test_health_is_down_quickly_then_up_for_a_running_service(
    gateway: Gateway, rpc: RpcClient, gw_amqp_uri: str, gw_logs: Path
) -> None:
    query = "{ health { service status version } }"
    started = time.monotonic()
    response = await gateway.graphql(query)
    assert time.monotonic() - started < 3.0  # 2 s per service, all at once
    health = response.json()["data"]["health"]
    assert [h["service"] for h in health] == list(SERVICES)
    assert {h["status"] for h in health} == {"DOWN"}

    members = await harness.start_service(
        rpc, "FakeMembers", gw_amqp_uri, gw_logs, "members"
    )
    try:
        response = await gateway.graphql(query)
    finally:
        members.stop()
    by_service = {h["service"]: h for h in response.json()["data"]["health"]}
    assert by_service["members"] == {
        "service": "members",
        "status": "UP",
        "version": "0.1.0",
    }
    assert {by_service[s]["status"] for s in SERVICES if s != "members"} == {"DOWN"}

    # Stopped, its queue stays: the check times out at 2 s rather than hang.
    started = time.monotonic()
    response = await gateway.graphql(query)
    assert time.monotonic() - started < 3.0
    assert {h["status"] for h in response.json()["data"]["health"]} == {"DOWN"}
    await harness.forget_service(gw_amqp_uri, "members")


def _token(claims: dict[str, Any], secret: str = harness.JWT_SECRET) -> str:
    return jwt.encode(claims, secret, algorithm="HS256")


NOW = int(time.time())
BAD_TOKENS = {
    "garbage": "not-a-jwt",
    "expired": _token({"sub": "s", "role": "staff", "exp": NOW - 3600}),
    "wrongly signed": _token(
        {"sub": "s", "role": "staff", "exp": NOW + 3600},
        secret="some-other-secret-0123456789abcdef",
    ),
    "unknown role": _token({"sub": "s", "role": "admin", "exp": NOW + 3600}),
    "member without member_id": _token(
        {"sub": "s", "role": "member", "exp": NOW + 3600}
    ),
    "no expiry": _token({"sub": "s", "role": "staff"}),
}


@pytest.mark.parametrize("kind", BAD_TOKENS)
async def test_bad_token_is_unauthenticated(gateway: Gateway, kind: str) -> None:
    response = await gateway.graphql("{ __typename }", token=BAD_TOKENS[kind])
    error = error_of(response)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert response.json()["data"] is None


async def test_not_a_bearer_header_is_unauthenticated(gateway: Gateway) -> None:
    response = await gateway.graphql(
        "{ __typename }", headers={"Authorization": "Basic dXNlcjpwYXNz"}
    )
    assert error_of(response)["extensions"]["code"] == "UNAUTHENTICATED"


async def test_dev_token_from_the_command_works(gateway: Gateway) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "gateway.token", "--role", "staff", "--hours", "1"],
        cwd=REPO_ROOT,
        env=harness.child_env(AUTH_JWT_SECRET=harness.JWT_SECRET),
        capture_output=True,
        text=True,
        check=True,
    )
    response = await gateway.graphql("{ __typename }", token=made.stdout.strip())
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_identity_and_correlation_id_travel_to_the_service(
    probe_gateway: Gateway, test_settings: Settings
) -> None:
    token = issue_token(test_settings, "member", sub="u-9", member_id="m-3")
    response = await probe_gateway.graphql(
        '{ probeEcho(method: "whoami") }',
        token=token,
        headers={"X-Correlation-ID": "cid-http-1"},
    )
    assert response.json()["data"]["probeEcho"] == {
        "identity": {
            "sub": "u-9",
            "role": "member",
            "member_id": "m-3",
            "reviewer_id": None,
        },
        "correlation_id": "cid-http-1",
    }


async def test_domain_error_has_its_code_and_field(probe_gateway: Gateway) -> None:
    response = await probe_gateway.graphql(
        '{ probeEcho(method: "missing", args: ["42"]) }'
    )
    error = error_of(response)
    assert error["message"] == "no such member 42"
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "id"}
    assert error["path"] == ["probeEcho"]


@pytest.mark.parametrize(
    "query", ["{ probeBoom }", '{ probeEcho(method: "boom") }'], ids=["local", "remote"]
)
async def test_unexpected_error_is_masked(probe_gateway: Gateway, query: str) -> None:
    response = await probe_gateway.graphql(query, headers={"X-Correlation-ID": "cid-m"})
    error = error_of(response)
    assert error["message"] == "internal error"
    assert error["extensions"] == {
        "code": "INTERNAL_SERVER_ERROR",
        "correlationId": "cid-m",
    }
    no_leaks(response)

    # The cause is in the gateway's log, on a line with the correlation id.
    def logged() -> bool:
        return any(
            "cid=cid-m" in line and "unexpected error" in line
            for line in probe_gateway.child.log_path.read_text().splitlines()
        )

    await harness.wait_for(_async(logged), timeout=5, message="error logged")


def _async(check: Any) -> Any:
    async def probe() -> Any:
        return check()

    return probe


def _nested(depth: int) -> str:
    # `depth` nested fields: probeNode, then `child`s, then the leaf `depth`.
    return (
        "{ probeNode { "
        + "child { " * (depth - 2)
        + "depth"
        + " }" * (depth - 1)
        + " }"
    )


async def test_query_deeper_than_the_limit_is_refused(probe_gateway: Gateway) -> None:
    # twice each: the second answer comes from the parsed/validated documents
    for _ in range(2):
        allowed = await probe_gateway.graphql(_nested(10))
        assert "errors" not in allowed.json(), allowed.text
        response = await probe_gateway.graphql(_nested(11))
        error = error_of(response)
        assert "exceeds maximum operation depth of 10" in error["message"]
        assert error["extensions"]["code"] == "QUERY_TOO_DEEP"
        assert response.json().get("data") is None


async def test_dataloader_batches_within_a_request(probe_gateway: Gateway) -> None:
    response = await probe_gateway.graphql(
        '{ a: probeLoaded(key: "a") b: probeLoaded(key: "b") }'
    )
    data = response.json()["data"]
    assert data == {
        "a": {"key": "a", "batch": ["a", "b"]},
        "b": {"key": "b", "batch": ["a", "b"]},
    }


async def test_gateway_process_has_no_nameko_or_eventlet(
    probe_gateway: Gateway,
) -> None:
    response = await probe_gateway.graphql("{ probeModules }")
    assert response.json() == {"data": {"probeModules": []}}


async def test_syntax_error_is_a_client_error(gateway: Gateway) -> None:
    for _ in range(2):  # a bad document is never cached as a good one
        response = await gateway.graphql("{ health { ")
        error = error_of(response)
        assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
        no_leaks(response)


async def _ws_messages(url: str, init: dict[str, Any], query: str) -> list[Any]:
    ws_url = url.replace("http://", "ws://") + "/graphql"
    received: list[Any] = []
    subprotocols = [Subprotocol("graphql-transport-ws")]
    async with websockets.connect(ws_url, subprotocols=subprotocols) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": init}))
        ack = json.loads(await ws.recv(decode=True))
        received.append(ack)
        if ack["type"] != "connection_ack":
            return received
        await ws.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}})
        )
        while True:
            message = json.loads(await ws.recv(decode=True))
            received.append(message)
            if message["type"] in ("complete", "error"):
                return received


async def test_subscription_over_graphql_transport_ws(
    probe_gateway: Gateway, staff_token: str
) -> None:
    messages = await _ws_messages(
        probe_gateway.url,
        {"Authorization": f"Bearer {staff_token}"},
        "subscription { probeTicks(count: 2) }",
    )
    assert [m["type"] for m in messages] == [
        "connection_ack",
        "next",
        "next",
        "complete",
    ]
    assert [m["payload"]["data"]["probeTicks"] for m in messages[1:3]] == [
        {"n": 0, "role": "staff"},
        {"n": 1, "role": "staff"},
    ]


async def test_subscription_with_a_bad_token_is_refused(probe_gateway: Gateway) -> None:
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await _ws_messages(
            probe_gateway.url,
            {"Authorization": f"Bearer {BAD_TOKENS['wrongly signed']}"},
            "subscription { probeTicks(count: 1) }",
        )
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


def _signed(payload: str) -> str:
    return f"t=1,v1={hashlib.sha256(payload.encode()).hexdigest()}"


async def test_stripe_webhook_status_follows_the_payments_service(
    gateway: Gateway, rpc: RpcClient, gw_amqp_uri: str, gw_logs: Path
) -> None:
    payload = '{"id": "evt_1",   "type": "checkout.session.completed"}'

    async def post(signature: str | None) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["Stripe-Signature"] = signature
        async with httpx.AsyncClient(base_url=gateway.url, timeout=15) as client:
            return await client.post(
                "/webhooks/stripe", content=payload, headers=headers
            )

    unavailable = await post(_signed(payload))
    assert unavailable.status_code == 503, unavailable.text

    payments = await harness.start_service(
        rpc, "FakePayments", gw_amqp_uri, gw_logs, "payments"
    )
    try:
        ok = await post(_signed(payload))  # the exact bytes reached payments
        tampered = await post(_signed(payload + " "))
        failing = await post("boom")
        unsigned = await post(None)
    finally:
        payments.stop()
        await harness.forget_service(gw_amqp_uri, "payments")
    assert (ok.status_code, ok.json()) == (200, {"ok": True})
    assert tampered.status_code == 400
    assert tampered.json() == {"error": "signature does not match"}
    assert (failing.status_code, failing.json()) == (500, {"error": "internal error"})
    no_leaks(failing)
    assert unsigned.status_code == 400


def test_schema_file_is_up_to_date(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "gateway.export_schema", "--check"]
    current = subprocess.run(
        command, cwd=REPO_ROOT, env=harness.child_env(), capture_output=True, text=True
    )
    assert current.returncode == 0, current.stderr
    stale = tmp_path / "schema.graphql"
    stale.write_text("type Query { old: Int }\n")
    outdated = subprocess.run(
        [*command, "--path", str(stale)],
        cwd=REPO_ROOT,
        env=harness.child_env(),
        capture_output=True,
        text=True,
    )
    assert outdated.returncode == 1
    assert "out of date" in outdated.stderr
