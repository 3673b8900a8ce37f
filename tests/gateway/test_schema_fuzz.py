"""Fuzz every operation of the gateway's schema with schemathesis.

The operations come from the gateway's own schema (`build_schema()`, the one
`python -m gateway` serves and `schema.graphql` records), so those that later
domains add are fuzzed here with no change to this file; the requests go to
the running gateway over HTTP. Each
response must be a GraphQL answer, never a server error: no 5xx, no stack
trace, every error with a stable `extensions.code` and none of them an
unexpected (masked) one.

FUZZ_GATEWAY_URL=http://127.0.0.1:8000 fuzzes a gateway you run yourself
(e.g. `make run`, with real services) instead of the test one.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from gateway.schema import build_schema
from tests.gateway.harness import Gateway

EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_MAX_EXAMPLES", "30"))


@pytest.fixture(scope="session")
def fuzz_url(request: pytest.FixtureRequest) -> str:
    if url := os.environ.get("FUZZ_GATEWAY_URL"):
        return f"{url.rstrip('/')}/graphql"
    gateway: Gateway = request.getfixturevalue("gateway")
    return f"{gateway.url}/graphql"


# Loaded eagerly: schemathesis' lazy `from_fixture` does not work on pytest 9.2
# (it sets `Node._nodeid`, which pytest renamed).
schema = schemathesis.graphql.from_dict(build_schema().introspect())


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the repo
    suppress_health_check=list(HealthCheck),
)


def check(case: Any, url: str, headers: dict[str, str]) -> None:
    response = case.call(base_url=url, headers=headers, timeout=30)
    case.validate_response(response, checks=[not_a_server_error], headers=headers)
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text and 'File "' not in response.text
    for error in response.json().get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code, f"error without a code: {error}"
        assert code != "INTERNAL_SERVER_ERROR", f"unexpected error: {error}"


@schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous_caller_never_breaks_the_server(case: Any, fuzz_url: str) -> None:
    check(case, fuzz_url, {})


@schema.parametrize()
@FUZZ_SETTINGS
def test_staff_caller_never_breaks_the_server(
    case: Any, fuzz_url: str, staff_token: str
) -> None:
    check(case, fuzz_url, {"Authorization": f"Bearer {staff_token}"})
