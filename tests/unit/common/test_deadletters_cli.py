"""`python -m common.deadletters replay`: what it says of letters it keeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from common import deadletters
from common.deadletters import DeadLetter, Replay


def letter(event_id: str, failed_at: datetime) -> DeadLetter:
    return DeadLetter(
        service="members",
        event_id=event_id,
        event_type="payment_succeeded",
        queue="payments.events--members.on_payment",
        exchange="payments.events",
        routing_key="payment_succeeded",
        attempts=3,
        error="boom",
        failed_at=failed_at.isoformat(),
    )


def test_parked_for_reads_the_header() -> None:
    now = datetime(2027, 1, 4, 12, tzinfo=UTC)
    assert letter("a", now - timedelta(hours=3)).parked_for(now) == timedelta(hours=3)
    unknown = DeadLetter(**{**letter("b", now).__dict__, "failed_at": ""})
    assert unknown.parked_for(now) is None


def test_replay_names_what_it_kept_and_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    now = datetime.now(UTC)
    seen: dict[str, Any] = {}

    def fake_replay(service: str, ids: Any, **kwargs: Any) -> Replay:
        seen.update(kwargs, service=service, ids=ids)
        return Replay(
            replayed=[letter("fresh", now - timedelta(hours=1))],
            kept=[letter("stale", now - timedelta(hours=200))],
        )

    monkeypatch.setattr(deadletters, "replay", fake_replay)
    assert deadletters.main(["replay", "members"]) == 1
    out, err = capsys.readouterr()
    assert "replayed fresh (payment_succeeded)" in out and "1 replayed" in out
    assert "kept parked stale (payment_succeeded): parked 200 h ago" in err
    assert "DEAD_LETTER_REPLAY_HOURS=168" in err and "--past-window" in err
    assert seen["past_window"] is False

    monkeypatch.setattr(
        deadletters, "replay", lambda *a, **k: seen.update(k) or Replay()
    )
    assert deadletters.main(["replay", "members", "--past-window"]) == 0
    assert seen["past_window"] is True
