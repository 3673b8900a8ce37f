"""The one read model of members (`contracts.member_facts`): news delivered in
any order, and more than once, ends in the facts of the newest news; an event
older than the version held changes nothing."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from contracts import member_facts as facts

T0 = datetime(2030, 1, 1, tzinfo=UTC)


def event(version: int, event_type: str, **payload: Any) -> facts.MemberNews:
    body = {"member_id": "m-1", "version": version, **payload}
    # Published in version order, a second apart.
    return facts.read(event_type, body, (T0 + timedelta(seconds=version)).isoformat())


HISTORY = [
    event(1, "member_registered", name="Ashland", kind="CITY", state="OR",
          population=21_000, status="PENDING", good_standing=False),
    event(2, "member_updated", name="Ashland City", kind="CITY", state="OR",
          population=21_500, changed=["name", "population"]),
    event(3, "membership_status_changed", old_status="PENDING", new_status="ACTIVE",
          good_standing=True, reason="paid", changed_at=T0.isoformat(),
          state="OR", population=21_500),
    event(4, "member_updated", name="Ashland City", kind="CITY", state="OR",
          population=22_000, changed=["population"]),
    event(5, "membership_status_changed", old_status="ACTIVE", new_status="GRACE",
          good_standing=True, reason="due", changed_at=T0.isoformat(),
          state="OR", population=22_000),
]  # fmt: skip


def deliver(news: list[facts.MemberNews]) -> facts.MemberFacts | None:
    held: facts.MemberFacts | None = None
    for n in news:
        held = facts.learn(held, n) or held
    return held


def test_every_order_of_delivery_ends_in_the_newest_facts() -> None:
    newest = deliver(HISTORY)
    assert newest is not None
    assert (newest.name, newest.population, newest.status) == (
        "Ashland City",
        22_000,
        "GRACE",
    )
    assert newest.profile_stamp and newest.profile_stamp.version == 4
    assert newest.standing_stamp and newest.standing_stamp.version == 5
    for order in itertools.permutations(HISTORY):
        assert deliver(list(order)) == newest, [n.stamp.version for n in order]


def test_older_or_repeated_news_changes_nothing() -> None:
    held = deliver(HISTORY)
    for n in HISTORY:
        assert facts.learn(held, n) is None


def test_the_version_decides_even_against_the_clock() -> None:
    """A producer's clocks may disagree: the member's version orders news."""
    held = deliver(HISTORY[:4])
    late_but_older = replace(
        HISTORY[1], stamp=facts.Stamp(2, T0 + timedelta(days=1))
    )  # published later (a replay), yet version 2 of the member
    assert facts.learn(held, late_but_older) is None


def test_news_without_a_version_is_ordered_by_time() -> None:
    held = facts.learn(None, replace(HISTORY[0], stamp=facts.Stamp(None, T0)))
    older = replace(HISTORY[1], stamp=facts.Stamp(None, T0 - timedelta(seconds=1)))
    newer = replace(HISTORY[1], stamp=facts.Stamp(None, T0 + timedelta(seconds=1)))
    assert facts.learn(held, older) is None
    learned = facts.learn(held, newer)
    assert learned is not None and learned.name == "Ashland City"


def test_a_snapshot_shows_the_standing_only_when_seen() -> None:
    hidden = facts.from_snapshot("m-1", {"name": "Ashland", "state": "OR"}, T0)
    assert hidden.standing is None and hidden.profile is not None
    shown = facts.from_snapshot(
        "m-1",
        {"name": "Ashland", "status": "ACTIVE", "good_standing": True, "version": 7},
        T0,
    )
    assert shown.standing == facts.Standing("ACTIVE", True)
    assert shown.stamp.version == 7
