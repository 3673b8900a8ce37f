"""Settings from environment variables, with the documented defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SERVICES = ("members", "partnerships", "grants", "payments", "notifications")
REPO_ROOT = Path(__file__).resolve().parent.parent


def env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def data_dir() -> Path:
    return Path(env("DATA_DIR", str(REPO_ROOT / "var")))


DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"


def amqp_uri() -> str:
    """`AMQP_URI`: one broker URL, or one per node of a cluster separated by
    `;` (kombu's convention), as kombu and nameko take it."""
    return ";".join(broker_urls(env("AMQP_URI", DEFAULT_AMQP_URI)))


def broker_urls(uri: str | None = None) -> list[str]:
    """The broker addresses in `uri` (by default `AMQP_URI`), in the order
    clients try them: each a whole URL (user, password, vhost), as kombu
    parses each one on its own when it fails over to it."""
    text = env("AMQP_URI", DEFAULT_AMQP_URI) if uri is None else uri
    urls = [part.strip() for part in text.split(";") if part.strip()]
    if not urls:
        raise ValueError("AMQP_URI: no broker URL")
    for url in urls:
        if "://" not in url:
            shown = url.rsplit("@", 1)[-1]  # never a password in a message
            raise ValueError(
                f"AMQP_URI: {shown!r} is not a URL (amqp://user:password@host:port/"
                "vhost; several separated by ';')"
            )
    return urls


QUEUE_TYPES = ("quorum", "classic")


def queue_type() -> str:
    """`AMQP_QUEUE_TYPE`: the kind of every durable queue the platform
    declares. `quorum` (the default) is replicated across a cluster's nodes;
    `classic` only keeps running a broker whose queues are still classic
    until `python -m common.queues migrate` moves them (docs/operations.md):
    a queue cannot change its type in place."""
    kind = env("AMQP_QUEUE_TYPE", "quorum").strip().lower()
    if kind not in QUEUE_TYPES:
        raise ValueError(
            f"AMQP_QUEUE_TYPE: {kind!r} is not a queue type (quorum or classic)"
        )
    return kind


def connect_retries(uri: str | None = None) -> int:
    """kombu's `max_retries` that tries every broker address once (and, with
    one address, twice as before)."""
    return max(1, len(broker_urls(uri)) - 1)


def database_url(service: str) -> str:
    """`<SERVICE>_DATABASE_URL`, else one SQLite file per service in DATA_DIR."""
    url = os.environ.get(f"{service.upper()}_DATABASE_URL")
    if url:
        return url
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / f'{service}.db'}"


@dataclass(frozen=True)
class EventRetry:
    """How failing event handlers are retried before their message is parked.

    A failure because the database could not serve (`common.db.
    database_unavailable`: no connection to be had, the connection lost) says
    nothing about the event: it is retried without counting as an attempt,
    for up to `outage_seconds` from the first such failure, at most
    `OUTAGE_MAX_DELAY_MS` apart, so an outage parks nothing and the events
    flow within seconds of the database's return.

    A message that returns to its queue unanswered (its consumer gone before
    the ack: a process killed or crashed, a broker node lost) again and again
    may be what kills the process: at `max_deliveries` returns it is parked
    instead of being handed out once more, so one such message cannot keep a
    service in a crash loop (`common.nameko_ext.events`)."""

    max_attempts: int
    base_delay_ms: int
    outage_seconds: float = 3600.0
    max_deliveries: int = 20

    OUTAGE_MAX_DELAY_MS = 30_000

    @classmethod
    def from_env(cls) -> EventRetry:
        return cls(
            max_attempts=int(env("EVENT_MAX_ATTEMPTS", "3")),
            base_delay_ms=int(env("EVENT_RETRY_BASE_MS", "1000")),
            outage_seconds=float(env("EVENT_OUTAGE_RETRY_SECONDS", "3600")),
            max_deliveries=int(env("EVENT_MAX_DELIVERIES", "20")),
        )

    def delay_ms(self, attempt: int) -> int:
        """Exponential back-off: base, 2*base, 4*base, ... capped at 5 minutes."""
        return int(min(self.base_delay_ms * 2 ** (attempt - 1), 300_000))

    def outage_delay_ms(self, outage_retry: int) -> int:
        """The same back-off through an outage, capped at 30 seconds."""
        return min(self.delay_ms(outage_retry), self.OUTAGE_MAX_DELAY_MS)


@dataclass(frozen=True)
class EventBatching:
    """How batching event handlers gather news under load."""

    linger_ms: int  # under load, at most one list per this many ms
    max_size: int  # a list starts at once when this many wait
    max_linger_ms: int = 1000  # the linger however many consumers share it

    @classmethod
    def from_env(cls) -> EventBatching:
        return cls(
            linger_ms=int(env("EVENT_BATCH_LINGER_MS", "100")),
            max_size=int(env("EVENT_BATCH_MAX", "100")),
            max_linger_ms=int(env("EVENT_BATCH_MAX_LINGER_MS", "1000")),
        )

    def linger(self, consumers: int) -> float:
        """Seconds between one consumer's lists under load, with `consumers`
        sharing its queue: together they start one list per `linger_ms`."""
        return min(self.linger_ms * max(1, consumers), self.max_linger_ms) / 1000


def version() -> str:
    return env("PLATFORM_VERSION", "0.1.0")
