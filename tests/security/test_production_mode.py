"""#17 item 13: production mode. With PLATFORM_ENV=production every process
refuses to start, naming the setting, when a secret is missing, empty or a
development value, when a clock can be moved or when a development-only
endpoint is on; the offline Stripe never runs. Tokens live at most
AUTH_MAX_TOKEN_HOURS, and webhook signatures dated in the future are refused.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import stripe
import yaml

from common.config import REPO_ROOT, SERVICES
from common.migrate import upgrade
from gateway.settings import DEV_JWT_SECRET
from tests.integration.payments.world import SECRET, PaymentsWorld
from tests.security.conftest import Gateway, start_gateway
from tests.support import infra
from tests.support.platform import Platform, Process
from tests.support.wait import wait_until

REFUSED = 78  # EX_CONFIG
STRONG = "a-production-secret-of-more-than-32-characters"


@pytest.fixture(scope="module")
def production_broker() -> Iterator[str]:
    """A vhost and a password-protected user of their own: production mode
    refuses the guest account, and a production process must not take the
    test session's messages."""
    name = f"test-prod-{uuid.uuid4().hex[:8]}"
    user, password = f"prod-{uuid.uuid4().hex[:8]}", secrets.token_hex(16)
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", name], check=True)
    subprocess.run(
        ["rabbitmqctl", "-q", "add_user", user, password],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["rabbitmqctl", "-q", "set_permissions", "-p", name, user, ".*", ".*", ".*"],
        check=True,
    )
    yield f"amqp://{user}:{password}@127.0.0.1:5672/{name}"
    infra.delete_vhost(name)
    subprocess.run(["rabbitmqctl", "-q", "delete_user", user], capture_output=True)


@pytest.fixture(scope="module")
def production_env(platform: Platform, production_broker: str) -> dict[str, str]:
    """Settings that pass every check; each test spoils one."""
    return {
        **platform.env,
        "PLATFORM_ENV": "production",
        "AMQP_URI": production_broker,
        "AUTH_JWT_SECRET": STRONG,
        "STRIPE_API_KEY": "sk_live_" + "x" * 24,
        "STRIPE_WEBHOOK_SECRET": "whsec_" + "y" * 32,
        # The test platform moves some clocks; production never does.
        **{f"{s.upper()}_CLOCK_CONTROL": "" for s in SERVICES},
    }


def run(argv: list[str], env: dict[str, str]) -> tuple[int, str]:
    """A process that must end by itself: its status and its output."""
    done = subprocess.run(
        argv, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    return done.returncode, done.stdout + done.stderr


def without(env: dict[str, str], *names: str) -> dict[str, str]:
    return {k: v for k, v in env.items() if k not in names}


SERVICE = [sys.executable, "-m", "common.runner"]
GATEWAY = [sys.executable, "-m", "gateway"]


@pytest.mark.parametrize(
    ("argv", "spoil", "named"),
    [
        (GATEWAY, {"AUTH_JWT_SECRET": None}, "AUTH_JWT_SECRET is missing"),
        (GATEWAY, {"AUTH_JWT_SECRET": " "}, "AUTH_JWT_SECRET is missing or empty"),
        (
            GATEWAY,
            {"AUTH_JWT_SECRET": "dev-only-secret-change-me-in-production"},
            "AUTH_JWT_SECRET is a development value",
        ),
        (GATEWAY, {"AUTH_JWT_SECRET": "short"}, "AUTH_JWT_SECRET is shorter"),
        (GATEWAY, {"AUTH_DEV_LOGIN": "on"}, "AUTH_DEV_LOGIN is on"),
        (GATEWAY, {"AMQP_URI": None}, "AMQP_URI is missing"),
        (
            GATEWAY,
            {"AMQP_URI": "amqp://guest:guest@127.0.0.1:5672/"},
            "AMQP_URI has no password or the guest account",
        ),
        (
            [*SERVICE, "members"],
            {"MEMBERS_CLOCK_CONTROL": "1"},
            "MEMBERS_CLOCK_CONTROL",
        ),
        ([*SERVICE, "members"], {"MEMBERS_DATABASE_URL": None}, "MEMBERS_DATABASE_URL"),
        (
            [*SERVICE, "partnerships"],
            {"PARTNERSHIPS_CLOCK_CONTROL": "1"},
            "PARTNERSHIPS_CLOCK_CONTROL is on",
        ),
        (
            [*SERVICE, "grants"],
            {"GRANTS_CLOCK_CONTROL": "true"},
            "GRANTS_CLOCK_CONTROL is on",
        ),
        (
            [*SERVICE, "payments"],
            {"STRIPE_WEBHOOK_SECRET": None},
            "STRIPE_WEBHOOK_SECRET is missing",
        ),
        (
            [*SERVICE, "payments"],
            {"STRIPE_WEBHOOK_SECRET": "whsec_dev_secret"},
            "STRIPE_WEBHOOK_SECRET is a development value",
        ),
        (
            [*SERVICE, "payments"],
            {"STRIPE_API_KEY": "sk_test_devstripe"},
            "STRIPE_API_KEY is a development value",
        ),
        (
            [*SERVICE, "payments"],
            {"PAYMENTS_CLOCK_CONTROL": "on"},
            "PAYMENTS_CLOCK_CONTROL is on",
        ),
        (
            [*SERVICE, "grants"],
            {"AMQP_URI": "amqp://guest:guest@127.0.0.1:5672/"},
            "AMQP_URI",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_a_process_refuses_to_start_naming_the_setting(
    production_env: dict[str, str],
    argv: list[str],
    spoil: dict[str, str | None],
    named: str,
) -> None:
    env = without(production_env, *spoil)
    env.update({k: v for k, v in spoil.items() if v is not None})
    status, output = run(argv, env)
    assert status == REFUSED, output
    assert "refusing to start with PLATFORM_ENV=production" in output
    assert named in output


def test_the_offline_stripe_never_runs_in_production(
    production_env: dict[str, str],
) -> None:
    status, output = run([sys.executable, "-m", "devstripe"], production_env)
    assert status == REFUSED, output
    assert "development only" in output


def test_every_problem_is_named_at_once(production_env: dict[str, str]) -> None:
    env = without(production_env, "STRIPE_API_KEY", "STRIPE_WEBHOOK_SECRET")
    status, output = run([*SERVICE, "payments"], env)
    assert status == REFUSED
    assert "STRIPE_API_KEY" in output and "STRIPE_WEBHOOK_SECRET" in output


def test_a_service_with_production_settings_starts(
    platform: Platform, production_env: dict[str, str], tmp_path: Path
) -> None:
    with infra.scratch_database("prod_payments") as url:
        upgrade("payments", url)
        process = Process(
            "prod-payments",
            [*SERVICE, "payments"],
            {**production_env, "PAYMENTS_DATABASE_URL": url},
            tmp_path,
        ).start()
        try:
            wait_until(
                lambda: (
                    "starting payments" in process.log_path.read_text()
                    or not process.running
                ),
                timeout=60,
                message="payments starting",
            )
            assert process.running, process.log_tail()
        finally:
            process.stop()


@pytest.fixture(scope="module")
def production_gateway(
    platform: Platform, production_env: dict[str, str]
) -> Iterator[Gateway]:
    running = start_gateway(platform, "production-gateway", base=production_env)
    yield running
    running.stop()


def test_production_gateway_has_no_development_doors(
    production_gateway: Gateway,
) -> None:
    gw = production_gateway
    dev = gw.client.post("/auth/dev/token", json={"role": "staff"})
    assert dev.status_code in (404, 405), dev.text
    assert "token" not in dev.text
    assert gw.client.get("/auth/config").json()["mode"] == "none"
    # GraphiQL and introspection are off by default in production.
    page = gw.client.get("/graphql", headers={"accept": "text/html"})
    assert "graphiql" not in page.text.lower()
    errors = gw.errors("{ __schema { types { name } } }")
    assert "introspection" in errors[0]["message"].lower()
    # A token signed with the public development secret is refused.
    forged = token(DEV_JWT_SECRET, timedelta(hours=1))
    assert gw.errors("{ __typename }", token=forged)[0]["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )


def token(secret: str, lifetime: timedelta, iat: bool = True) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": "long-lived",
        "role": "staff",
        "exp": now + int(lifetime.total_seconds()),
    }
    if iat:
        claims["iat"] = now
    return jwt.encode(claims, secret, algorithm="HS256")


def test_token_lifetime_is_capped(gateway: Gateway, platform: Platform) -> None:
    secret = platform.env["AUTH_JWT_SECRET"]
    for forever in (
        token(secret, timedelta(days=365 * 100)),
        token(secret, timedelta(days=2), iat=False),
    ):
        error = gateway.errors("{ __typename }", token=forever)[0]
        assert error["extensions"]["code"] == "UNAUTHENTICATED"
        assert "longer than 24 h" in error["message"]
    day = token(secret, timedelta(hours=23))
    assert gateway.data("{ __typename }", token=day) == {"__typename": "Query"}


def test_gateway_token_tool_refuses_long_tokens() -> None:
    status, output = run(
        [sys.executable, "-m", "gateway.token", "--role", "staff", "--hours", "876000"],
        {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT)},
    )
    assert status == 2 and "at most 24 h" in output


def signed(payload: str, secret: str, at: int) -> str:
    mac = stripe.WebhookSignature._compute_signature(f"{at}.{payload}", secret)
    return f"t={at},v1={mac}"


def test_webhook_signature_dated_in_the_future_is_refused(
    platform: Platform,
) -> None:
    world = PaymentsWorld(platform)
    event = json.dumps(
        {
            "id": f"evt_future_{uuid.uuid4().hex}",
            "type": "customer.created",
            "created": int(time.time()),
            "data": {"object": {"id": "cus_1"}},
        }
    )
    url = f"{platform.gateway_url}/webhooks/stripe"
    ahead = int(time.time()) + 3600
    response = httpx.post(
        url,
        content=event,
        headers={"Stripe-Signature": signed(event, SECRET, ahead)},
    )
    assert response.status_code == 400, response.text
    assert "future" in response.json()["error"]
    assert not world.db(
        "SELECT 1 FROM stripe_events WHERE event_id LIKE 'evt_future_%'"
    )
    now = httpx.post(
        url,
        content=event,
        headers={"Stripe-Signature": signed(event, SECRET, int(time.time()))},
    )
    assert now.status_code == 200, now.text


def test_compose_and_kubernetes_run_in_production_mode() -> None:
    compose_text = (REPO_ROOT / "docker-compose.yml").read_text()
    compose = yaml.safe_load(compose_text)
    for name in ("members", "partnerships", "grants", "payments", "gateway"):
        env = compose["services"][name]["environment"]
        assert env["PLATFORM_ENV"] == "production", name
    # No secret falls back to a value: compose stops when one is unset.
    for secret in (
        "RABBITMQ_PASSWORD",
        "POSTGRES_PASSWORD",
        "STRIPE_API_KEY",
        "STRIPE_WEBHOOK_SECRET",
    ):
        uses = re.findall(r"\$\{" + secret + r"(:?[-?])", compose_text)
        assert uses and set(uses) == {":?"}, (secret, uses)
    assert "dev-only-secret" not in compose_text
    assert "whsec_dev_secret" not in compose_text
    configmap_path = REPO_ROOT / "deploy/k8s/base/configmap.yaml"
    configmap = yaml.safe_load(configmap_path.read_text())
    assert configmap["data"]["PLATFORM_ENV"] == "production"
