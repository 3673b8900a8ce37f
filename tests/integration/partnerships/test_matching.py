"""Partner matching from the real gazetteer: preferences, existing partners
left out (alternate names too), peers seeking the same ranked first, reasons."""

from __future__ import annotations

from tests.integration.partnerships.conftest import (
    ANON,
    Partnerships,
    member_user,
)


def test_suggestions_fit_and_leave_out_existing_partners(pships: Partnerships) -> None:
    mid = pships.member(state="OR", population=150_000)
    user = member_user(mid)
    pships.active(mid, city="Takasaki", country="JP")
    prefs = pships.call(
        "set_partner_preferences",
        mid,
        {
            "countries": ["jp"],
            "program_areas": ["YOUTH_EDUCATION"],
            "population_min": 100_000,
            "population_max": 500_000,
        },
        identity=user,
    )
    assert prefs["countries"] == ["JP"] and prefs["population_max"] == 500_000
    assert pships.call("get_partner_preferences", mid, identity=user)["countries"] == [
        "JP"
    ]

    # Another U.S. member already twinned with Toyota, in youth and education.
    peer = pships.member(state="KY", name="Georgetown Peer")
    pships.active(peer, city="Toyota", country="JP", program_areas=["YOUTH_EDUCATION"])

    found = pships.call("partner_suggestions", mid, 15, identity=user)
    assert len(found) == 15
    assert all(s["country"] == "JP" and s["reasons"] for s in found)
    names = [s["name"] for s in found]
    assert "Takasaki" not in names  # already a partner
    top = found[0]
    assert top["name"] == "Toyota", names
    assert any("it seeks what you seek" in r for r in top["reasons"])
    assert any("Georgetown Peer" in r for r in top["reasons"])
    # Other tests' members may be twinned with Toyota too: the peer is among them.
    assert any(t["state"] == "KY" for t in top["twinned_with"])
    assert all(100_000 <= s["population"] <= 500_000 for s in found[1:5])
    assert found == sorted(found, key=lambda s: -s["score"])


def test_alternate_names_count_as_the_same_partner(pships: Partnerships) -> None:
    mid = pships.member(population=2_000_000)
    pships.active(mid, city="Kiev", country="UA")
    pships.call("set_partner_preferences", mid, {"countries": ["UA"]})
    names = [s["name"] for s in pships.call("partner_suggestions", mid, 20)]
    assert "Kyiv" not in names and names  # GeoNames calls it Kyiv


def test_without_preferences_similar_size_and_focus_regions_lead(
    pships: Partnerships,
) -> None:
    mid = pships.member(population=40_000)
    found = pships.call("partner_suggestions", mid, 10)
    assert len(found) == 10
    for s in found:
        assert 10_000 <= s["population"] <= 160_000
        assert any("region the national body grows" in r for r in s["reasons"])


def test_matching_is_for_the_member_and_staff_only(pships: Partnerships) -> None:
    mid = pships.member()
    other = member_user(pships.member())
    err = pships.refused("partner_suggestions", mid, 5, identity=other)
    assert err.exc_type == "Forbidden"
    err = pships.refused("partner_suggestions", mid, 5, identity=ANON)
    assert err.exc_type == "Unauthenticated"
    err = pships.refused("set_partner_preferences", mid, {}, identity=other)
    assert err.exc_type == "Forbidden"
    assert pships.call("get_partner_preferences", mid) is None


def test_bad_preferences_name_the_field(pships: Partnerships) -> None:
    mid = pships.member()
    for data, field in (
        ({"population_min": 10, "population_max": 5}, "populationMin"),
        ({"countries": ["ZZ"]}, "countries"),
        ({"continents": ["XX"]}, "continents"),
        ({"program_areas": ["GOLF"]}, "programAreas"),
        ({"population_max": -1}, "populationMax"),
    ):
        err = pships.refused("set_partner_preferences", mid, data)
        assert err.exc_type == "BadInput" and err.value.startswith(f"{field}:")
    assert pships.call("get_partner_preferences", mid) is None
