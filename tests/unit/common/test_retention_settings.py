"""The retention window is read from the environment, and one shorter than
the longest redelivery (retries, then a parked message's wait for replay) is
refused with the setting named."""

from __future__ import annotations

from datetime import timedelta

import pytest

from common.config import EventRetry
from common.retention import Retention, RetentionTooShort, retry_path


def test_the_defaults_keep_two_weeks_and_allow_a_week_before_replay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in (
        "EVENT_RETENTION_HOURS",
        "DEAD_LETTER_REPLAY_HOURS",
        "EVENT_MAX_ATTEMPTS",
        "EVENT_RETRY_BASE_MS",
        "EVENT_OUTAGE_RETRY_SECONDS",
    ):
        monkeypatch.delenv(name, raising=False)
    retention = Retention.from_env()
    assert retention.window == timedelta(days=14)
    # 1 s then 2 s of retries, an hour's database outage waited out (and its
    # last 30 s retry), then a week parked.
    assert retention.longest_redelivery == timedelta(days=7, seconds=3 + 3600 + 30)


def test_the_retry_path_sums_the_capped_delays() -> None:
    # 1, 2, 4, ... 256 s, then 300 s (the cap) for the other ten.
    retry = EventRetry(max_attempts=20, base_delay_ms=1000, outage_seconds=0)
    assert retry_path(retry) == timedelta(seconds=511 + 10 * 300)
    # A database outage waited out for up to 10 minutes, its last retry 30 s on.
    retry = EventRetry(max_attempts=20, base_delay_ms=1000, outage_seconds=600)
    assert retry_path(retry) == timedelta(seconds=511 + 10 * 300 + 600 + 30)


def test_a_window_shorter_than_the_retries_and_the_replay_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EVENT_RETENTION_HOURS", "168")
    monkeypatch.setenv("DEAD_LETTER_REPLAY_HOURS", "168")
    monkeypatch.setenv("EVENT_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("EVENT_RETRY_BASE_MS", "1000")
    monkeypatch.setenv("EVENT_OUTAGE_RETRY_SECONDS", "3600")
    with pytest.raises(RetentionTooShort) as refused:
        Retention.from_env()
    message = str(refused.value)
    assert message.startswith("EVENT_RETENTION_HOURS: 168 h is shorter than")
    assert "EVENT_MAX_ATTEMPTS=3" in message and "DEAD_LETTER_REPLAY_HOURS" in message
    assert "EVENT_OUTAGE_RETRY_SECONDS=3600" in message
    monkeypatch.setenv("EVENT_RETENTION_HOURS", "169")  # the outage's hour on top
    with pytest.raises(RetentionTooShort):
        Retention.from_env()
    monkeypatch.setenv("EVENT_RETENTION_HOURS", "170")
    assert Retention.from_env().window == timedelta(hours=170)


def test_zero_keeps_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENT_RETENTION_HOURS", "0")
    assert Retention.from_env().window is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("EVENT_RETENTION_HOURS", "two weeks"),
        ("EVENT_RETENTION_HOURS", "-1"),
        ("DEAD_LETTER_REPLAY_HOURS", "x"),
        ("RETENTION_BATCH_SIZE", "0"),
        ("RETENTION_INTERVAL_SECONDS", "soon"),
    ],
)
def test_bad_settings_are_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=f"^{name}: "):
        Retention.from_env()
