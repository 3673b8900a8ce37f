"""Reading members: registration rules, the directory connection, batch lookups."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from nameko.exceptions import RemoteError

from tests.integration.members.conftest import Members

BAD_INPUT = [
    ({"state": "XX"}, "state"),
    ({"kind": "VILLAGE"}, "kind"),
    ({"population": 0}, "population"),
    ({"population": None}, "population"),
    ({"contact_email": "not-an-email"}, "contact_email"),
    ({"name": "  "}, "name"),
    ({"population": 10, "dues_band": "OVER_500K"}, "dues_band"),
]


@pytest.mark.parametrize(("change", "field"), BAD_INPUT)
def test_bad_registrations_name_the_field_and_change_nothing(
    members: Members, change: dict[str, Any], field: str
) -> None:
    name = f"Badville {uuid.uuid4().hex[:8]}"
    data = {
        "name": name,
        "kind": "CITY",
        "state": "TX",
        "population": 1_000,
        "contact_email": "a@b.example",
        **change,
    }
    with pytest.raises(RemoteError) as error:
        members.rpc("register_member", data)
    assert error.value.exc_type == "BadInput"
    assert field in str(error.value.value)
    assert members.db("SELECT 1 FROM members WHERE name = :n", n=name) == []


def test_no_duplicate_name_kind_and_state(members: Members) -> None:
    first = members.register(population=1_500, state="VT")
    with pytest.raises(RemoteError) as error:
        members.register(
            population=1_600, state="vt", name=f"  {first['name'].upper()} "
        )
    assert error.value.exc_type == "Conflict"
    # Same name as a county is another community.
    county = members.register(
        population=None,
        kind="COUNTY",
        state="VT",
        name=first["name"],
        dues_band="UP_TO_25K",
    )
    assert county["kind"] == "COUNTY"


def test_the_directory_pages_in_name_order_with_a_total(members: Members) -> None:
    members.set_today(date(2050, 5, 1))
    tag = uuid.uuid4().hex[:6]
    names = [f"Pagetown {tag} {n:02d}" for n in range(7)]
    for name in reversed(names):
        members.register(population=2_000, state="WY", name=name)
    seen, after = [], None
    while True:
        page = members.rpc(
            "list_members", {"search": f"pagetown {tag}", "state": "WY"}, 3, after
        )
        assert page["total_count"] == 7
        seen += [e["node"]["name"] for e in page["edges"]]
        if not page["page_info"]["has_next_page"]:
            break
        after = page["page_info"]["end_cursor"]
    assert seen == names
    staff_page = members.rpc(
        "list_members", {"search": tag, "status": "PENDING", "kind": "CITY"}, 100
    )
    assert staff_page["total_count"] == 7
    with pytest.raises(RemoteError) as error:
        members.rpc("list_members", None, 5, "garbage")
    assert error.value.exc_type == "BadInput"


def test_batch_lookups_keep_the_callers_order(members: Members) -> None:
    a = members.register(population=3_000, state="ME")
    b = members.register(population=3_100, state="ME")
    missing = str(uuid.uuid4())
    found = members.rpc("get_members", [b["member_id"], missing, a["member_id"]])
    assert [m and m["member_id"] for m in found] == [
        b["member_id"],
        None,
        a["member_id"],
    ]
    by_name = members.rpc(
        "find_members",
        [[a["name"].lower(), "me"], ["Nowhere", "ME"], [b["name"], "ME"]],
    )
    assert [m and m["member_id"] for m in by_name] == [
        a["member_id"],
        None,
        b["member_id"],
    ]
    with pytest.raises(RemoteError) as error:
        members.rpc("get_member", missing)
    assert error.value.exc_type == "NotFound"
