"""Fuzz every operation of the gateway's schema with schemathesis, against the
whole running platform.

The operations come from the gateway's own schema (`build_schema()`, the one
`python -m gateway` serves and `schema.graphql` records), so those that later
domains add are fuzzed here with no change to this file. The requests go over
HTTP to a real gateway in front of the four real services and the offline
Stripe, on a vhost and databases of the fuzz's own (random staff mutations must
not disturb other tests' data), as an anonymous and as a staff caller.

Each response must be a GraphQL answer, never a server error: no 5xx, no
stack trace, every error with a stable `extensions.code` and none of them an
unexpected (masked) one. (schemathesis' own `not_a_server_error` check is not
used: for GraphQL it flags every execution error, NOT_FOUND included.)

FUZZ_GATEWAY_URL=http://127.0.0.1:8000 fuzzes a gateway you run yourself
(e.g. `make run`; staff tokens are then signed with your AUTH_JWT_SECRET);
FUZZ_MAX_EXAMPLES changes the number of examples.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from common.config import SERVICES
from devstripe.testing import free_port, start_devstripe, stop_devstripe, wait_ready
from gateway.auth import issue_token
from gateway.schema import build_schema
from gateway.settings import Settings
from tests.support import infra
from tests.support.platform import Platform

# Per operation and caller: staff reaches the most code; anonymous callers
# mostly meet UNAUTHENTICATED, which fewer examples cover.
STAFF_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "30"))
ANONYMOUS_EXAMPLES = max(1, STAFF_EXAMPLES // 3)


@pytest.fixture(scope="module")
def fuzz_platform() -> Iterator[Platform]:
    """The whole platform on a vhost and databases of its own."""
    run = infra.run_id()
    vhost = f"test-fuzz-{run}"
    uri = infra.create_vhost(vhost)
    urls = infra.service_databases(f"t_fuzz_{run}")
    workdir = Path(tempfile.mkdtemp(prefix="fuzz-platform-"))
    platform = Platform(uri, urls, workdir)
    stripe_port = free_port()
    gateway_port = free_port()
    stripe = start_devstripe(
        stripe_port,
        f"http://127.0.0.1:{gateway_port}/webhooks/stripe",
        "whsec_fuzz",
        workdir / "devstripe",
    )
    try:
        wait_ready(stripe_port, proc=stripe)
        platform.env.update(
            STRIPE_API_BASE=f"http://127.0.0.1:{stripe_port}",
            STRIPE_API_KEY="sk_test_fuzz",
            STRIPE_WEBHOOK_SECRET="whsec_fuzz",
            RPC_TIMEOUT_SECONDS="10",
        )
        platform.start(*SERVICES)
        platform.start_gateway(env={"GATEWAY_PORT": str(gateway_port)})
        yield platform
    finally:
        platform.shutdown()
        stop_devstripe(stripe)
        infra.delete_vhost(vhost)
        for service in SERVICES:
            infra.drop_database(f"t_fuzz_{run}_{service}")
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def fuzz_url(request: pytest.FixtureRequest) -> str:
    if url := os.environ.get("FUZZ_GATEWAY_URL"):
        return f"{url.rstrip('/')}/graphql"
    platform: Platform = request.getfixturevalue("fuzz_platform")
    return f"{platform.gateway_url}/graphql"


@pytest.fixture(scope="module")
def fuzz_staff_token() -> str:
    if os.environ.get("FUZZ_GATEWAY_URL"):
        return issue_token(Settings.from_env(), "staff", sub="fuzz")
    return Platform.token("staff", sub="fuzz")


# Loaded eagerly: schemathesis' lazy `from_fixture` does not work on pytest 9.2
# (it sets `Node._nodeid`, which pytest renamed).
schema = schemathesis.graphql.from_dict(build_schema().introspect())


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,  # nothing saved between runs: each run is bounded alike
        suppress_health_check=list(HealthCheck),
    )


def check(case: Any, url: str, headers: dict[str, str]) -> None:
    response = case.call(base_url=url, headers=headers, timeout=30)
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text and 'File "' not in response.text
    for error in response.json().get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code, f"error without a code: {error}"
        assert code != "INTERNAL_SERVER_ERROR", f"unexpected error: {error}"


@schema.parametrize()
@fuzz_settings(ANONYMOUS_EXAMPLES)
def test_anonymous_caller_never_breaks_the_server(case: Any, fuzz_url: str) -> None:
    check(case, fuzz_url, {})


@schema.parametrize()
@fuzz_settings(STAFF_EXAMPLES)
def test_staff_caller_never_breaks_the_server(
    case: Any, fuzz_url: str, fuzz_staff_token: str
) -> None:
    check(case, fuzz_url, {"Authorization": f"Bearer {fuzz_staff_token}"})
