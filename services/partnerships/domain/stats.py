"""Statistics of the registry: by country, continent, U.S. state, focus region,
and growth by year where the year of establishment is known."""

from __future__ import annotations

from dataclasses import dataclass

from services.partnerships.domain import geography


@dataclass(frozen=True)
class Count:
    key: str
    name: str
    count: int


@dataclass(frozen=True)
class FocusRegionCount:
    code: str
    name: str
    countries: tuple[str, ...]
    count: int
    share: float  # of all partnerships counted, 0..1


@dataclass(frozen=True)
class YearCount:
    year: int
    count: int  # established that year
    cumulative: int  # established up to and including that year (known years)


@dataclass(frozen=True)
class Statistics:
    total: int
    by_country: list[Count]
    by_continent: list[Count]
    by_state: list[Count]
    focus_regions: list[FocusRegionCount]
    growth: list[YearCount]
    with_known_year: int


def _ranked(counts: list[Count]) -> list[Count]:
    return sorted(counts, key=lambda c: (-c.count, c.key))


def statistics(
    by_country: dict[str, int],
    by_state: dict[str, int],
    by_year: dict[int, int],
) -> Statistics:
    """Assemble the figures from the grouped counts the database gives."""
    total = sum(by_country.values())
    continents: dict[str, int] = {}
    for country, n in by_country.items():
        continent = geography.CONTINENT_OF.get(country, "??")
        continents[continent] = continents.get(continent, 0) + n
    regions = [
        FocusRegionCount(
            code=r.code,
            name=r.name,
            countries=tuple(sorted(r.countries)),
            count=(n := sum(by_country.get(c, 0) for c in r.countries)),
            share=round(n / total, 4) if total else 0.0,
        )
        for r in geography.FOCUS_REGIONS
    ]
    growth: list[YearCount] = []
    running = 0
    for year in sorted(by_year):
        running += by_year[year]
        growth.append(YearCount(year, by_year[year], running))
    return Statistics(
        total=total,
        by_country=_ranked(
            [Count(c, geography.country_name(c), n) for c, n in by_country.items()]
        ),
        by_continent=_ranked(
            [Count(c, geography.continent_name(c), n) for c, n in continents.items()]
        ),
        by_state=_ranked([Count(s, s, n) for s, n in by_state.items()]),
        focus_regions=regions,
        growth=growth,
        with_known_year=running,
    )
