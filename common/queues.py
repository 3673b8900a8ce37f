"""Admin command: the platform's durable queues, and their move from classic
queues to quorum queues without losing a message.

    python -m common.queues list [SERVICE ...]
    python -m common.queues migrate [SERVICE ...]

A queue cannot change its type in place, and nameko declares each queue by
its name when a service starts, so the end state is quorum queues under the
original names. Each classic queue goes through a holding quorum queue,
`<queue>.moving`, with its bindings:

1. the holding queue is bound as the queue is, then the queue unbound: from
   then on new messages land in the holding queue (one published in between
   lands in both: a duplicate, never a loss);
2. the queue's messages are moved into it, each acked only once the broker
   confirmed its copy; the queue is deleted once empty (`if_empty`, so one
   that came meanwhile is moved too);
3. the queue is declared again as a quorum queue and bound, the holding
   queue unbound, its messages moved back and the holding queue deleted.

Every step is safe to run again: a move that stopped half way (a lost
connection, a killed command) is completed by running the command again.
The services must be stopped meanwhile (docs/operations.md). Retry queues
go first: once quorum, they dead-letter at least once, so a retry due while
its handler's queue is away waits for it instead of being dropped.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import amqp as pyamqp
from kombu.connection import Connection
from kombu.entity import Exchange

# nameko imports eventlet, which warns that it is deprecated (as in common.runner).
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

from nameko.containers import ServiceContainer  # noqa: E402
from nameko.events import SERVICE_POOL, SINGLETON  # noqa: E402
from nameko.rpc import RPC_QUEUE_TEMPLATE  # noqa: E402

from common import amqp, config  # noqa: E402
from common.nameko_ext.events import (  # noqa: E402
    ORIGINAL_EXCHANGE,
    ORIGINAL_ROUTING_KEY,
    RetryingEventHandler,
)
from common.nameko_ext.rpc import Rpc  # noqa: E402

log = logging.getLogger(__name__)

HOLDING_SUFFIX = ".moving"
MOVE_EXCHANGE_SUFFIX = ".moving-in"
RPC_EXCHANGE = "nameko-rpc"  # nameko's default `rpc_exchange`


@dataclass(frozen=True)
class DurableQueue:
    """A queue the platform declares, as it declares it."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)  # its classic ones
    bindings: tuple[tuple[str, str], ...] = ()  # (topic exchange, routing key)

    @property
    def holding(self) -> str:
        return f"{self.name}{HOLDING_SUFFIX}"


def service_class(target: str) -> type:
    """`members` -> services.members.service:Service; or any `module:Class`
    (as `common.runner` takes it, without its eventlet patching)."""
    module_name, _, attr = target.partition(":")
    if not attr:
        module_name, attr = f"services.{target}.service", "Service"
    cls: type = getattr(importlib.import_module(module_name), attr)
    return cls


def service_queues(target: str) -> list[DurableQueue]:
    """The durable queues a service declares (as `common.runner target` runs
    it): its RPC queue, its handlers' queues and their retry queues (the
    delays `EVENT_RETRY_BASE_MS` and `EVENT_MAX_ATTEMPTS` give), its
    dead-letter queue. Retry queues first (see the module's docstring)."""
    container = ServiceContainer(service_class(target), {"AMQP_URI": "memory://"})
    name = container.service_name
    policy = config.EventRetry.from_env()
    handlers: list[DurableQueue] = []
    rpc = False
    for entrypoint in sorted(container.entrypoints, key=lambda e: e.method_name):
        if isinstance(entrypoint, Rpc):
            rpc = True
        elif isinstance(entrypoint, RetryingEventHandler):
            source, event_type = entrypoint.source_service, entrypoint.event_type
            if entrypoint.handler_type is SERVICE_POOL:
                queue = f"evt-{source}-{event_type}--{name}.{entrypoint.method_name}"
            elif entrypoint.handler_type is SINGLETON:
                queue = f"evt-{source}-{event_type}"
            else:
                continue  # broadcast: exclusive, gone with its consumer
            binding = (amqp.event_exchange_name(source), event_type)
            handlers.append(DurableQueue(queue, bindings=(binding,)))
    retries = [
        DurableQueue(retry.name, dict(getattr(retry, "queue_arguments", None) or {}))
        for handler in handlers
        for attempt in range(1, policy.max_attempts)
        for retry in [
            amqp.retry_queue(handler.name, policy.delay_ms(attempt), "classic")
        ]
    ]
    rpc_queue = RPC_QUEUE_TEMPLATE.format(name)
    own = [DurableQueue(rpc_queue, bindings=((RPC_EXCHANGE, f"{name}.*"),))]
    parked = [DurableQueue(amqp.dead_letter_queue(name, "classic").name)]
    return [*retries, *(own if rpc else []), *handlers, *parked]


@dataclass
class Moved:
    queue: str
    state: str  # "moved", "quorum already", "absent"
    messages: int = 0


class QueueMover:
    """Moves classic queues to quorum ones on one broker connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # Confirms: a copy is acked away from its old queue only once the
        # broker has taken it (`common.amqp.connection`).
        self.publisher = conn.channel()

    def migrate(self, queue: DurableQueue) -> Moved:
        state = self._state(queue.name, queue)
        holding = self._exists(queue.holding)
        if state == "absent" and not holding:
            return Moved(queue.name, "absent")
        if state == "quorum" and not holding:
            return Moved(queue.name, "quorum already")
        moved = 0
        if state == "classic":
            self._declare_holding(queue)
            self._rebind(queue.bindings, to=queue.holding, away_from=queue.name)
            moved = self._drain(queue.name, into=queue.holding)
        self._declare_quorum(queue)
        self._rebind(queue.bindings, to=queue.name, away_from=queue.holding)
        self._drain(queue.holding, into=queue.name, only_by_us=True)
        return Moved(queue.name, "moved", moved)

    # --- what the broker holds ------------------------------------------------

    def _exists(self, name: str) -> bool:
        channel = self.conn.channel()
        try:
            channel.queue_declare(name, passive=True)
        except pyamqp.exceptions.NotFound:
            return False  # the broker closed the channel
        channel.close()
        return True

    def _state(self, name: str, queue: DurableQueue) -> str:
        """`absent`, `classic` or `quorum`: a quorum queue takes its own
        declaration again, a classic one refuses it (PRECONDITION_FAILED)."""
        if not self._exists(name):
            return "absent"
        try:
            self._declare(name, amqp.queue_arguments(queue.arguments, "quorum"))
        except pyamqp.exceptions.PreconditionFailed:
            return "classic"
        return "quorum"

    # --- steps ------------------------------------------------------------------

    def _declare(self, name: str, arguments: dict[str, Any]) -> None:
        channel = self.conn.channel()
        channel.queue_declare(
            name, durable=True, auto_delete=False, arguments=arguments
        )
        channel.close()

    def _declare_holding(self, queue: DurableQueue) -> None:
        # No TTL, no dead-lettering: a retry's wait starts again once back.
        self._declare(queue.holding, amqp.queue_arguments({}, "quorum"))

    def _declare_quorum(self, queue: DurableQueue) -> None:
        self._declare(queue.name, amqp.queue_arguments(queue.arguments, "quorum"))

    def _rebind(
        self, bindings: Sequence[tuple[str, str]], to: str, away_from: str
    ) -> None:
        """Bind `to` first, then unbind `away_from`: a message published in
        between reaches both (a duplicate, which handlers absorb), none is
        unroutable (lost)."""
        channel = self.conn.channel()
        for exchange, key in bindings:
            Exchange(exchange, type="topic", durable=True)(channel).declare()
            channel.queue_bind(to, exchange, key)
        for exchange, key in bindings:
            if self._exists(away_from):
                channel.queue_unbind(away_from, exchange, key)
        channel.close()

    def _drain(self, source: str, into: str, only_by_us: bool = False) -> int:
        """Move every message of `source` into `into`, each copy confirmed
        before the original is acked, then delete `source`. A classic queue
        is deleted only if empty (`if_empty`: one that came meanwhile, say a
        retry dead-lettered into it by name, is moved on the next round).
        Quorum queues refuse `if_empty` (NOT_IMPLEMENTED); the holding queue,
        unbound and known to us alone (`only_by_us`), is counted instead."""
        moved = 0
        while True:
            moved += sum(1 for _ in self._move(source, into))
            channel = self.conn.channel()
            try:
                if only_by_us:
                    if channel.queue_declare(source, passive=True).message_count:
                        continue
                    channel.queue_delete(source)
                else:
                    channel.queue_delete(source, if_empty=True)
            except pyamqp.exceptions.PreconditionFailed:
                continue  # not empty: a message came meanwhile
            except pyamqp.exceptions.NotFound:
                return moved  # gone already (a previous run deleted it)
            channel.close()
            return moved

    def _move(self, source: str, into: str) -> Iterator[None]:
        """Each copy keeps its routing key (nameko finds an RPC's method by
        it) through a fanout exchange bound to `into` alone; its first
        exchange and key are noted as a retry notes them."""
        channel = self.conn.channel()
        router = f"{into}{MOVE_EXCHANGE_SUFFIX}"
        channel.exchange_declare(router, "fanout", durable=True, auto_delete=False)
        channel.queue_bind(into, router, "")
        try:
            while (message := channel.basic_get(source, no_ack=False)) is not None:
                properties = dict(message.properties)
                headers = dict(properties.get("application_headers") or {})
                info = message.delivery_info
                headers.setdefault(ORIGINAL_EXCHANGE, info.get("exchange"))
                headers.setdefault(ORIGINAL_ROUTING_KEY, info.get("routing_key"))
                properties["application_headers"] = headers
                self.publisher.basic_publish(
                    pyamqp.Message(message.body, **properties),
                    exchange=router,
                    routing_key=info.get("routing_key") or "",
                    mandatory=True,
                )
                channel.basic_ack(message.delivery_tag)
                yield
        except pyamqp.exceptions.NotFound:
            return  # gone already (a previous run deleted it)
        finally:
            if channel.is_open:
                channel.exchange_delete(router)
                channel.close()


def migrate(targets: Sequence[str], uri: str | None = None) -> list[Moved]:
    """Move every classic queue of the services in `targets` to a quorum
    queue of the same name, bindings and messages."""
    uri = uri or config.amqp_uri()
    done: list[Moved] = []
    with amqp.connection(uri) as conn:
        conn.ensure_connection(max_retries=config.connect_retries(uri))
        mover = QueueMover(conn)
        for target in targets:
            for queue in service_queues(target):
                result = mover.migrate(queue)
                log.info(
                    "%s: %s (%d messages)", queue.name, result.state, result.messages
                )
                done.append(result)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m common.queues")
    sub = parser.add_subparsers(dest="command", required=True)
    ls = sub.add_parser("list", help="the durable queues each service declares")
    ls.add_argument("services", nargs="*", default=list(config.SERVICES))
    mv = sub.add_parser(
        "migrate", help="move the services' classic queues to quorum queues"
    )
    mv.add_argument("services", nargs="*", default=list(config.SERVICES))
    args = parser.parse_args(argv)
    if args.command == "list":
        for target in args.services:
            for queue in service_queues(target):
                bound = " ".join(f"{e}:{k}" for e, k in queue.bindings)
                print(f"{queue.name}\t{bound}")
        return 0
    results = migrate(args.services)
    for result in results:
        print(f"{result.queue}\t{result.state}\t{result.messages} message(s)")
    moved = [r for r in results if r.state == "moved"]
    print(
        f"{len(moved)} queue(s) moved to quorum, "
        f"{sum(r.messages for r in moved)} message(s)"
    )
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sys.exit(main())
