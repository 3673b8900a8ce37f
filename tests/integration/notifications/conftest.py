"""The notifications service as a real process, writing to a devmail sink.

members runs too (with its test clock), since notifications asks it for
contacts; other services' news is published as their outbox relays would.

On a platform of this package's own (vhost and databases): the suites before
it leave tens of thousands of emails to send on the shared one (a dues year
opened for every member they registered, a round announced to all of them),
and these tests wait for single messages.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from common import config
from tests.integration.grants.conftest import Grants
from tests.integration.members.conftest import CLOCK_ENV, Members
from tests.support import infra
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


@pytest.fixture(scope="package")
def platform(run_id: str) -> Iterator[Platform]:
    vhost = f"test-{run_id}-notifications"
    prefix = f"t_{run_id}_mail"
    amqp_uri = infra.create_vhost(vhost)
    workdir = Path(tempfile.mkdtemp(prefix="notifications-test-"))
    plat = Platform(amqp_uri, infra.service_databases(prefix), workdir)
    try:
        yield plat
    finally:
        plat.shutdown()
        for service in config.SERVICES:
            infra.drop_database(f"{prefix}_{service}")
        infra.delete_vhost(vhost)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="package")
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


@pytest.fixture(scope="package")
def members(platform: Platform) -> Members:
    proc = platform.processes.get("members")
    if proc is not None and proc.env.get("MEMBERS_CLOCK_CONTROL") != "1":
        platform.stop("members")
    platform.start("members", env=CLOCK_ENV)
    return Members(platform)


@pytest.fixture(scope="package")
def grants(platform: Platform) -> Grants:
    platform.start("grants")
    return Grants(platform)


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
