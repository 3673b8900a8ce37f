"""Admin command: list and replay events parked in the dead-letter queues.

    python -m common.deadletters list [SERVICE ...]
    python -m common.deadletters replay SERVICE [--event-id ID ...] [--past-window]

Replay sends each message back to the queue it failed on, with its attempt
count reset, so the fixed handler gets it again (idempotently). It keeps the
message's origin (the producer's exchange and the event type), so a message
that fails again is parked with it again.

That idempotence rests on processed-event records, which the pruner keeps
only for `DEAD_LETTER_REPLAY_HOURS` past a redelivery's longest path
(`common.retention`). A message parked longer than that may find its copy's
record gone and be applied twice, so replay leaves it parked and says so,
unless told `--past-window` by an operator who checked it never was applied.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from kombu.connection import Connection

from common import amqp, config
from common.retention import replay_window

# Kept on a replayed message; every other `x-` header is this parking's.
ORIGIN_HEADERS = ("x-original-exchange", "x-original-routing-key")


@dataclass(frozen=True)
class DeadLetter:
    service: str
    event_id: str
    event_type: str
    queue: str
    exchange: str  # where it was first published, with `event_type` as key
    routing_key: str
    attempts: int
    error: str
    failed_at: str

    def parked_for(self, now: datetime) -> timedelta | None:
        """How long it has been parked; None when its header cannot tell."""
        try:
            failed_at = datetime.fromisoformat(self.failed_at)
        except ValueError:
            return None
        if failed_at.tzinfo is None:
            failed_at = failed_at.replace(tzinfo=UTC)
        return now - failed_at


@dataclass(frozen=True)
class Replay:
    replayed: list[DeadLetter] = field(default_factory=list)
    # Parked longer than the replay window: left parked (see the module's doc).
    kept: list[DeadLetter] = field(default_factory=list)


def _describe(service: str, message: Any) -> DeadLetter:
    headers = message.headers or {}
    try:
        body = json.loads(message.body)
    except (TypeError, ValueError):
        body = {}
    if not isinstance(body, dict):
        body = {}
    routing_key = str(headers.get("x-original-routing-key") or "")
    event_id = body.get("event_id") or headers.get("nameko.event_id")
    return DeadLetter(
        service=service,
        event_id=str(event_id or message.properties.get("message_id") or "?"),
        event_type=str(body.get("type") or routing_key),
        queue=str(headers.get("x-original-queue", "")),
        exchange=str(headers.get("x-original-exchange") or ""),
        routing_key=routing_key,
        attempts=int(headers.get("x-attempts", 0)),
        error=str(headers.get("x-error", "")),
        failed_at=str(headers.get("x-failed-at", "")),
    )


def list_dead_letters(service: str, uri: str | None = None) -> list[DeadLetter]:
    """Browse without consuming: fetch unacked, then let the broker requeue them."""
    found: list[DeadLetter] = []
    with _connection(uri) as conn:
        channel = conn.channel()
        queue = _declare(conn, channel, service)
        while (message := queue.get(no_ack=False)) is not None:
            found.append(_describe(service, message))
        channel.close()  # unacked messages return to the queue in order
    return found


def count_dead_letters(
    services: Sequence[str], uri: str | None = None
) -> dict[str, int]:
    """How many messages wait in each service's dead-letter queue (those a
    `list` is browsing at that moment are not counted)."""
    counts: dict[str, int] = {}
    with _connection(uri) as conn:
        channel = conn.channel()
        for service in services:
            queue = _declare(conn, channel, service)
            counts[service] = int(queue.queue_declare(passive=True).message_count)
        channel.close()
    return counts


def replay(
    service: str,
    event_ids: set[str] | None = None,
    uri: str | None = None,
    *,
    now: datetime | None = None,
    past_window: bool = False,
) -> Replay:
    """Republish parked messages to their original queues; say which went and
    which were kept, parked longer than `DEAD_LETTER_REPLAY_HOURS` (unless
    `past_window`).

    Only the messages parked when it starts: one that fails again meanwhile
    is parked behind them, and stays there.
    """
    window = replay_window()
    now = now or datetime.now(UTC)
    done = Replay()
    with _connection(uri) as conn:
        channel = conn.channel()
        queue = _declare(conn, channel, service)
        parked = queue.queue_declare(passive=True).message_count
        producer = conn.Producer(channel=conn.channel())
        for _ in range(parked):
            message = queue.get(no_ack=False)
            if message is None:
                break
            letter = _describe(service, message)
            if event_ids is not None and letter.event_id not in event_ids:
                continue  # left unacked: back in the queue when the channel closes
            parked_for = letter.parked_for(now)
            if not past_window and parked_for is not None and parked_for > window:
                done.kept.append(letter)
                continue  # likewise left parked
            headers = {
                k: v
                for k, v in (message.headers or {}).items()
                if not k.startswith("x-") or k in ORIGIN_HEADERS
            }
            producer.publish(
                message.body,
                exchange=amqp.DEFAULT_EXCHANGE,
                routing_key=letter.queue,
                headers=headers,
                content_type=message.content_type,
                content_encoding=message.content_encoding,
                delivery_mode=2,
            )
            message.ack()
            done.replayed.append(letter)
        channel.close()
    return done


def _connection(uri: str | None) -> Connection:
    """Connected to the first of the broker's addresses that answers."""
    uri = uri or config.amqp_uri()
    conn = amqp.connection(uri)
    conn.ensure_connection(max_retries=config.connect_retries(uri))  # returns conn
    return conn


def _declare(conn: Connection, channel: Any, service: str) -> Any:
    bound = amqp.dead_letter_queue(service)(channel)
    bound.declare()
    return bound


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m common.deadletters")
    sub = parser.add_subparsers(dest="command", required=True)
    ls = sub.add_parser("list", help="list parked events")
    ls.add_argument("services", nargs="*", default=list(config.SERVICES))
    rp = sub.add_parser("replay", help="send parked events back to their handler")
    rp.add_argument("service", choices=config.SERVICES)
    rp.add_argument("--event-id", action="append", dest="event_ids")
    rp.add_argument(
        "--past-window",
        action="store_true",
        help="replay letters parked longer than DEAD_LETTER_REPLAY_HOURS too",
    )
    args = parser.parse_args(argv)
    if args.command == "list":
        total = 0
        for service in args.services:
            for letter in list_dead_letters(service):
                total += 1
                error = (letter.error.splitlines() or [""])[-1]
                print(
                    f"{letter.service}\t{letter.event_id}\t{letter.event_type}\t"
                    f"from={letter.exchange}\tqueue={letter.queue}\t"
                    f"attempts={letter.attempts}\t{letter.failed_at}\t{error}"
                )
        print(f"{total} dead letter(s)")
        return 0
    ids = set(args.event_ids) if args.event_ids else None
    now = datetime.now(UTC)
    done = replay(args.service, ids, now=now, past_window=args.past_window)
    for letter in done.replayed:
        print(f"replayed {letter.event_id} ({letter.event_type}) to {letter.queue}")
    print(f"{len(done.replayed)} replayed")
    if not done.kept:
        return 0
    hours = replay_window().total_seconds() / 3600
    for letter in done.kept:
        age = (letter.parked_for(now) or timedelta()).total_seconds() / 3600
        print(
            f"kept parked {letter.event_id} ({letter.event_type}): parked "
            f"{age:.0f} h ago, longer than DEAD_LETTER_REPLAY_HOURS={hours:g}",
            file=sys.stderr,
        )
    print(
        f"{len(done.kept)} kept parked: the records that make a replay "
        "idempotent may be pruned by now, so a replay could apply one twice. "
        "Check each was never applied, then replay it with --past-window.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
