"""The directory: accent- and case-free search, every filter, who sees what,
sort orders and pages with totals."""

from __future__ import annotations

import random
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
    return [e["node"]["id"] for e in page["edges"]]


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
    assert page["total_count"] == len(expected)


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
    after = None
    while True:
        page = search(pships, mine, first=2, after=after)
        assert page["total_count"] == 5
        seen += ids(page)
        after = page["page_info"]["end_cursor"]
        if not page["page_info"]["has_next_page"]:
            break
    assert len(seen) == len(set(seen)) == 5
    assert search(pships, mine, first=0)["edges"] == []


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
        ({}, {"after": "bm90IG91cnM="}, "after"),
        ({}, {"after": "WyItMSJd"}, "after"),  # ["-1"]
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
            search(pships, mine)["total_count"],  # the public directory
            search(pships, mine, identity=STAFF)["total_count"],
            search(pships, mine, first=0)["total_count"],  # the count alone
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
    assert ids(search(pships, mine))[0] == first["id"]


# Values a search may set, two or more each: the service reuses one statement
# per shape (which filters are set), so a search must never get the rows of an
# earlier search of the same shape with other values.
VALUES: dict[str, list[Any]] = {
    "state": ["AK", "TX"],
    "country": ["PL", "BR", "NO"],
    "continent": ["EU", "SA", "AF"],
    "focus_region": ["AFRICA", "LATIN_AMERICA", "SOUTHEAST_ASIA"],
    "type": ["SISTER", "FRIENDSHIP"],
    "status": ["ACTIVE", "DORMANT", "PROPOSED"],
    "program_area": ["ARTS_CULTURE", "BUSINESS_TRADE", "YOUTH_EDUCATION"],
    "recognized": [True, False],
    "search": ["tromso", "lodz", "a", "a o", "greater accra", "anchorage"],
}
REGIONS = {
    "AFRICA": {"GH"},
    "LATIN_AMERICA": {"BR", "MX"},
    "SOUTHEAST_ASIA": {"VN"},
}


def expected_ids(
    rows: list[dict[str, Any]], filter: dict[str, Any], sees: Any
) -> list[str]:
    """What the directory must return, worked out here from the stored rows."""

    def matches(r: dict[str, Any]) -> bool:
        words = str(filter.get("search", "")).split()
        return (
            sees(r)
            and r["member_id"] in filter["member_ids"]
            and filter.get("state", r["member_state"]) == r["member_state"]
            and filter.get("country", r["country"]) == r["country"]
            and filter.get("continent", r["continent"]) == r["continent"]
            and r["country"]
            in REGIONS.get(filter.get("focus_region", ""), {r["country"]})
            and filter.get("type", r["type"]) == r["type"]
            and filter.get("status", r["status"]) == r["status"]
            and filter.get("program_area", r["program_areas"][0]) in r["program_areas"]
            and filter.get("recognized", r["recognized"]) == r["recognized"]
            and all(w in r["search_text"] for w in words)
        )

    found = sorted((r for r in rows if matches(r)), key=lambda r: (r["key"], r["id"]))
    return [r["id"] for r in found]


def test_every_filter_combination_gets_its_own_rows(
    pships: Partnerships, world: Any
) -> None:
    north, south = world["mine"]
    stored = {
        r["id"]: r
        for r in pships.rows(
            "SELECT id, partner_key, search_text FROM partnerships "
            "WHERE member_id IN (:north, :south)",
            north=north,
            south=south,
        )
    }
    rows = [
        {
            **p,
            "key": stored[p["id"]]["partner_key"],
            "search_text": stored[p["id"]]["search_text"],
            # no areas: the program area filter can match nothing
            "program_areas": p["program_areas"] or [None],
        }
        for p in [
            e["node"]
            for e in search(pships, {"member_ids": [north, south]}, STAFF, first=50)[
                "edges"
            ]
        ]
    ]
    callers = [
        (ANON, lambda r: r["recognized"]),
        (member_user(north), lambda r: r["recognized"] or r["member_id"] == north),
        (member_user(south), lambda r: r["recognized"] or r["member_id"] == south),
        (STAFF, lambda r: True),
    ]
    rng = random.Random(11)
    filters: list[dict[str, Any]] = [{}]
    filters += [{k: v} for k, values in VALUES.items() for v in values]
    for _ in range(40):
        keys = rng.sample(sorted(VALUES), rng.randint(2, 4))
        filters.append({k: rng.choice(VALUES[k]) for k in keys})
    scopes = [[north, south], [north], [south]]
    nonempty = 0
    for i, filter in enumerate(filters):
        scoped = {**filter, "member_ids": scopes[i % len(scopes)]}
        for identity, sees in callers:
            want = expected_ids(rows, scoped, sees)
            nonempty += bool(want)
            page = search(pships, scoped, identity, first=50)
            assert (ids(page), page["total_count"]) == (want, len(want)), (
                scoped,
                identity,
            )
            backwards = search(pships, scoped, identity, first=50, order_by="NAME_DESC")
            assert ids(backwards) == want[::-1]
            after = page["edges"][0]["cursor"] if want else None
            middle = search(pships, scoped, identity, first=2, after=after)
            assert (ids(middle), middle["total_count"]) == (want[1:3], len(want))
    assert nonempty > len(filters)  # the combinations do find rows


@pytest.mark.parametrize("query", ["🎉", "🎉🎉 🙂", "!!!", "...", "¿?", "—", "🇯🇵"])
def test_a_search_of_only_emoji_or_punctuation_finds_nothing(
    pships: Partnerships, world: Any, query: str
) -> None:
    everything = search(pships, {}, identity=STAFF, first=1)
    assert everything["total_count"] > 0
    for identity in (ANON, STAFF):
        found = search(pships, {"search": query}, identity=identity, first=200)
        assert (found["edges"], found["total_count"]) == ([], 0)
    stats = pships.call("partnership_stats", {"search": query}, identity=ANON)
    assert stats["total"] == 0
