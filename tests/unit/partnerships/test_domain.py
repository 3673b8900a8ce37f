"""Pure rules of the partnerships domain: text, geography, workflow, standing
news, statistics and matching."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from common.errors import BadInput, Conflict
from services.partnerships.adapters.repository import (
    area_names,
    areas_to_mask,
    mask_to_areas,
)
from services.partnerships.domain import geography, matching, model, stats
from services.partnerships.domain.model import Action, Actor, Status
from services.partnerships.domain.text import normalize, search_words

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
TODAY = NOW.date()
STAFF = Actor("s", "staff")


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Tromsø", "tromso"),
        ("TROMSØ", "tromso"),
        ("Łódź", "lodz"),
        ("Æbeltoft", "aebeltoft"),
        ("Straße", "strasse"),
        ("Đà Nẵng", "da nang"),
        ("Þórshöfn", "thorshofn"),
        ("São  Paulo", "sao paulo"),
        ("Saint-Étienne", "saint etienne"),
        ("Hawai\u02bbi", "hawaii"),  # with an okina
        ("under_score", "under score"),
    ],
)
def test_normal_form(raw: str, normal: str) -> None:
    assert normalize(raw) == normal


def test_search_words() -> None:
    assert search_words("  Tromsø, NO ") == ["tromso", "no"]


def test_geography() -> None:
    assert geography.country_name("XK") == "Kosovo"
    assert geography.country_name("KR") == "South Korea"
    assert geography.continent_of("XK") == "EU"
    assert geography.focus_regions_of("VN") == ["SOUTHEAST_ASIA"]
    assert geography.focus_regions_of("MX") == ["LATIN_AMERICA"]
    assert geography.focus_regions_of("GH") == ["AFRICA"]
    assert geography.focus_regions_of("FR") == []
    every = {c for r in geography.FOCUS_REGIONS for c in r.countries}
    assert every <= set(geography.CONTINENT_OF)
    # The precomputed table says what the regions say, for every code.
    for code in [*geography.CONTINENT_OF, "ZZ", ""]:
        expected = [r.code for r in geography.FOCUS_REGIONS if code in r.countries]
        assert geography.focus_regions_of(code) == expected
    geography.focus_regions_of("GH").append("MINE")  # each caller gets its own list
    assert geography.focus_regions_of("GH") == ["AFRICA"]
    with pytest.raises(BadInput):
        geography.partner_country("US")
    assert geography.partner_country(" jp ") == "JP"


def test_program_area_names_by_mask() -> None:
    for mask in range(1 << len(model.ProgramArea)):
        names = area_names(mask)
        assert names == sorted(a.value for a in mask_to_areas(mask))
        assert areas_to_mask(model.ProgramArea(n) for n in names) == mask
    area_names(1).append("MINE")  # each caller gets its own list
    assert area_names(1) == [next(iter(model.ProgramArea)).value]


def community(**kw: object) -> model.PartnerCommunity:
    data: dict[str, object] = {"member_id": "m1", "partner_city": "Kobe"}
    data.update({"country": "JP", "type": "SISTER", **kw})
    return model.partner_community(data)


AGREEMENT = model.Agreement("R-1", date(2020, 5, 1), "Mayor A", "Mayor B", "doc-1")


def test_workflow_and_recognition() -> None:
    p = model.propose("p1", community(), STAFF, NOW)
    assert p.status is Status.PROPOSED and not p.refresh_recognition(True)
    p.record_agreement(AGREEMENT, STAFF, NOW)
    assert p.status is Status.PENDING and p.established_year == 2020
    p.activate(STAFF, NOW)
    assert p.refresh_recognition(True) and p.recognized
    assert p.refresh_recognition(False) and not p.recognized
    p.mark_dormant("quiet", STAFF, NOW)
    with pytest.raises(BadInput):
        p.reactivate(date(2019, 1, 1), STAFF, NOW, TODAY)
    p.reactivate(TODAY, STAFF, NOW, TODAY)
    assert p.signed_on == TODAY and p.status is Status.ACTIVE
    p.terminate("letter", STAFF, NOW)
    with pytest.raises(Conflict):
        p.terminate("again", STAFF, NOW)
    assert [t.action for t in p.history] == [
        Action.PROPOSED,
        Action.AGREEMENT_RECORDED,
        Action.ACTIVATED,
        Action.MARKED_DORMANT,
        Action.REACTIVATED,
        Action.TERMINATED,
    ]


def attempt(p: model.Partnership, action: Action) -> None:
    if action is Action.AGREEMENT_RECORDED:
        p.record_agreement(AGREEMENT, STAFF, NOW)
    elif action is Action.ACTIVATED:
        p.activate(STAFF, NOW)
    elif action is Action.MARKED_DORMANT:
        p.mark_dormant("x", STAFF, NOW)
    elif action is Action.REACTIVATED:
        p.reactivate(TODAY, STAFF, NOW, TODAY)
    else:
        p.terminate("x", STAFF, NOW)


def test_every_invalid_transition_is_a_conflict() -> None:
    for action, (allowed, _) in model.TRANSITIONS.items():
        for status in set(Status) - allowed:
            p = model.propose("p", community(), STAFF, NOW)
            p.status = status
            with pytest.raises(Conflict):
                attempt(p, action)
            assert p.status is status


def test_input_validation_names_fields() -> None:
    for data, field in (
        ({"country": "ZZ"}, "country"),
        ({"partner_city": ""}, "partnerCity"),
        ({"type": "TWIN"}, "type"),
        ({"program_areas": "ARTS"}, "programAreas"),
        ({"partner_region": 5}, "partnerRegion"),
    ):
        with pytest.raises(BadInput) as err:
            community(**data)
        assert err.value.field == field
    with pytest.raises(BadInput) as err:
        model.agreement(
            {**AGREEMENT.as_details(), "signed_on": str(TODAY + timedelta(days=1))},
            TODAY,
        )
    assert err.value.field == "signedOn"


def test_update_records_only_real_changes() -> None:
    p = model.propose("p1", community(type="FRIENDSHIP"), STAFF, NOW)
    same = model.partnership_changes({"type": "FRIENDSHIP"})
    assert not p.update(same, STAFF, NOW)
    assert p.update(model.partnership_changes({"type": "SISTER"}), STAFF, NOW)
    assert p.history[-1].details == {"type": "SISTER"}


def test_statistics_shares_and_growth() -> None:
    s = stats.statistics({"GH": 2, "VN": 1, "FR": 1}, {"OR": 4}, {1990: 1, 2000: 2})
    assert s.total == 4
    assert [(c.key, c.count) for c in s.by_continent] == [
        ("AF", 2),
        ("AS", 1),
        ("EU", 1),
    ]
    africa = next(r for r in s.focus_regions if r.code == "AFRICA")
    assert (africa.count, africa.share) == (2, 0.5)
    assert [(g.year, g.cumulative) for g in s.growth] == [(1990, 1), (2000, 3)]


def place(name: str, country: str, population: int) -> matching.Place:
    return matching.Place(1, name, country, population, frozenset({normalize(name)}))


def test_matching_prefers_and_explains() -> None:
    prefs = matching.preferences(
        {
            "countries": ["JP"],
            "program_areas": ["ARTS_CULTURE"],
            "population_max": 10**6,
        }
    )
    places = [
        place("Kobe", "JP", 1_500_000),
        place("Nara", "JP", 360_000),
        place("Otaru", "JP", 120_000),
        place("Lyon", "FR", 500_000),
        place("Uji", "JP", 190_000),
    ]
    ties = {
        ("JP", "uji"): [
            matching.PeerTie("Salem", "OR", frozenset({model.ProgramArea.ARTS_CULTURE}))
        ]
    }
    ranked = matching.suggest(
        matching.Seeker("m", "Town", 150_000),
        prefs,
        places,
        partnered={("JP", "otaru")},
        peer_ties=ties,
        first=10,
    )
    assert [s.place.name for s in ranked] == ["Uji", "Nara", "Kobe"]
    assert any("Salem, OR" in r for r in ranked[0].reasons)
    assert all(s.reasons for s in ranked)
    with pytest.raises(BadInput):
        matching.suggest(matching.Seeker("m", None, None), prefs, [], set(), {}, 99)


@pytest.mark.parametrize("raw", ["\x00", "a\x00b", "x" * 65, "", "  ", None, True])
def test_ids_are_printable_and_short(raw: object) -> None:
    with pytest.raises(BadInput) as err:
        model.identifier(raw, "id")
    assert err.value.field == "id"


def test_text_with_control_characters_is_bad_input() -> None:
    with pytest.raises(BadInput) as err:
        community(partner_city="Kobe\x00")
    assert err.value.field == "partnerCity"


TERRITORIES = ["PR", "GU", "VI", "AS", "MP", "UM"]


@pytest.mark.parametrize("code", [*TERRITORIES, "pr", " gu "])
def test_a_us_territory_is_not_a_partner_abroad(code: str) -> None:
    # Puerto Rico, Guam, ...: U.S. communities, refused as partners with that reason.
    with pytest.raises(BadInput) as err:
        community(country=code)
    assert err.value.field == "country"
    assert "U.S. territory" in str(err.value)
    with pytest.raises(BadInput) as err:
        matching.preferences({"countries": [code]})
    assert err.value.field == "countries"


def test_suggestions_leave_out_us_territories() -> None:
    places = [place(f"Town {c}", c, 100_000) for c in [*TERRITORIES, "US", "JP"]]
    ranked = matching.suggest(
        matching.Seeker("m", "Town", 100_000),
        matching.preferences({}),
        places,
        partnered=set(),
        peer_ties={},
        first=10,
    )
    assert [s.place.country for s in ranked] == ["JP"]
    latin_america = geography.FOCUS_REGION_BY_CODE["LATIN_AMERICA"].countries
    assert not latin_america & set(TERRITORIES)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Kobe\u202e", "U+202E"),  # right-to-left override
        ("\u202dKobe", "U+202D"),  # left-to-right override
        ("Ko\u2067be\u2069", "U+2067"),  # right-to-left isolate
        ("Ko\u200bbe", "U+200B"),  # zero-width space
        ("Ko\u200dbe", "U+200D"),  # zero-width joiner
        ("Ko\u200cbe", "U+200C"),  # zero-width non-joiner
        ("Ko\u2060be", "U+2060"),  # word joiner
        ("\ufeffKobe", "U+FEFF"),  # zero-width no-break space
        ("Ko\u00adbe", "U+00AD"),  # soft hyphen: invisible too
    ],
)
def test_names_refuse_bidi_controls_and_invisible_characters(
    text: str, shown: str
) -> None:
    for field, data in (
        ("partnerCity", {"partner_city": text}),
        ("partnerRegion", {"partner_region": text}),
    ):
        with pytest.raises(BadInput) as err:
            community(**data)
        assert err.value.field == field
        assert shown in str(err.value)
    with pytest.raises(BadInput) as err:
        model.agreement({**AGREEMENT.as_details(), "us_signatory": text}, TODAY)
    assert err.value.field == "usSignatory"
    with pytest.raises(BadInput) as err:
        model.partnership_changes({"partner_region": text})
    assert err.value.field == "partnerRegion"


def test_names_in_other_scripts_are_fine() -> None:
    for name in ("Tromsø", "東京", "Санкт-Петербург", "القاهرة", "Hawai\u02bbi"):
        assert community(partner_city=name).partner_city == name


@pytest.mark.parametrize("query", ["🎉", "🎉 🎉", "!!!", "?", "-", "…", "🇯🇵", "'"])
def test_a_search_without_letters_or_digits_finds_nothing(query: str) -> None:
    from services.partnerships.domain.directory import directory_filter

    found = directory_filter({"search": query})
    assert found.matches_nothing
    assert not directory_filter({"search": "kobe!"}).matches_nothing
    assert not directory_filter({"search": "  "}).matches_nothing  # no search
    assert not directory_filter({}).matches_nothing
