"""The chaos suite's platform: its own RabbitMQ node (which the tests stop and
start), its own PostgreSQL databases, an offline Stripe, a mail sink, and every
service and the gateway started one by one as separate processes (no
supervisor that would restart them, or stop them all when one exits). All of
it stops when the package's last test ends, before the other suites run."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from common import config
from devstripe.testing import free_port, start_devstripe, stop_devstripe, wait_ready
from tests.chaos.rabbit_node import RabbitNode
from tests.chaos.world import API_KEY, SECRET, ChaosWorld
from tests.support import infra
from tests.support.mailsink import MailSink
from tests.support.platform import Platform

SERVICE_ORDER = config.SERVICES  # each its own process, started in turn


@pytest.fixture(scope="package")
def chaos_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="chaos-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="package")
def rabbit(chaos_dir: Path) -> Iterator[RabbitNode]:
    node = RabbitNode(chaos_dir / "rabbit")
    seconds = node.start()
    print(f"\nchaos: RabbitMQ node {node.name} on port {node.port} ({seconds:.1f} s)")
    try:
        yield node
    finally:
        node.shutdown()


@pytest.fixture(scope="package")
def chaos_databases(run_id: str) -> Iterator[dict[str, str]]:
    prefix = f"t_{run_id}_chaos"
    urls = infra.service_databases(prefix)
    yield urls
    for service in config.SERVICES:
        infra.drop_database(f"{prefix}_{service}")


@pytest.fixture(scope="package")
def chaos(
    rabbit: RabbitNode, chaos_databases: dict[str, str], chaos_dir: Path
) -> Iterator[ChaosWorld]:
    platform = Platform(rabbit.amqp_uri, chaos_databases, chaos_dir / "platform")
    # Calls to a dead service give up sooner; the suite's own retries are its
    # clients' (never the gateway's limits, which another test suite covers).
    platform.env.update(
        RPC_TIMEOUT_SECONDS="5",
        RATE_LIMIT_PER_MINUTE="1000000",
        RATE_LIMIT_BURST="100000",
        FAILURE_LIMIT_PER_MINUTE="1000000",
        FAILURE_LIMIT_BURST="100000",
    )
    stripe_port = free_port()
    devstripe = None
    sink = None
    try:
        sink = MailSink(platform.workdir, platform.env).start()
        gateway = platform.start_gateway()
        devstripe = start_devstripe(
            stripe_port,
            f"{gateway}/webhooks/stripe",
            SECRET,
            chaos_dir / "devstripe",
            # Retried every second for minutes: longer than any outage here.
            retry_max_delay=1.0,
            max_attempts=600,
        )
        wait_ready(stripe_port, proc=devstripe)
        stripe_base = f"http://127.0.0.1:{stripe_port}"
        platform.env.update(
            STRIPE_API_BASE=stripe_base,
            STRIPE_API_KEY=API_KEY,
            STRIPE_WEBHOOK_SECRET=SECRET,
            STRIPE_NETWORK_RETRIES="0",
            SMTP_URL=sink.smtp_url,
            NOTIFICATIONS_POLL_SECONDS="0.2",
        )
        for service in SERVICE_ORDER:
            platform.start(service)
        world = ChaosWorld(platform, rabbit, stripe_base)
        world.set_dues_schedule()
        yield world
    except BaseException:
        for name, proc in platform.processes.items():
            print(f"--- {name} log ---\n{proc.log_tail(40)}")
        raise
    finally:
        platform.shutdown()
        if devstripe is not None:
            stop_devstripe(devstripe)
        if sink is not None:
            sink.stop()
