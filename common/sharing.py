"""How many consumers share a queue, asked of the broker now and then.

Batching under load is per consumer: with N replicas each sees 1/N of a
queue's messages, so its lists (and group commits) hold N times fewer and the
service commits N times as many transactions for the same work. A consumer
that knows N can wait N times as long, so that the queue's messages still go
in as few transactions as with one replica (docs/benchmarks.md, "Replicas").

The broker says how many consumers a queue has in its answer to a passive
declare. One thread per process and broker asks about every watched queue,
on a connection of its own (never the consumers'), every `SOON` + `EVERY`
seconds, and `SOON` seconds after a queue is added (its own consumer counts
only once its service consumes). A count it cannot get keeps the last one:
the count only tunes waits, it never decides what is handled.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import ClassVar

from kombu.connection import Connection

from common import config

log = logging.getLogger(__name__)

EVERY = 10.0  # seconds between counts
SOON = 1.0  # seconds from a queue's watch to its first count


class QueueSharing:
    """The consumer count of one queue, kept fresh while watched."""

    def __init__(self, amqp_uri: str, queue: str) -> None:
        self.uri = amqp_uri
        self.queue = queue
        self.consumers = 1  # until the broker says otherwise

    def start(self) -> None:
        _Watcher.of(self.uri).add(self)

    def stop(self) -> None:
        _Watcher.of(self.uri).remove(self)


class _Watcher:
    """Counts the consumers of the watched queues of one broker."""

    _all: ClassVar[dict[str, _Watcher]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.watched: list[QueueSharing] = []
        self.wake = threading.Event()
        self.running = False

    @classmethod
    def of(cls, uri: str) -> _Watcher:
        with cls._lock:
            return cls._all.setdefault(uri, _Watcher(uri))

    def add(self, sharing: QueueSharing) -> None:
        with self._lock:
            self.watched.append(sharing)
            start, self.running = not self.running, True
        if start:
            # A thread (a green one in the services, which eventlet patches).
            threading.Thread(
                target=self._run, name="queue-sharing", daemon=True
            ).start()
        else:
            self.wake.set()

    def remove(self, sharing: QueueSharing) -> None:
        with self._lock:
            if sharing in self.watched:
                self.watched.remove(sharing)
        self.wake.set()

    def _run(self) -> None:
        while True:
            time.sleep(SOON)  # after an add: its consumer starts meanwhile
            with self._lock:
                watched = list(self.watched)
                if not watched:
                    self.running = False
                    return
            self.wake.clear()
            try:
                count(self.uri, watched)
            except Exception as exc:  # a broker away: keep the last counts
                log.debug("cannot count consumers: %s", exc)
            self.wake.wait(EVERY)  # or until a queue is added or removed


def count(uri: str, watched: list[QueueSharing]) -> None:
    """Ask the broker for each queue's consumer count, on one connection."""
    with Connection(uri, connect_timeout=5) as conn:
        conn.ensure_connection(max_retries=config.connect_retries(uri))
        for sharing in watched:
            channel = conn.channel()
            try:
                _, _, consumers = channel.queue_declare(
                    queue=sharing.queue, passive=True
                )
            except conn.channel_errors as exc:  # not declared yet: closed
                log.debug("cannot count consumers of %s: %s", sharing.queue, exc)
                continue
            sharing.consumers = max(1, int(consumers))
            channel.close()
