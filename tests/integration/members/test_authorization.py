"""Who may do what, checked by the service itself: each wrong caller is refused
and nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from nameko.exceptions import RemoteError

from common.identity import Identity
from tests.integration.members.conftest import (
    ANONYMOUS,
    REVIEWER,
    Members,
    bands,
    member_user,
    unique,
)


def refused(call: Callable[[], Any], exc_type: str) -> None:
    with pytest.raises(RemoteError) as error:
        call()
    assert error.value.exc_type == exc_type, error.value


def refused_rpc(
    members: Members, caller: Identity, exc_type: str, method: str, *args: Any
) -> None:
    refused(lambda: members.rpc(method, *args, identity=caller), exc_type)


def snapshot(members: Members, member_id: str) -> list[Any]:
    return members.db(
        "SELECT m.name, m.population, m.contact_email, m.status, m.version, "
        "(SELECT count(*) FROM invoices i WHERE i.member_id = m.member_id), "
        "(SELECT count(*) FROM status_changes s WHERE s.member_id = m.member_id) "
        "FROM members m WHERE m.member_id = :m",
        m=member_id,
    )


@pytest.fixture(scope="module")
def two_members(members: Members) -> tuple[str, str]:
    members.set_today(date(2049, 3, 1))
    members.schedule(2049)
    return (
        members.register(population=9_000)["member_id"],
        members.register(population=9_500)["member_id"],
    )


# What anyone may see of a member, and nothing more.
DIRECTORY_FIELDS = {"member_id", "name", "kind", "state", "website"}

WRONG_STAFF_CALLERS = [
    (ANONYMOUS, "Unauthenticated"),
    (REVIEWER, "Forbidden"),
]


@pytest.mark.parametrize(("caller", "error"), WRONG_STAFF_CALLERS)
def test_only_staff_register(members: Members, caller: Identity, error: str) -> None:
    name = unique("Intruder")
    data = {
        "name": name,
        "kind": "CITY",
        "state": "NY",
        "population": 100,
        "contact_email": "a@b.example",
    }
    refused(lambda: members.rpc("register_member", data, identity=caller), error)
    member = member_user("00000000-0000-0000-0000-000000000000")
    refused(lambda: members.rpc("register_member", data, identity=member), "Forbidden")
    assert members.db("SELECT 1 FROM members WHERE name = :n", n=name) == []


def test_staff_only_dues_operations(
    members: Members, two_members: tuple[str, str]
) -> None:
    mine, _ = two_members
    before = members.rpc("get_dues_schedule", 2049)
    for caller, error in [*WRONG_STAFF_CALLERS, (member_user(mine), "Forbidden")]:
        cheap = bands((1, 1, 1, 1, 1, 1))
        refused_rpc(members, caller, error, "set_dues_schedule", 2049, cheap)
        refused_rpc(members, caller, error, "open_dues_year", 2049)
        refused_rpc(members, caller, error, "run_daily")
        refused_rpc(members, caller, error, "set_clock", "2000-01-01")
    assert members.rpc("get_dues_schedule", 2049) == before
    assert members.rpc("get_clock")["today"] == "2049-03-01"
    assert members.db("SELECT 1 FROM invoices WHERE member_id = :m", m=mine) != []


def test_a_member_user_changes_only_its_own_contact_details(
    members: Members, two_members: tuple[str, str]
) -> None:
    mine, theirs = two_members
    me = member_user(mine)
    before_mine, before_theirs = snapshot(members, mine), snapshot(members, theirs)
    refused(
        lambda: members.rpc("update_member", theirs, {"name": "Taken"}, identity=me),
        "Forbidden",
    )
    refused(
        lambda: members.rpc("update_member", mine, {"population": 1}, identity=me),
        "Forbidden",
    )
    refused(
        lambda: members.rpc(
            "update_member", mine, {"name": "Anon"}, identity=ANONYMOUS
        ),
        "Unauthenticated",
    )
    refused(
        lambda: members.rpc("update_member", mine, {"name": "Rev"}, identity=REVIEWER),
        "Forbidden",
    )
    assert snapshot(members, mine) == before_mine
    assert snapshot(members, theirs) == before_theirs

    updated = members.rpc(
        "update_member", mine, {"contact_email": "mayor@mine.example"}, identity=me
    )
    assert updated["contact_email"] == "mayor@mine.example"
    assert updated["version"] == before_mine[0][4] + 1


def test_only_staff_or_the_member_itself_cancel(
    members: Members, two_members: tuple[str, str]
) -> None:
    mine, theirs = two_members
    before = snapshot(members, theirs)
    for caller, error in [
        (member_user(mine), "Forbidden"),
        (ANONYMOUS, "Unauthenticated"),
        (REVIEWER, "Forbidden"),
    ]:
        refused_rpc(members, caller, error, "cancel_membership", theirs, "no")
    assert snapshot(members, theirs) == before


def test_only_staff_reinstate(members: Members) -> None:
    gone = members.register(population=7_000)["member_id"]
    members.rpc("cancel_membership", gone, "merged", identity=member_user(gone))
    before = snapshot(members, gone)
    for caller, error in [
        (member_user(gone), "Forbidden"),
        (ANONYMOUS, "Unauthenticated"),
        (REVIEWER, "Forbidden"),
    ]:
        refused_rpc(members, caller, error, "reinstate_membership", gone, "back")
    assert snapshot(members, gone) == before
    back = members.rpc("reinstate_membership", gone, "un-merged")
    assert back["status"] != "CANCELLED"
    assert members.statuses(gone)[-2:] == ["CANCELLED", back["status"]]


def test_dues_are_private(members: Members, two_members: tuple[str, str]) -> None:
    mine, theirs = two_members
    me = member_user(mine)
    invoice = members.invoice_for(theirs, 2049)
    own_invoice = members.invoice_for(mine, 2049)
    # Another member's invoice is as unknown as one that never was.
    refused(
        lambda: members.rpc("get_invoice", invoice["invoice_id"], identity=me),
        "NotFound",
    )
    refused(
        lambda: members.rpc("get_invoice", invoice["invoice_id"], identity=ANONYMOUS),
        "Unauthenticated",
    )
    assert members.rpc("get_invoice", own_invoice["invoice_id"], identity=me)
    assert members.rpc("member_invoices", [mine, theirs], identity=me)[1] is None
    assert members.rpc("status_histories", [theirs], identity=me) == [None]
    refused(
        lambda: members.rpc("get_dues_schedule", 2049, identity=ANONYMOUS),
        "Unauthenticated",
    )

    public = members.rpc("get_member", theirs, identity=ANONYMOUS)
    assert set(public) == DIRECTORY_FIELDS
    assert set(members.rpc("get_member", theirs, identity=me)) == set(public)
    reviewer_view = members.rpc("get_member", theirs, identity=REVIEWER)
    assert {"status", "good_standing", "population"} <= set(reviewer_view)
    assert "contact_email" not in reviewer_view
    own = members.rpc("get_member", mine, identity=me)
    assert {"contact_email", "dues_band", "status"} <= set(own)

    refused(
        lambda: members.rpc(
            "list_members", {"status": "LAPSED"}, 5, identity=ANONYMOUS
        ),
        "Forbidden",
    )
    page = members.rpc("list_members", {"state": "OH"}, 3, identity=ANONYMOUS)
    assert all(set(e["node"]) == DIRECTORY_FIELDS for e in page["edges"])
