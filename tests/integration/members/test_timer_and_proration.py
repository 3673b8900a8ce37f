"""Settings that need a restart: proration of joiners, and the daily timer
itself (every second here) moving a member without anyone calling run_daily."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from tests.integration.members.conftest import AMOUNTS, CLOCK_ENV, Members
from tests.support.platform import Platform
from tests.support.wait import wait_until

RESTARTED = {
    **CLOCK_ENV,
    "MEMBERS_PRORATE_JOINERS": "true",
    "MEMBERS_DAILY_JOB_INTERVAL_SECONDS": "1",
}


@pytest.fixture(scope="module")
def restarted(platform: Platform, members: Members) -> Iterator[Members]:
    platform.stop("members")
    platform.start("members", env=RESTARTED)
    yield members
    platform.stop("members")  # back to the session's settings for the others
    platform.start("members", env=CLOCK_ENV)


def test_a_joiner_pays_for_the_days_left(restarted: Members) -> None:
    restarted.set_today(date(2058, 10, 1))  # 92 of 365 days left
    restarted.schedule(2058)
    member = restarted.register(population=30_000)
    invoice = restarted.invoice_for(member["member_id"], 2058)
    assert invoice["prorated"]
    assert (invoice["covered_days"], invoice["year_days"]) == (92, 365)
    assert invoice["full_amount_cents"] == AMOUNTS[1]
    assert invoice["amount_cents"] == round(AMOUNTS[1] * 92 / 365)


def test_the_timer_moves_members_on_its_own(restarted: Members) -> None:
    restarted.set_today(date(2060, 2, 1))
    restarted.schedule(2060, grace_days=3)
    member_id = restarted.register(population=2_000)["member_id"]
    assert restarted.member(member_id)["status"] == "PENDING"
    restarted.set_today(date(2060, 2, 5))  # due 02-01, grace until 02-04
    wait_until(
        lambda: restarted.member(member_id)["status"] == "LAPSED",
        timeout=15,
        message="the timer lapsed the member",
    )
    (change,) = [c for c in restarted.history(member_id) if c["new_status"] == "LAPSED"]
    assert change["effective_on"] == "2060-02-05"
