"""A new member's first two pieces of news, handled at the same time, on
PostgreSQL: the second waits for the first instead of failing on its insert."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine

from common.db import make_session_factory
from contracts import member_facts as facts
from services.grants.adapters.repository import Facts
from tests.integration.grants.conftest import Grants
from tests.support.platform import Platform
from tests.support.wait import wait_until
from tests.unit.grants import builders as b


def test_a_member_first_seen_by_two_transactions_at_once_is_one_row(
    platform: Platform,
) -> None:
    engine = create_engine(platform.database_urls["grants"])
    sessions = make_session_factory(engine)
    member_id = f"m-race-{uuid.uuid4().hex[:8]}"
    at = datetime.now(UTC)
    second: dict[str, Any] = {}
    try:
        with sessions() as first:
            news = Facts(first).member(member_id, create=True)
            assert news is not None
            news.learn(
                facts.MemberNews(
                    member_id,
                    facts.Stamp(1, at),
                    profile=facts.Profile("Racine", "CITY", "WI", None),
                )
            )
            first.flush()  # inserted, not committed: the other one must wait

            def other() -> None:
                try:
                    with sessions() as session:
                        found = Facts(session).member(member_id, create=True)
                        assert found is not None
                        found.learn(
                            facts.MemberNews(
                                member_id,
                                facts.Stamp(2, at + timedelta(seconds=1)),
                                standing=facts.Standing("ACTIVE", True),
                            )
                        )
                        session.commit()
                        second["name"] = found.name
                except Exception as exc:
                    second["error"] = exc

            thread = threading.Thread(target=other)
            thread.start()
            thread.join(1)
            assert thread.is_alive()  # waiting on the first one's row
            first.commit()
            thread.join(10)
        assert "error" not in second, second.get("error")
        assert second["name"] == "Racine"  # it saw the first one's news
        with sessions() as session:
            row = Facts(session).member(member_id)
            assert row is not None
            assert (row.name, row.status, row.good_standing) == (
                "Racine",
                "ACTIVE",
                True,
            )
    finally:
        engine.dispose()


def test_news_of_many_new_members_at_once_is_taken_without_a_retry(
    grants: Grants,
) -> None:
    log = grants.platform.processes["grants"].log_path
    before = log.read_text(errors="replace").count("failed (attempt")
    members = [b.uid("m-") for _ in range(30)]
    for member_id in members:
        registered = b.member_registered(member_id, f"Town {member_id}", 20_000, False)
        grants.publish("members", "member_registered", registered)
        grants.publish(
            "members",
            "membership_status_changed",
            {
                "member_id": member_id,
                "old_status": "PENDING",
                "new_status": "ACTIVE",
                "good_standing": True,
                "reason": "dues paid",
                "changed_at": datetime.now(UTC).isoformat(),
            },
        )
    for member_id in members:
        grants.wait_member(member_id, status="ACTIVE", good_standing=True)

    def retries() -> int:
        text = log.read_text(errors="replace")
        return text.count("failed (attempt") - before

    # Nothing waits in a retry queue either: every event was claimed once.
    wait_until(
        lambda: all(
            grants.row(
                "SELECT count(*) AS n FROM member_facts WHERE member_id = :m",
                m=member_id,
            )["n"]
            == 1
            for member_id in members
        ),
        message="one row per member",
    )
    assert retries() == 0
