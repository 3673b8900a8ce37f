"""#17 item 12: security headers on every response, a Content-Security-Policy
the web app and GraphiQL pass in a real browser, CORS only for configured
origins, introspection and GraphiQL switchable (off by default in
production: tests/security/test_production_mode.py)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin, Subprotocol

from common.config import REPO_ROOT
from tests.security.conftest import Gateway, start_gateway
from tests.support.platform import Platform

EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
}


def assert_secured(response: httpx.Response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (response.url, name)
    policy = response.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in policy, response.url
    assert "script-src 'self'" in policy
    assert "unsafe-eval" not in policy


def test_every_response_has_the_security_headers(gateway: Gateway) -> None:
    client = gateway.client
    responses = [
        client.get("/"),
        client.get("/directory?country=JP"),
        client.get("/graphql", headers={"accept": "text/html"}),
        client.post("/graphql", json={"query": "{ __typename }"}),
        client.post("/graphql", json={"query": "{ nope }"}),
        client.post(
            "/graphql", content=b"null", headers={"content-type": "application/json"}
        ),
        client.post("/graphql", content=b"x" * 70_000),  # 413
        client.get("/healthz"),
        client.get("/auth/config"),
        client.post("/webhooks/stripe", content=b"{}"),  # 400: no signature
        client.get("/assets/does-not-exist.js"),  # 404
        client.request("DELETE", "/graphql"),  # 405
    ]
    for response in responses:
        assert_secured(response)
    assert {r.status_code for r in responses} >= {200, 400, 404, 405, 413}


def test_no_cors_by_default(gateway: Gateway) -> None:
    preflight = gateway.client.options(
        "/graphql",
        headers={
            "origin": "https://evil.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization,content-type",
        },
    )
    assert "access-control-allow-origin" not in preflight.headers
    simple = gateway.client.post(
        "/graphql",
        json={"query": "{ __typename }"},
        headers={"origin": "https://evil.example"},
    )
    assert "access-control-allow-origin" not in simple.headers


@pytest.fixture(scope="module")
def configured(services: Platform) -> Iterator[Gateway]:
    running = start_gateway(
        services,
        "security-cors-gateway",
        CORS_ORIGINS="https://app.example.org",
        GRAPHQL_INTROSPECTION="off",
        GRAPHIQL="off",
    )
    yield running
    running.stop()


def test_cors_for_configured_origins_only(configured: Gateway) -> None:
    def preflight(origin: str) -> httpx.Response:
        return configured.client.options(
            "/graphql",
            headers={
                "origin": origin,
                "access-control-request-method": "POST",
                "access-control-request-headers": "authorization,content-type",
            },
        )

    allowed = preflight("https://app.example.org")
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.org"
    refused = preflight("https://evil.example")
    assert refused.headers.get("access-control-allow-origin") is None
    assert_secured(allowed)


def test_websockets_from_other_origins_are_refused(configured: Gateway) -> None:
    url = configured.url.replace("http://", "ws://") + "/graphql"
    with pytest.raises(InvalidStatus):
        connect(
            url,
            subprotocols=[Subprotocol("graphql-transport-ws")],
            origin=Origin("https://evil.example"),
        )
    with connect(
        url,
        subprotocols=[Subprotocol("graphql-transport-ws")],
        origin=Origin("https://app.example.org"),
    ) as ws:
        ws.send('{"type": "connection_init"}')
        assert "connection_ack" in str(ws.recv(timeout=10))


def test_introspection_and_graphiql_can_be_switched_off(
    gateway: Gateway, configured: Gateway
) -> None:
    introspect = "{ __schema { queryType { name } } }"
    assert gateway.data(introspect) == {"__schema": {"queryType": {"name": "Query"}}}
    error = configured.errors(introspect)[0]
    assert "introspection has been disabled" in error["message"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    page = configured.client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code != 200 or "graphiql" not in page.text.lower()


# --- in a real browser ----------------------------------------------------------

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")


def browse(url: str) -> tuple[str, str]:
    """(the page's DOM after its scripts ran, the browser's console log)."""
    assert BROWSER is not None
    done = subprocess.run(
        [
            BROWSER,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=8000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout, done.stderr


@pytest.mark.skipif(BROWSER is None, reason="needs chromium")
@pytest.mark.skipif(
    not (REPO_ROOT / "frontend/dist/index.html").is_file(),
    reason="the web app is not built (make run builds it)",
)
@pytest.mark.parametrize(
    ("path", "drawn"),
    [
        ("/", 'id="root"><'),  # the app drew something in its root
        ("/directory?country=JP", 'id="root"><'),
        ("/graphql", "graphiql-container"),
    ],
)
def test_the_web_app_and_graphiql_pass_the_policy(
    gateway: Gateway, path: str, drawn: str
) -> None:
    served = gateway.client.get(path, headers={"accept": "text/html"})
    assert_secured(served)  # the policy the browser is about to enforce
    dom, console = browse(gateway.url + path)
    violations = [
        line for line in console.splitlines() if "Content Security Policy" in line
    ]
    assert not violations, "\n".join(violations)
    assert drawn in dom, dom[:2000]
