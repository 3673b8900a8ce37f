"""#17 item 7: size and memory. Request bodies past their route's limit get
413 at once (GraphQL 64 KiB, webhooks 256 KiB, whether the length is declared
or the body is chunked), and the parsed-document cache is bounded by the
memory its documents take: many distinct large queries do not grow the
gateway for good."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.security.conftest import Gateway

HUGE = 2_200_000


def rss_mb(gateway: Gateway) -> float:
    assert gateway.process.proc is not None
    status = Path(f"/proc/{gateway.process.proc.pid}/status").read_text()
    kib = next(line for line in status.splitlines() if line.startswith("VmRSS"))
    return int(kib.split()[1]) / 1024


def test_a_huge_query_is_refused_at_once(gateway: Gateway) -> None:
    query = "{ health { " + "service " * (HUGE // 8) + "} }"
    started = time.perf_counter()
    response = gateway.client.post("/graphql", json={"query": query})
    assert time.perf_counter() - started < 1
    assert response.status_code == 413, response.text[:300]
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "REQUEST_TOO_LARGE"
    assert "65536 bytes" in error["message"]
    # The gateway answers as before.
    assert gateway.data("{ __typename }") == {"__typename": "Query"}


def test_a_chunked_body_is_counted_as_it_comes(gateway: Gateway) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"query": "{ health { '
        for _ in range(200):
            yield b"service " * 1000
        yield b'} }"}'

    response = gateway.client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"


def test_a_long_query_string_is_refused(gateway: Gateway) -> None:
    # httpx will not send a URL this long: a raw request.
    host, port = gateway.url.removeprefix("http://").split(":")
    query = "%7B" + "__typename+" * 10_000 + "%7D"
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            f"GET /graphql?query={query} HTTP/1.1\r\nHost: {host}\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        head = sock.recv(4096).decode(errors="replace")
    # uvicorn's parser refuses a request line this long (we add nothing).
    assert head.startswith(("HTTP/1.1 400", "HTTP/1.1 414")), head[:200]


def test_a_huge_webhook_is_refused_before_payments_sees_it(gateway: Gateway) -> None:
    response = httpx.post(
        f"{gateway.url}/webhooks/stripe",
        content=b"{" + b" " * HUGE + b"}",
        headers={"Stripe-Signature": "t=1,v1=00"},
    )
    assert response.status_code == 413
    assert "262144 bytes" in response.json()["error"]


def test_a_query_just_under_the_limit_still_runs(gateway: Gateway) -> None:
    query = "{ __typename " + "#" * 60_000 + "\n}"
    assert gateway.data(query) == {"__typename": "Query"}


def test_many_distinct_large_queries_do_not_grow_the_gateway(
    gateway: Gateway,
) -> None:
    # Each text is ~1,990 tokens (the limit is 2,000): parsed, ~1 MB of nodes,
    # refused by validation (a directive repeated) but parsed and cached all
    # the same. Kept by number (512 of them), they held a third of a gigabyte.
    directives = " @skip(if: false)" * 280
    gateway.data("{ __typename }")
    before = rss_mb(gateway)
    for n in range(300):
        errors = gateway.errors("{ __typename" + directives + f" }} # {n}")
        assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    grown = rss_mb(gateway) - before
    print(f"gateway RSS grew {grown:.0f} MB after 300 distinct 2,000-token queries")
    assert grown < 120, grown
