"""Membership status by the clock (moved by RPC, never by sleeping), reminders."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.integration.members.conftest import Members
from tests.support.wait import wait_until


def status_events(members: Members, member_id: str) -> list[tuple[Any, ...]]:
    return members.db(
        "SELECT envelope::jsonb -> 'payload' ->> 'old_status', "
        "envelope::jsonb -> 'payload' ->> 'new_status', "
        "envelope::jsonb -> 'payload' ->> 'good_standing', "
        "envelope::jsonb -> 'payload' ->> 'state' FROM outbox "
        "WHERE event_type = 'membership_status_changed' "
        "AND envelope::jsonb -> 'payload' ->> 'member_id' = :m ORDER BY id",
        m=member_id,
    )


def reminders(members: Members, invoice_id: str) -> list[str]:
    rows = members.db(
        "SELECT envelope::jsonb -> 'payload' ->> 'reminder' FROM outbox "
        "WHERE event_type = 'dues_reminder_due' "
        "AND envelope::jsonb -> 'payload' ->> 'invoice_id' = :i ORDER BY id",
        i=invoice_id,
    )
    return [r[0] for r in rows]


def test_status_goes_pending_active_grace_lapsed_by_the_clock(members: Members) -> None:
    members.set_today(date(2037, 11, 20))
    members.schedule(2038)
    members.rpc("open_dues_year", 2038)
    member = members.register(population=12_000)
    member_id = member["member_id"]
    assert (member["status"], member["good_standing"]) == ("PENDING", False)
    first = members.invoice_for(member_id, 2038)  # a later year already opened
    assert first["due_date"] == "2038-01-01"

    members.pay(first)
    wait_until(lambda: members.member(member_id)["status"] == "ACTIVE", message="paid")
    assert members.invoice_for(member_id, 2038)["status"] == "PAID"

    members.set_today(date(2038, 11, 1))
    members.schedule(2039)  # default grace: 30 days
    members.rpc("open_dues_year", 2039)
    second = members.invoice_for(member_id, 2039)

    assert members.run_daily(date(2039, 1, 1))["as_of"] == "2039-01-01"
    assert members.member(member_id)["status"] == "ACTIVE"  # due today: not late yet
    members.run_daily(date(2039, 1, 2))
    grace = members.member(member_id)
    assert (grace["status"], grace["good_standing"]) == ("GRACE", True)
    members.run_daily(date(2039, 1, 31))
    assert members.member(member_id)["status"] == "GRACE"  # last day of grace
    members.run_daily(date(2039, 2, 1))
    lapsed = members.member(member_id)
    assert (lapsed["status"], lapsed["good_standing"]) == ("LAPSED", False)

    # Idempotent: running the same day again moves nothing, repeats nothing.
    members.run_daily(date(2039, 2, 1))
    history = members.history(member_id)
    assert [(c["old_status"], c["new_status"]) for c in history] == [
        (None, "PENDING"),
        ("PENDING", "ACTIVE"),
        ("ACTIVE", "GRACE"),
        ("GRACE", "LAPSED"),
    ]
    assert history[0]["reason"] == "registered"
    assert "payment" in history[1]["reason"]
    assert history[2]["effective_on"] == "2039-01-02"
    assert "grace period" in history[3]["reason"]
    assert all(c["changed_at"] for c in history)
    assert status_events(members, member_id) == [
        (None, "PENDING", "false", "OH"),
        ("PENDING", "ACTIVE", "true", "OH"),
        ("ACTIVE", "GRACE", "true", "OH"),
        ("GRACE", "LAPSED", "false", "OH"),
    ]

    # Paying late brings it back.
    members.pay(second)
    wait_until(lambda: members.member(member_id)["status"] == "ACTIVE", message="back")


def test_reminders_30_and_7_days_before_and_when_grace_starts(members: Members) -> None:
    members.set_today(date(2043, 11, 15))
    member = members.register(population=80_000)
    unpaid_member = members.register(population=81_000)
    members.schedule(2044)
    members.rpc("open_dues_year", 2044)
    paid = members.invoice_for(member["member_id"], 2044)
    unpaid = members.invoice_for(unpaid_member["member_id"], 2044)
    members.pay(paid)
    members.wait_invoice(member["member_id"], 2044, "PAID")

    members.run_daily(date(2043, 12, 1))  # 31 days before: nothing yet
    assert reminders(members, unpaid["invoice_id"]) == []
    members.run_daily(date(2043, 12, 2))
    members.run_daily(date(2043, 12, 2))
    members.run_daily(date(2043, 12, 3))
    assert reminders(members, unpaid["invoice_id"]) == ["DUE_IN_30_DAYS"]
    members.run_daily(date(2043, 12, 25))
    members.run_daily(date(2044, 1, 1))
    assert reminders(members, unpaid["invoice_id"]) == [
        "DUE_IN_30_DAYS",
        "DUE_IN_7_DAYS",
    ]
    members.run_daily(date(2044, 1, 2))
    members.run_daily(date(2044, 1, 3))
    assert reminders(members, unpaid["invoice_id"]) == [
        "DUE_IN_30_DAYS",
        "DUE_IN_7_DAYS",
        "GRACE_STARTED",
    ]
    assert reminders(members, paid["invoice_id"]) == []  # never for a paid invoice

    # A cancelled member's invoice is void: no reminders either.
    members.set_today(date(2044, 11, 1))
    gone = members.register(population=5_000)
    if members.rpc("get_dues_schedule", 2045) is None:
        members.schedule(2045)
    members.rpc("open_dues_year", 2045)
    void = members.invoice_for(gone["member_id"], 2045)
    members.rpc("cancel_membership", gone["member_id"], "merged with a neighbour")
    assert members.invoice_for(gone["member_id"], 2045)["status"] == "VOID"
    members.run_daily(date(2044, 12, 5))
    members.run_daily(date(2045, 1, 2))
    assert reminders(members, void["invoice_id"]) == []
    assert members.member(gone["member_id"])["status"] == "CANCELLED"


def test_a_new_member_that_never_pays_lapses_after_grace(members: Members) -> None:
    members.set_today(date(2047, 12, 1))
    members.schedule(2048, grace_days=5)
    members.rpc("open_dues_year", 2048)
    member_id = members.register(population=3_000)["member_id"]
    members.run_daily(date(2048, 1, 3))
    assert members.member(member_id)["status"] == "PENDING"  # never paid: not GRACE
    members.run_daily(date(2048, 1, 7))
    assert members.member(member_id)["status"] == "LAPSED"
