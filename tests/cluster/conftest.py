"""A three-node RabbitMQ cluster of the suite's own on this machine (the
machine's node is never touched), and the whole platform on it, two replicas
of every service and of the gateway: the services connected to node 2 first,
the gateway to node 1 first, each with every node's address (`AMQP_URI` with
`;`) to fail over to. Everything stops, and the nodes' folders are deleted,
when the package's last test ends, also after a failure."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from common import config
from tests.chaos.rabbit_node import RabbitCluster
from tests.chaos.world import ChaosWorld, running_world
from tests.support import infra

GATEWAY_NODE = 0  # where the gateway connects first
SERVICES_NODE = 1  # where the services connect first (and declare their queues)


@pytest.fixture(scope="package")
def cluster_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="cluster-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="package")
def cluster(cluster_dir: Path) -> Iterator[RabbitCluster]:
    nodes = RabbitCluster(cluster_dir / "rabbit", size=3)
    try:
        seconds = nodes.start()
        names = ", ".join(f"{n.name}:{n.port}" for n in nodes.nodes)
        print(f"\ncluster: {names} formed in {seconds:.1f} s")
        yield nodes
    finally:
        nodes.shutdown()


@pytest.fixture(scope="package")
def cluster_databases(run_id: str) -> Iterator[dict[str, str]]:
    prefix = f"t_{run_id}_cluster"
    urls = infra.service_databases(prefix)
    yield urls
    for service in config.SERVICES:
        infra.drop_database(f"{prefix}_{service}")


@pytest.fixture(scope="package")
def world(
    cluster: RabbitCluster, cluster_databases: dict[str, str], cluster_dir: Path
) -> Iterator[ChaosWorld]:
    with running_world(
        cluster,
        cluster_databases,
        cluster_dir / "platform",
        amqp_uri=cluster.uri_from(SERVICES_NODE),
        gateway_env={"AMQP_URI": cluster.uri_from(GATEWAY_NODE)},
        replicas=2,
    ) as running:
        yield running


@pytest.fixture(autouse=True)
def killed_nodes_started(cluster: RabbitCluster) -> Iterator[None]:
    """A node a test killed is started again when the test ends, also after
    a failure: the next test then begins on a whole cluster, and fails (or
    passes) on its own account."""
    yield
    for node in cluster.nodes:
        if not node.listening():
            node.start()
