"""The directory: accent- and case-free search, every filter, who sees what,
sort orders and pages with totals."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.partnerships.conftest import (
    AGREEMENT,
    ANON,
    STAFF,
    Partnerships,
    member_user,
)


def ids(page: dict[str, Any]) -> list[str]:
    return [p["id"] for p in page["items"]]


def search(ps: Partnerships, filter: dict[str, Any], identity: Any = ANON, **kw: Any):
    return ps.call("search_partnerships", filter, identity=identity, **kw)


@pytest.fixture(scope="module")
def world(pships: Partnerships) -> dict[str, Any]:
    """Two members in two states with partnerships all over the world."""
    north = pships.member(state="AK", name="Ånchorage Test")
    south = pships.member(state="TX")
    made: dict[str, Any] = {"north": north, "south": south}

    def active(member: str, city: str, country: str, **kw: Any) -> str:
        signed = kw.pop("signed_on", None)
        p = pships.propose(member, city=city, country=country, **kw)
        pships.call(
            "record_agreement",
            p["id"],
            {**AGREEMENT, **({"signed_on": signed} if signed else {})},
        )
        return str(pships.call("activate_partnership", p["id"])["id"])

    made["tromso"] = active(north, "Tromsø", "NO", signed_on="1969-06-01")
    made["lodz"] = active(north, "Łódź", "PL", signed_on="1990-01-01")
    made["sao"] = active(
        south,
        "São Paulo",
        "BR",
        type="FRIENDSHIP",
        program_areas=["BUSINESS_TRADE"],
        signed_on="2001-01-01",
    )
    made["accra"] = active(south, "Accra", "GH", partner_region="Greater Accra")
    made["hue"] = active(south, "Huế", "VN", program_areas=["ARTS_CULTURE"])
    made["proposed"] = pships.propose(north, city="Gdańsk", country="PL")["id"]
    made["dormant"] = active(south, "Mérida", "MX")
    pships.call("mark_partnership_dormant", made["dormant"], "quiet")
    made["mine"] = [north, south]
    return made


def test_search_ignores_accents_and_case(pships: Partnerships, world: Any) -> None:
    mine = {"member_ids": world["mine"]}
    for query in ("tromso", "TROMSØ", "Tromso", "troms"):
        assert ids(search(pships, {**mine, "search": query})) == [world["tromso"]]
    assert ids(search(pships, {**mine, "search": "lodz"})) == [world["lodz"]]
    assert ids(search(pships, {**mine, "search": "SAO paulo"})) == [world["sao"]]
    assert ids(search(pships, {**mine, "search": "hue"})) == [world["hue"]]
    # The region and the U.S. member's name are community names too.
    assert ids(search(pships, {**mine, "search": "greater accra"})) == [world["accra"]]
    assert set(ids(search(pships, {**mine, "search": "anchorage"}))) == {
        world["tromso"],
        world["lodz"],
    }
    # Without scoping to our members, the public directory still finds it.
    found = search(pships, {"search": "Tromsø"}, first=200)
    assert world["tromso"] in ids(found)


FILTERS = [
    ({"state": "ak"}, {"tromso", "lodz"}),
    ({"country": "pl"}, {"lodz"}),
    ({"continent": "SA"}, {"sao"}),
    ({"focus_region": "AFRICA"}, {"accra"}),
    ({"focus_region": "SOUTHEAST_ASIA"}, {"hue"}),
    ({"focus_region": "LATIN_AMERICA"}, {"sao"}),
    ({"type": "FRIENDSHIP"}, {"sao"}),
    ({"program_area": "ARTS_CULTURE"}, {"hue"}),
    ({"program_area": "BUSINESS_TRADE"}, {"sao"}),
    ({"status": "ACTIVE", "country": "PL"}, {"lodz"}),
]


@pytest.mark.parametrize(("filter", "expected"), FILTERS)
def test_each_filter(
    pships: Partnerships, world: Any, filter: dict[str, Any], expected: set[str]
) -> None:
    page = search(pships, {"member_ids": world["mine"], **filter}, first=50)
    assert set(ids(page)) == {world[k] for k in expected}
    assert page["total"] == len(expected)


def test_who_sees_what(pships: Partnerships, world: Any) -> None:
    mine = {"member_ids": world["mine"]}
    public = set(ids(search(pships, mine, first=50)))
    assert world["proposed"] not in public and world["dormant"] not in public
    assert len(public) == 5

    north_user = member_user(world["north"])
    seen = set(ids(search(pships, mine, identity=north_user, first=50)))
    assert seen == public | {world["proposed"]}  # its own, not the south's dormant

    staff = set(ids(search(pships, mine, identity=STAFF, first=50)))
    assert staff == public | {world["proposed"], world["dormant"]}
    # Filtering on status never reveals more than the caller may see.
    assert ids(search(pships, {**mine, "status": "DORMANT"})) == []
    got = pships.call("get_partnerships", [world["dormant"], "nope"], identity=ANON)
    assert got == [None, None]


def test_agreement_details_only_for_staff_and_the_member(
    pships: Partnerships, world: Any
) -> None:
    pid = world["tromso"]
    assert pships.get(pid, identity=ANON)["agreement"] is None
    assert pships.get(pid, identity=member_user(world["south"]))["agreement"] is None
    own = pships.get(pid, identity=member_user(world["north"]))
    assert own["agreement"]["council_resolution"] == "Resolution 2024-17"
    (history,) = pships.call("partnership_histories", [pid], identity=ANON)
    assert history and all(h["actor"] is None for h in history)


def test_sorting_by_name_and_date(pships: Partnerships, world: Any) -> None:
    mine = {"member_ids": world["mine"]}
    by_name = [
        world[k] for k in ("accra", "hue", "lodz", "sao", "tromso")
    ]  # accra, hue, lodz, sao paulo, tromso
    assert ids(search(pships, mine, order_by="NAME_ASC", first=50)) == by_name
    assert ids(search(pships, mine, order_by="NAME_DESC", first=50)) == by_name[::-1]
    dated = ids(search(pships, mine, order_by="DATE_ASC", first=50))
    assert dated[:3] == [world["tromso"], world["lodz"], world["sao"]]
    newest = ids(search(pships, mine, order_by="DATE_DESC", first=50))
    assert newest.index(world["sao"]) < newest.index(world["tromso"])


def test_pages_with_totals(pships: Partnerships, world: Any) -> None:
    mine = {"member_ids": world["mine"]}
    seen: list[str] = []
    offset = 0
    while True:
        page = search(pships, mine, first=2, offset=offset)
        assert page["total"] == 5
        seen += ids(page)
        offset += 2
        if offset >= page["total"]:
            break
    assert len(seen) == len(set(seen)) == 5
    assert search(pships, mine, first=0)["items"] == []


@pytest.mark.parametrize(
    ("filter", "kw", "field"),
    [
        ({"state": "XX"}, {}, "state"),
        ({"country": "ZZ"}, {}, "country"),
        ({"continent": "Atlantis"}, {}, "continent"),
        ({"focus_region": "MOON"}, {}, "focusRegion"),
        ({"status": "ALIVE"}, {}, "status"),
        ({"planet": "Mars"}, {}, "planet"),
        ({}, {"first": 1000}, "first"),
        ({}, {"order_by": "RANDOM"}, "orderBy"),
        ({}, {"offset": -1}, "after"),
    ],
)
def test_bad_searches_name_the_field(
    pships: Partnerships, filter: dict[str, Any], kw: dict[str, Any], field: str
) -> None:
    err = pships.refused("search_partnerships", filter, identity=ANON, **kw)
    assert err.exc_type == "BadInput" and err.value.startswith(f"{field}:")


def test_member_partnerships_batched(pships: Partnerships, world: Any) -> None:
    north, south = world["mine"]
    got = pships.call("partnerships_of_members", [south, "unknown", north])
    assert [len(g) for g in got] == [4, 0, 3]


def test_totals_follow_every_change_at_once(pships: Partnerships) -> None:
    """Counts are cached per directory version: each visible change is counted
    by the very next search, in every visibility, with or without a page."""
    member = pships.member(state="VT")
    mine = {"member_ids": [member]}

    def totals() -> tuple[int, int, int]:
        return (
            search(pships, mine)["total"],  # the public directory
            search(pships, mine, identity=STAFF)["total"],
            search(pships, mine, first=0)["total"],  # the count alone
        )

    assert totals() == (0, 0, 0)
    first = pships.active(member, country="IS")
    assert totals() == (1, 1, 1)
    proposed = pships.propose(member, country="FI")
    assert totals() == (1, 2, 1)
    pships.call("terminate_partnership", proposed["id"], "withdrawn")
    assert totals() == (1, 2, 1)  # staff see terminated ones too
    # A lapse arrives as an event: recognition, and so the public count, follow
    # as soon as it is applied. (Applied may take a while in the full suite:
    # the service may still be working through the member tests' events.)
    pships.standing(member, good=False, status="LAPSED")
    pships.wait_member(member, good_standing=False, timeout=60)
    assert totals() == (0, 2, 0)
    pships.standing(member, good=True, status="ACTIVE")
    pships.wait_member(member, good_standing=True, timeout=60)
    assert totals() == (1, 2, 1)
    assert search(pships, mine)["items"][0]["id"] == first["id"]
