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
from tests.chaos.rabbit_node import RabbitNode
from tests.chaos.world import ChaosWorld, running_world
from tests.support import infra


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
    with running_world(rabbit, chaos_databases, chaos_dir / "platform") as world:
        yield world
