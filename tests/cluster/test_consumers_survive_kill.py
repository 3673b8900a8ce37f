"""The services' node killed (SIGKILL) while two notifications replicas
handle a stream of events: both keep running, move to another node and go on
handling. Faster and surer than the whole platform's kill test at catching a
process that exits: a worker acking its message on the dead node's socket
made nameko kill the container (common/nameko_ext/consumer.py), which needs
workers finishing at the moment of the kill, here ~100 events a second.

On a vhost of its own (the platform's world, if started, never sees these
events), on the package's databases (the events record nothing: no notice is
due for them, only their claims)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kombu import Producer
from sqlalchemy import text

from common import amqp
from common.envelope import Envelope
from tests.chaos.rabbit_node import RabbitCluster
from tests.cluster.conftest import GATEWAY_NODE, SERVICES_NODE
from tests.support.platform import Platform, Process
from tests.support.wait import wait_until

EVENTS = (  # handled by notifications, neither causes a notice
    ("payments", "payment_status_changed", {"new_status": "PENDING"}),
    ("partnerships", "partnership_status_changed", {"old_status": None}),
)


def pid(process: Process) -> int:
    """The process id of a started process."""
    assert process.proc is not None
    return process.proc.pid


@contextmanager
def events_in_stream(uri: str, per_second: float = 100) -> Iterator[list[int]]:
    """Events published to `uri` while the block runs; yields [sent]."""
    sent = [0]
    stop = threading.Event()
    failures: list[BaseException] = []

    def publish() -> None:
        try:
            with amqp.connection(uri) as conn:
                channel = conn.channel()
                for producer, _, _ in EVENTS:
                    amqp.event_exchange(producer)(channel).declare()
                while not stop.wait(len(EVENTS) / per_second):
                    for producer, kind, payload in EVENTS:
                        envelope = Envelope(kind, producer, payload=payload)
                        amqp.publish_envelope(Producer(channel), envelope.to_dict())
                        sent[0] += 1
        except BaseException as exc:  # reported by the test, not lost in a thread
            failures.append(exc)

    thread = threading.Thread(target=publish)
    thread.start()
    try:
        yield sent
    finally:
        stop.set()
        thread.join(30)
    assert not failures, failures


def test_notifications_replicas_survive_their_node_killed_under_load(
    cluster: RabbitCluster, cluster_databases: dict[str, str], cluster_dir: Path
) -> None:
    vhost = f"survive-{uuid.uuid4().hex[:6]}"
    first = cluster.nodes[GATEWAY_NODE]
    for step in (("add_vhost", vhost), ("set_permissions", "-p", vhost, "guest")):
        args = step if step[0] == "add_vhost" else (*step, ".*", ".*", ".*")
        assert first.ctl(*args).returncode == 0

    def on_vhost(uri: str) -> str:
        return ";".join(url.rstrip("/") + f"/{vhost}" for url in uri.split(";"))

    platform = Platform(
        on_vhost(cluster.uri_from(SERVICES_NODE)),
        cluster_databases,
        cluster_dir / "survivors",
    )
    platform.env.update(NOTIFICATIONS_POLL_SECONDS="0.2")
    node = cluster.nodes[SERVICES_NODE]
    engine = platform.engine("notifications")

    def handled() -> int:
        with engine.connect() as conn:
            return int(
                conn.execute(text("SELECT count(*) FROM processed_events")).scalar()
                or 0
            )

    killed = False
    try:
        platform.start("notifications", replicas=2)
        pids = {name: pid(proc) for name, proc in platform.processes.items()}
        with events_in_stream(on_vhost(first.amqp_uri)) as sent:
            wait_until(lambda: handled() >= 200, timeout=120, message="events handled")
            node.kill()
            killed = True
            before = handled()
            try:
                wait_until(
                    lambda: handled() >= before + 500,
                    timeout=120,
                    message="500 events handled after the kill",
                )
            finally:
                gone = {
                    name: proc.log_tail(60)
                    for name, proc in platform.processes.items()
                    if not proc.running or pid(proc) != pids[name]
                }
                assert not gone, "\n".join(
                    f"--- {name} exited ---\n{tail}" for name, tail in gone.items()
                )
        count = sent[0]
    finally:
        platform.shutdown()
        if killed:
            node.start()
        first.ctl("delete_vhost", vhost)
    print(f"\nnotifications kept running: {count} events sent, {handled()} handled")
    engine.dispose()
