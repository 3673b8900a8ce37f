"""Recognized = ACTIVE and the member in good standing, from members' events:
a lapse and a payment within seconds, duplicates and stale news ignored, and
no members service needed to read it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from common.envelope import Envelope
from tests.integration.partnerships.conftest import ANON, Partnerships
from tests.support.platform import Platform
from tests.support.wait import wait_until


@pytest.fixture
def members_down(platform: Platform) -> Iterator[None]:
    """Whatever else runs, the members service is stopped during the test."""
    was_running = "members" in platform.processes and (
        platform.processes["members"].running
    )
    if was_running:
        platform.stop("members")
    yield
    if was_running:
        platform.start("members")


def recognition_events(ps: Partnerships, pid: str) -> list[bool]:
    return [
        e["payload"]["recognized"]
        for e in ps.events(pid)
        if e["type"] == "partnership_recognition_changed"
    ]


def wait_recognized(ps: Partnerships, pid: str, expected: bool) -> float:
    started = time.monotonic()
    wait_until(
        lambda: ps.get(pid)["recognized"] is expected,
        timeout=10,
        message=f"recognized={expected}",
    )
    return time.monotonic() - started


def in_directory(ps: Partnerships, pid: str, member_id: str) -> bool:
    page = ps.call("search_partnerships", {"member_id": member_id}, 50, identity=ANON)
    return pid in {e["node"]["id"] for e in page["edges"]}


def test_recognition_follows_a_lapse_and_a_payment(
    pships: Partnerships, members_down: None
) -> None:
    mid = pships.member()
    p = pships.active(mid)
    assert p["recognized"] and in_directory(pships, p["id"], mid)

    pships.standing(mid, good=False, status="LAPSED")
    lapse_seconds = wait_recognized(pships, p["id"], False)
    assert not in_directory(pships, p["id"], mid)  # the public sees recognized only

    pships.standing(mid, good=True, status="ACTIVE")  # dues paid
    pay_seconds = wait_recognized(pships, p["id"], True)
    assert in_directory(pships, p["id"], mid)
    print(f"\nrecognition: lapse {lapse_seconds:.2f} s, payment {pay_seconds:.2f} s")
    assert lapse_seconds < 5 and pay_seconds < 5
    assert recognition_events(pships, p["id"]) == [True, False, True]


def test_grace_is_still_good_standing(pships: Partnerships) -> None:
    mid = pships.member()
    p = pships.active(mid)
    pships.standing(mid, good=True, status="GRACE")
    pships.wait_member(mid, status="GRACE")
    assert pships.get(p["id"])["recognized"] is True
    assert recognition_events(pships, p["id"]) == [True]


def test_a_duplicate_event_changes_nothing(pships: Partnerships) -> None:
    mid = pships.member()
    p = pships.active(mid)
    lapse = pships.standing(mid, good=False, status="LAPSED")
    wait_recognized(pships, p["id"], False)
    pships.publish_envelope(lapse)  # the very same event again
    later = pships.standing(mid, good=False, status="LAPSED")  # a marker after it

    wait_until(
        lambda: pships.row(
            "SELECT 1 FROM processed_events WHERE event_id = :e", e=later.event_id
        ),
        message="the marker event was handled",
    )
    claims = pships.rows(
        "SELECT consumer FROM processed_events WHERE event_id = :e",
        e=lapse.event_id,
    )
    assert len(claims) == 1
    assert recognition_events(pships, p["id"]) == [True, False]


def status_news(
    mid: str, status: str, good: bool, at: datetime, version: int | None = None
) -> Envelope:
    """A status change published at `at`, as the members' relay would."""
    payload: dict[str, object] = {
        "member_id": mid,
        "old_status": None,
        "new_status": status,
        "good_standing": good,
        "reason": "test",
        "changed_at": at.isoformat(),
    }
    if version is not None:
        payload["version"] = version
    return Envelope(
        type="membership_status_changed",
        producer="members",
        payload=payload,
        occurred_at=at.isoformat(),
    )


def test_older_news_arriving_late_is_ignored(pships: Partnerships) -> None:
    mid = pships.member()
    p = pships.active(mid)
    now = datetime.now(UTC)
    newer = status_news(mid, "LAPSED", False, now + timedelta(seconds=5))
    older = status_news(mid, "ACTIVE", True, now + timedelta(seconds=1))
    pships.publish_envelope(newer)
    wait_recognized(pships, p["id"], False)
    pships.publish_envelope(older)
    wait_until(
        lambda: pships.row(
            "SELECT 1 FROM processed_events WHERE event_id = :e", e=older.event_id
        ),
        message="the older event was handled",
    )
    assert pships.get(p["id"])["recognized"] is False
    assert (
        pships.row("SELECT status FROM members WHERE member_id = :m", m=mid)["status"]
        == "LAPSED"
    )


def test_an_older_member_version_delivered_later_is_ignored(
    pships: Partnerships,
) -> None:
    """contracts.events: the member's `version` orders its news, whatever the
    times say (a replayed or delayed event is published later than it
    happened)."""
    mid = pships.member()
    p = pships.active(mid)
    later = datetime.now(UTC) + timedelta(minutes=5)
    newer = status_news(mid, "LAPSED", False, datetime.now(UTC), version=3)
    # Version 2, though stamped later.
    older = status_news(mid, "ACTIVE", True, later, version=2)
    pships.publish_envelope(newer)
    wait_recognized(pships, p["id"], False)
    pships.publish_envelope(older)
    pships.publish_envelope(newer)  # and the newer one again
    wait_until(
        lambda: pships.row(
            "SELECT 1 FROM processed_events WHERE event_id = :e", e=older.event_id
        ),
        message="the older event was handled",
    )
    row = pships.row("SELECT * FROM members WHERE member_id = :m", m=mid)
    assert (row["status"], row["standing_version"]) == ("LAPSED", 3)
    assert pships.get(p["id"])["recognized"] is False


def test_standing_that_overtook_the_registration_is_kept(
    pships: Partnerships,
) -> None:
    """The status change (newer) arrives first; the registration (older) later:
    its profile is taken, its older standing is not."""
    mid = f"m-early-{int(time.time() * 1000)}"
    registered_at = datetime.now(UTC) - timedelta(minutes=5)
    status = pships.standing(mid, good=True, status="ACTIVE")
    pships.wait_member(mid, good_standing=True)
    registration = Envelope(
        type="member_registered",
        producer="members",
        payload={
            "member_id": mid,
            "name": "Early Bird",
            "kind": "CITY",
            "state": "VT",
            "population": 9000,
            "status": "PENDING",
            "good_standing": False,
        },
        occurred_at=registered_at.isoformat(),
    )
    pships.publish_envelope(registration)
    pships.wait_member(mid, name="Early Bird")
    row = pships.row("SELECT * FROM members WHERE member_id = :m", m=mid)
    assert (row["state"], row["population"]) == ("VT", 9000)
    assert (row["status"], row["good_standing"]) == ("ACTIVE", True)
    assert row["standing_as_of"] == datetime.fromisoformat(status.occurred_at)


def test_member_renamed_is_found_by_its_new_name(pships: Partnerships) -> None:
    mid = pships.member(state="ME")
    p = pships.active(mid)
    new_name = f"Renamed Falls {mid}"
    pships.publish(
        "member_updated",
        {
            "member_id": mid,
            "name": new_name,
            "kind": "CITY",
            "state": "NH",
            "population": 100,
            "changed": ["name", "state"],
        },
    )
    pships.wait_member(mid, name=new_name)
    found = pships.call(
        "search_partnerships", {"search": "renamed falls", "state": "NH"}, 50
    )
    assert p["id"] in {e["node"]["id"] for e in found["edges"]}
    assert pships.get(p["id"])["member_name"] == new_name
