"""Two replicas of every service and two gateways on one vhost and the same
databases, with an offline Stripe and a mail sink: the platform the replica
tests load. Every process serves /metrics on a port of its own."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from common import config
from devstripe.testing import free_port, start_devstripe, stop_devstripe, wait_ready
from tests.chaos.world import API_KEY, SECRET
from tests.integration.replicas.world import REPLICAS, ReplicaWorld
from tests.support import infra
from tests.support.mailsink import MailSink
from tests.support.platform import Platform


@pytest.fixture(scope="package")
def replicas(run_id: str) -> Iterator[ReplicaWorld]:
    vhost = f"test-{run_id}-replicas"
    amqp_uri = infra.create_vhost(vhost)
    prefix = f"t_{run_id}_replicas"
    workdir = Path(tempfile.mkdtemp(prefix="replicas-"))
    platform, devstripe, sink = None, None, None
    try:
        platform = Platform(amqp_uri, infra.service_databases(prefix), workdir)
        # A call to a killed replica gives up sooner; the clients retry it.
        platform.env.update(
            RPC_TIMEOUT_SECONDS="5",
            MEMBERS_CLOCK_CONTROL="1",
            # Both replicas' daily timers run often: they race for the lock.
            MEMBERS_DAILY_JOB_INTERVAL_SECONDS="2",
            NOTIFICATIONS_POLL_SECONDS="0.5",
        )
        sink = MailSink(workdir, platform.env).start()
        platform.env["SMTP_URL"] = sink.smtp_url
        platform.start_gateway(replicas=REPLICAS)
        stripe_port = free_port()
        # Stripe sends every webhook to the first gateway: when the second
        # one is killed, webhooks keep flowing (the payers' retries are
        # the test's, not Stripe's).
        devstripe = start_devstripe(
            stripe_port,
            f"{platform.gateway_url}/webhooks/stripe",
            SECRET,
            workdir / "devstripe",
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
        )
        platform.start(*config.SERVICES, replicas=REPLICAS)
        world = ReplicaWorld(platform, stripe_base)
        with world.tap():
            world.set_dues_schedule()
            yield world
    except BaseException:
        if platform is not None:
            for name, proc in platform.processes.items():
                print(f"--- {name} log ---\n{proc.log_tail(30)}")
        raise
    finally:
        if platform is not None:
            platform.shutdown()
        if devstripe is not None:
            stop_devstripe(devstripe)
        if sink is not None:
            sink.stop()
        infra.delete_vhost(vhost)
        for service in config.SERVICES:
            infra.drop_database(f"{prefix}_{service}")
        shutil.rmtree(workdir, ignore_errors=True)
