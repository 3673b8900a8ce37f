"""The notifications service as a real process, writing to a devmail sink.

members runs too (with its test clock), since notifications asks it for
contacts; other services' news is published as their outbox relays would.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from tests.integration.members.conftest import CLOCK_ENV, Members
from tests.support.mailsink import MailSink
from tests.support.platform import Platform

# Short waits so failures and recoveries show within a test's time.
FAST = {
    "NOTIFICATIONS_RETRY_BASE_SECONDS": "0.5",
    "NOTIFICATIONS_RETRY_MAX_SECONDS": "4",
    "NOTIFICATIONS_SMTP_TIMEOUT_SECONDS": "2",
    "NOTIFICATIONS_SEND_LEASE_SECONDS": "4",
    "NOTIFICATIONS_POLL_SECONDS": "0.2",
    "APP_BASE_URL": "https://app.example",
    "ORG_NAME": "Sister Cities Test",
}


@pytest.fixture(scope="session")
def sink(platform: Platform) -> Iterator[MailSink]:
    found = MailSink(platform.workdir, platform.env).start()
    yield found
    found.stop()


def notifications_env(sink: MailSink, **extra: str) -> dict[str, str]:
    return {**FAST, "SMTP_URL": sink.smtp_url, **extra}


def start_notifications(platform: Platform, env: dict[str, str]) -> None:
    """(Re)start notifications with exactly this environment."""
    proc = platform.processes.get("notifications")
    wanted = {**platform.env, **env}
    if proc is not None and proc.env != wanted:
        platform.stop("notifications")
        proc.env = wanted
    platform.start("notifications", env=env)


@pytest.fixture(scope="session")
def members(platform: Platform) -> Members:
    proc = platform.processes.get("members")
    if proc is not None and proc.env.get("MEMBERS_CLOCK_CONTROL") != "1":
        platform.stop("members")
    platform.start("members", env=CLOCK_ENV)
    return Members(platform)


@pytest.fixture
def notifications(platform: Platform, sink: MailSink, members: Members) -> Platform:
    start_notifications(platform, notifications_env(sink))
    return platform


def deliveries(platform: Platform, **where: Any) -> list[Any]:
    clause = " AND ".join(f"{k} = :{k}" for k in where) or "TRUE"
    with platform.engine("notifications").connect() as conn:
        return list(
            conn.execute(text(f"SELECT * FROM deliveries WHERE {clause}"), where)
        )
