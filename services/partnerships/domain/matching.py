"""Partner matching ("cities seeking cities"): rank communities abroad for a member.

A candidate earns points for what the member asked for (country, continent,
population range), for a population like the member's own, for lying in a
focus region, and most of all for being already twinned with another U.S.
member that works in the same programme areas: a community that has shown it
seeks what this member seeks. Each point comes with the reason behind it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from common.errors import BadInput
from services.partnerships.domain import geography
from services.partnerships.domain.model import ProgramArea, program_areas

MAX_SUGGESTIONS = 50

AREA_WORDS = {
    ProgramArea.ARTS_CULTURE: "arts and culture",
    ProgramArea.YOUTH_EDUCATION: "youth and education",
    ProgramArea.BUSINESS_TRADE: "business and trade",
    ProgramArea.COMMUNITY_DEVELOPMENT: "community development",
}

# The weights, in one place so the ranking can be tuned and explained.
W_COUNTRY = 4.0
W_CONTINENT = 2.5
W_IN_RANGE = 1.0
W_OUT_OF_RANGE = -3.0
W_SIZE = 2.0
W_FOCUS = 1.0
W_PEER_SHARED = 2.0
W_PEER_EACH_AREA = 0.5
W_PEER_ANY = 0.5


@dataclass(frozen=True)
class Preferences:
    countries: frozenset[str] = frozenset()
    continents: frozenset[str] = frozenset()
    program_areas: frozenset[ProgramArea] = frozenset()
    population_min: int | None = None
    population_max: int | None = None


@dataclass(frozen=True)
class Place:
    """A community abroad, from the gazetteer."""

    geonameid: int
    name: str
    country: str
    population: int
    keys: frozenset[str]  # normalized name and alternate names


@dataclass(frozen=True)
class Seeker:
    member_id: str
    name: str | None
    population: int | None


@dataclass(frozen=True)
class PeerTie:
    """A place already partnered with another U.S. member, and in what areas."""

    member_name: str
    state: str | None
    areas: frozenset[ProgramArea]


@dataclass(frozen=True)
class Suggestion:
    place: Place
    score: float
    reasons: tuple[str, ...]
    peers: tuple[PeerTie, ...] = field(default=())


def preferences(data: dict[str, Any]) -> Preferences:
    """Validate what a member seeks; BadInput names the bad field."""
    countries = frozenset(
        geography.partner_country(c, "countries") for c in data.get("countries") or ()
    )
    continents = frozenset(
        geography.continent_code(c, "continents") for c in data.get("continents") or ()
    )
    low = _population(data.get("population_min"), "populationMin")
    high = _population(data.get("population_max"), "populationMax")
    if low is not None and high is not None and low > high:
        raise BadInput("the minimum is above the maximum", "populationMin")
    return Preferences(
        countries=countries,
        continents=continents,
        program_areas=program_areas(data.get("program_areas") or [], "programAreas"),
        population_min=low,
        population_max=high,
    )


def _population(raw: object, field_name: str) -> int | None:
    if raw is None:
        return None
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
        raise BadInput("a non-negative whole number is required", field_name)
    return raw


def place_key(country: str, key: str) -> tuple[str, str]:
    return (country, key)


def suggest(
    seeker: Seeker,
    prefs: Preferences,
    places: Iterable[Place],
    partnered: set[tuple[str, str]],
    peer_ties: Mapping[tuple[str, str], list[PeerTie]],
    first: int,
) -> list[Suggestion]:
    """The `first` best places, leaving out those the seeker is partnered with.

    `partnered` and `peer_ties` are keyed by (country, normalized name).
    """
    if not 0 <= first <= MAX_SUGGESTIONS:
        raise BadInput(f"between 0 and {MAX_SUGGESTIONS}", "first")
    target = _target_population(seeker, prefs)
    ranked: list[Suggestion] = []
    for place in places:
        if geography.is_home(place.country):
            continue
        if any((place.country, k) in partnered for k in place.keys):
            continue
        ties = [t for k in place.keys for t in peer_ties.get((place.country, k), ())]
        suggestion = _score(place, prefs, target, ties)
        if suggestion is not None:
            ranked.append(suggestion)
    ranked.sort(key=lambda s: (-s.score, -s.place.population, s.place.name))
    return ranked[:first]


def _target_population(seeker: Seeker, prefs: Preferences) -> int | None:
    if seeker.population:
        return seeker.population
    low, high = prefs.population_min, prefs.population_max
    if low and high:
        return int(math.sqrt(low * high))
    return high or low or None


def _score(
    place: Place, prefs: Preferences, target: int | None, ties: list[PeerTie]
) -> Suggestion | None:
    score = 0.0
    reasons: list[str] = []
    country = geography.country_name(place.country)
    continent = geography.CONTINENT_OF.get(place.country, "")
    if place.country in prefs.countries:
        score += W_COUNTRY
        reasons.append(f"In {country}, a country you seek")
    elif continent in prefs.continents:
        score += W_CONTINENT
        reasons.append(
            f"In {geography.continent_name(continent)}, a continent you seek"
        )
    elif prefs.countries or prefs.continents:
        return None  # the member named where it looks; elsewhere is not a match

    low, high = prefs.population_min, prefs.population_max
    if low is not None or high is not None:
        if (low is None or place.population >= low) and (
            high is None or place.population <= high
        ):
            score += W_IN_RANGE
            reasons.append(
                f"Population {place.population:,} is within the range you seek"
            )
        else:
            score += W_OUT_OF_RANGE
    if target:
        similarity = 1 - min(abs(math.log10(place.population / target)), 2) / 2
        score += W_SIZE * similarity
        if similarity >= 0.8:
            reasons.append(
                f"Similar size: {place.population:,} people, you have {target:,}"
            )

    regions = [r.name for r in geography.FOCUS_REGIONS if place.country in r.countries]
    if regions:
        score += W_FOCUS
        reasons.append(f"In {regions[0]}, a region the national body grows")

    shared_best: tuple[PeerTie, frozenset[ProgramArea]] | None = None
    for tie in ties:
        shared = tie.areas & prefs.program_areas
        if shared and (shared_best is None or len(shared) > len(shared_best[1])):
            shared_best = (tie, shared)
    if shared_best is not None:
        tie, shared = shared_best
        score += W_PEER_SHARED + W_PEER_EACH_AREA * len(shared)
        words = ", ".join(AREA_WORDS[a] for a in sorted(shared))
        where = f"{tie.member_name}, {tie.state}" if tie.state else tie.member_name
        reasons.append(
            f"Already twinned with {where} in {words}: it seeks what you seek"
        )
    elif ties:
        score += W_PEER_ANY
        reasons.append(
            f"Already twinned with {len(ties)} U.S. "
            f"{'community' if len(ties) == 1 else 'communities'}"
        )
    return Suggestion(place, round(score, 4), tuple(reasons), tuple(ties))
