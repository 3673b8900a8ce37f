"""Statistics: by country, continent and U.S. state, the focus regions with
their share, growth by year; computed by hand here from what the test made."""

from __future__ import annotations

from typing import Any

from tests.integration.partnerships.conftest import (
    AGREEMENT,
    ANON,
    STAFF,
    Partnerships,
)


def counts(items: list[dict[str, Any]]) -> dict[str, int]:
    return {i["code"]: i["count"] for i in items}


def test_statistics_by_region_with_focus_shares(pships: Partnerships) -> None:
    east = pships.member(state="ME")
    west = pships.member(state="WA")
    made = [
        (east, "Accra", "GH", "2001-05-01"),
        (east, "Kumasi", "GH", "2001-09-01"),
        (east, "Dakar", "SN", None),
        (west, "Hanoi", "VN", "2010-01-01"),
        (west, "Kobe", "JP", None),
        (west, "Lyon", "FR", None),
        (west, "Cusco", "PE", None),
        (west, "Puebla", "MX", "2010-03-01"),
    ]
    for member, city, country, signed in made:
        p = pships.propose(member, city=city, country=country)
        agreement = {**AGREEMENT, "signed_on": signed} if signed else AGREEMENT
        pships.call("record_agreement", p["id"], agreement)
        pships.call("activate_partnership", p["id"])
    # Not recognized, so not counted: proposed, dormant.
    pships.propose(east, city="Abuja", country="NG")
    dormant = pships.propose(west, city="Osaka", country="JP")
    pships.call("record_agreement", dormant["id"], AGREEMENT)
    pships.call("activate_partnership", dormant["id"])
    pships.call("mark_partnership_dormant", dormant["id"], "quiet")

    stats = pships.call(
        "partnership_stats", {"member_ids": [east, west]}, identity=ANON
    )
    assert stats["total"] == 8
    assert counts(stats["by_country"]) == {
        "GH": 2,
        "SN": 1,
        "VN": 1,
        "JP": 1,
        "FR": 1,
        "PE": 1,
        "MX": 1,
    }
    assert stats["by_country"][0] == {"code": "GH", "name": "Ghana", "count": 2}
    assert counts(stats["by_continent"]) == {
        "AF": 3,
        "AS": 2,
        "EU": 1,
        "SA": 1,
        "NA": 1,
    }
    assert counts(stats["by_state"]) == {"ME": 3, "WA": 5}
    regions = {r["code"]: r for r in stats["focus_regions"]}
    assert {k: (r["count"], r["share"]) for k, r in regions.items()} == {
        "AFRICA": (3, 0.375),
        "SOUTHEAST_ASIA": (1, 0.125),
        "EAST_ASIA": (1, 0.125),
        "LATIN_AMERICA": (2, 0.25),
    }
    assert "VN" in regions["SOUTHEAST_ASIA"]["countries"]
    growth = {g["year"]: (g["count"], g["cumulative"]) for g in stats["growth_by_year"]}
    current = int(AGREEMENT["signed_on"][:4])
    assert growth[2001] == (2, 2) and growth[2010] == (2, 4)
    assert growth[current] == (4, 8)  # the others were signed recently
    assert stats["with_known_year"] == 8

    # Staff may count other states of the workflow on purpose.
    dormant_stats = pships.call(
        "partnership_stats",
        {"member_ids": [east, west], "status": "DORMANT"},
        identity=STAFF,
    )
    assert counts(dormant_stats["by_country"]) == {"JP": 1}
    # ... which the public cannot.
    hidden = pships.call(
        "partnership_stats",
        {"member_ids": [east, west], "status": "DORMANT"},
        identity=ANON,
    )
    assert hidden["total"] == 0


def test_statistics_filter_by_focus_region(pships: Partnerships) -> None:
    m = pships.member(state="NM")
    for city, country in (("Oaxaca", "MX"), ("Lima", "PE"), ("Nice", "FR")):
        pships.active(m, city=city, country=country)
    stats = pships.call(
        "partnership_stats", {"member_id": m, "focus_region": "LATIN_AMERICA"}
    )
    assert counts(stats["by_country"]) == {"MX": 1, "PE": 1}
    latin = next(r for r in stats["focus_regions"] if r["code"] == "LATIN_AMERICA")
    assert latin["share"] == 1.0
