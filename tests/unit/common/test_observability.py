"""JSON log lines, the metric helpers and the service's probe answers."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from nameko.rpc import Rpc
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from sqlalchemy import MetaData, create_engine

from common import correlation, metrics
from common.db import infrastructure_tables
from common.errors import BadInput, Conflict, DomainError, NotFound
from common.fastpaths.nameko import consumer_problems
from common.nameko_ext import observability
from common.nameko_ext.events import RetryingEventHandler


def record(message: str, *args: Any, exc: BaseException | None = None) -> Any:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    made = logging.LogRecord(
        "members.dues", logging.WARNING, "x.py", 1, message, args, exc_info
    )
    correlation.CorrelationFilter().filter(made)
    return made


def test_a_json_line_has_the_time_level_logger_message_and_correlation_id() -> None:
    correlation.set_current("cid-123")
    try:
        line = correlation.JsonFormatter().format(record('paid %d "dues"\n', 3))
    finally:
        correlation.set_current(None)
    assert "\n" not in line  # one object a line, whatever the message holds
    parsed = json.loads(line)
    assert parsed["level"] == "WARNING"
    assert parsed["logger"] == "members.dues"
    assert parsed["message"] == 'paid 3 "dues"\n'
    assert parsed["correlation_id"] == "cid-123"
    stamp = datetime.fromisoformat(parsed["timestamp"])
    assert stamp.tzinfo is not None
    assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=1)
    assert "exception" not in parsed


def test_a_json_line_carries_the_traceback_and_a_dash_without_correlation() -> None:
    try:
        raise ValueError("boom")
    except ValueError as exc:
        made = record("failed", exc=exc)
    parsed = json.loads(correlation.JsonFormatter().format(made))
    assert parsed["correlation_id"] == "-"
    assert "ValueError: boom" in parsed["exception"]
    assert "Traceback" in parsed["exception"]


def test_log_format_chooses_json_or_the_text_lines_and_refuses_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    text = correlation.formatter()
    assert not isinstance(text, correlation.JsonFormatter)
    assert "[cid=-]" in text.format(record("hello"))
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    assert isinstance(correlation.formatter(), correlation.JsonFormatter)
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        correlation.formatter()


def test_operation_names_are_bounded() -> None:
    names = metrics.OperationNames(cap=2)
    assert names.label(None) == "anonymous"
    assert names.label("") == "anonymous"
    assert names.label("Members") == "Members"
    assert names.label("not a name!") == "other"
    assert names.label("x" * 101) == "other"
    assert names.label("Dues") == "Dues"
    assert names.label("Third") == "other"  # the cap is reached
    assert names.label("Members") == "Members"  # a name seen keeps its label


def test_error_kinds_and_webhook_outcomes() -> None:
    assert metrics.error_kind(BadInput("bad", "email")) == "refused"
    assert metrics.error_kind(Conflict("taken")) == "refused"
    assert metrics.error_kind(DomainError("oops")) == "failed"
    assert metrics.error_kind(RuntimeError("db")) == "failed"
    assert metrics.webhook_outcome({"ok": True, "duplicate": True}) == "duplicate"
    applied = {"ok": True, "duplicate": False, "outcome": "APPLIED"}
    assert metrics.webhook_outcome(applied) == "applied"
    assert metrics.webhook_outcome(None) == "unknown"
    assert metrics.webhook_error_outcome(BadInput("bad signature")) == "bad_user_input"
    assert metrics.webhook_error_outcome(RuntimeError("x")) == "internal"


def test_outbox_backlog_counts_unpublished_rows_and_the_oldest_age() -> None:
    metadata = MetaData()
    outbox, _ = infrastructure_tables(metadata)
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert metrics.outbox_backlog(engine, outbox, now) == metrics.Backlog(0, 0.0)
    rows = [
        (1, now - timedelta(seconds=90), None),
        (2, now - timedelta(seconds=30), None),
        (3, now - timedelta(hours=5), now),  # published: not counted
    ]
    with engine.begin() as conn:
        for number, created, published in rows:
            conn.execute(
                outbox.insert().values(
                    event_id=f"e{number}",
                    event_type="t",
                    producer="p",
                    envelope={},
                    created_at=created,
                    published_at=published,
                )
            )
    assert metrics.outbox_backlog(engine, outbox, now) == metrics.Backlog(2, 90.0)


def test_the_backlog_collector_leaves_out_a_database_that_fails() -> None:
    collector = metrics.OutboxBacklog()
    registry = CollectorRegistry()
    registry.register(collector)

    def broken() -> metrics.Backlog:
        raise OSError("database down")

    good = collector.add("members", lambda: metrics.Backlog(4, 12.5))
    collector.add("grants", broken)
    page = generate_latest(registry).decode()
    assert 'outbox_unpublished_events{service="members"} 4.0' in page
    assert 'outbox_oldest_unpublished_age_seconds{service="members"} 12.5' in page
    assert "grants" not in page
    collector.remove(good)
    assert "members" not in generate_latest(registry).decode()


def test_the_http_port_is_off_unless_set_and_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GRANTS_HTTP_PORT", raising=False)
    assert observability.http_port("grants") is None
    monkeypatch.setenv("GRANTS_HTTP_PORT", "")
    assert observability.http_port("grants") is None
    monkeypatch.setenv("GRANTS_HTTP_PORT", "0")
    assert observability.http_port("grants") == 0
    monkeypatch.setenv("GRANTS_HTTP_PORT", "9103")
    assert observability.http_port("grants") == 9103
    monkeypatch.setenv("GRANTS_HTTP_PORT", "http")
    with pytest.raises(ValueError, match="GRANTS_HTTP_PORT"):
        observability.http_port("grants")
    monkeypatch.setenv("GRANTS_HTTP_PORT", "70000")
    with pytest.raises(ValueError, match="GRANTS_HTTP_PORT"):
        observability.http_port("grants")


class Ready:
    def __init__(self, ready: bool) -> None:
        self._ready = ready

    def ready(self) -> bool:
        return self._ready


def fake_consumer(
    dead: bool = False, started: bool = True, connected: bool = True
) -> Any:
    connection = SimpleNamespace(connected=connected)
    return SimpleNamespace(
        _gt=SimpleNamespace(dead=dead),
        _consumers_ready=Ready(started),
        _consumers={
            "rpc": SimpleNamespace(channel=SimpleNamespace(connection=connection))
        },
    )


def test_a_consumer_is_ready_only_running_started_and_connected() -> None:
    assert consumer_problems(fake_consumer()) == []
    assert consumer_problems(fake_consumer(dead=True)) == [
        "broker consumer not running"
    ]
    assert consumer_problems(fake_consumer(started=False)) == [
        "broker consumers not started"
    ]
    assert consumer_problems(fake_consumer(connected=False)) == [
        "broker connection lost"
    ]
    # A channel that the lost connection let go of.
    gone = fake_consumer()
    gone._consumers["rpc"].channel.connection = None
    assert consumer_problems(gone) == ["broker connection lost"]


def answer(provider: observability.Observability, path: str) -> tuple[str, Any]:
    seen: list[str] = []
    body = b"".join(
        provider.wsgi(
            {"PATH_INFO": path, "REQUEST_METHOD": "GET"},
            lambda status, headers: seen.append(status),
        )
    )
    return seen[0], body


def test_the_probes_answer_alive_ready_or_unready(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    provider = observability.Observability()
    provider.service = "members"
    problems: list[str] = []
    monkeypatch.setattr(provider, "problems", lambda: problems)
    assert answer(provider, "/healthz")[0] == "200 OK"
    status, body = answer(provider, "/readyz")
    assert status == "200 OK" and json.loads(body)["status"] == "UP"
    problems.append("database not answering")
    status, body = answer(provider, "/readyz")
    assert status.startswith("503")
    assert json.loads(body)["problems"] == ["database not answering"]
    assert answer(provider, "/healthz")[0] == "200 OK"  # alive all the same
    status, body = answer(provider, "/metrics")
    assert status == "200 OK" and b"# TYPE rpc_requests_total counter" in body
    assert answer(provider, "/nowhere")[0].startswith("404")


def test_json_logs_through_setup_logging(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    monkeypatch.setenv("LOG_FORMAT", "json")
    try:
        correlation.setup_logging("INFO")
        root.handlers[0].stream = sys.stdout  # type: ignore[attr-defined]
        logging.getLogger("grants.awards").info("awarded %s", "a-1")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    parsed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert parsed["message"] == "awarded a-1"
    assert parsed["logger"] == "grants.awards"
    assert parsed["correlation_id"] == "-"


def value(name: str, **labels: str) -> float:
    found = REGISTRY.get_sample_value(name, labels)
    return found or 0.0


class Worker:  # as nameko's WorkerContext: hashable by identity
    def __init__(self, entrypoint: Any, args: tuple[Any, ...]) -> None:
        self.entrypoint, self.args = entrypoint, args


def test_workers_are_counted_per_rpc_method_and_per_event_type() -> None:
    provider = observability.Observability()
    provider.service = "unit-svc"
    provider._started = {}
    call = object.__new__(Rpc)
    call.method_name = "get_member"
    handler = object.__new__(RetryingEventHandler)
    handler.event_type = "dues_paid"
    rpc_labels = {"service": "unit-svc", "method": "get_member"}
    ok = {"service": "unit-svc", "event_type": "dues_paid", "outcome": "ok"}
    failed = {**ok, "outcome": "failed"}
    before = (
        value("rpc_requests_total", **rpc_labels),
        value("rpc_errors_total", **rpc_labels, kind="refused"),
        value("rpc_duration_seconds_count", **rpc_labels),
        value("events_handled_total", **ok),
        value("events_handled_total", **failed),
    )

    def work(entrypoint: Any, args: tuple[Any, ...], exc: Exception | None) -> None:
        worker = Worker(entrypoint, args)
        provider.worker_setup(worker)
        exc_info = (type(exc), exc, None) if exc is not None else None
        provider.worker_result(worker, None, exc_info)
        provider.worker_teardown(worker)

    work(call, ("m-1",), None)
    work(call, ("m-2",), NotFound("no member"))
    work(handler, ([{"a": 1}, {"a": 2}, {"a": 3}],), None)  # a batch of three
    work(handler, ({"a": 4},), RuntimeError("db"))
    assert (
        value("rpc_requests_total", **rpc_labels),
        value("rpc_errors_total", **rpc_labels, kind="refused"),
        value("rpc_duration_seconds_count", **rpc_labels),
        value("events_handled_total", **ok),
        value("events_handled_total", **failed),
    ) == (before[0] + 2, before[1] + 1, before[2] + 2, before[3] + 3, before[4] + 1)
    assert provider._started == {}
