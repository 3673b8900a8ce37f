"""Countries, continents and the focus regions: the one place that defines them.

Country codes are ISO 3166-1 alpha-2 (pycountry) plus `XK`, the user-assigned
code for Kosovo. Continents follow GeoNames' seven continent codes; the table
below was taken from GeoNames once and is kept here as plain data so that a
reviewer can read (and change) it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry

from common.errors import BadInput

CONTINENT_NAMES: dict[str, str] = {
    "AF": "Africa",
    "AN": "Antarctica",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "OC": "Oceania",
    "SA": "South America",
}

_CONTINENT_COUNTRIES: dict[str, str] = {
    "AF": """AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW
             KE KM LR LS LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO
             SS ST SZ TD TG TN TZ UG YT ZA ZM ZW""",
    "AN": "AQ BV GS HM TF",
    "AS": """AE AF AM AZ BD BH BN BT CC CN GE HK ID IL IN IO IQ IR JO JP KG KH KP
             KR KW KZ LA LB LK MM MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TM
             TR TW UZ VN YE""",
    "EU": """AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR
             HU IE IM IS IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE
             SI SJ SK SM UA VA XK""",
    "NA": """AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN
             KY LC MF MQ MS MX NI PA PM PR SV SX TC TT US VC VG VI""",
    "OC": """AS AU CK CX FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TL TO
             TV UM VU WF WS""",
    "SA": "AR BO BR CL CO EC FK GF GY PE PY SR UY VE",
}

CONTINENT_OF: dict[str, str] = {
    country: continent
    for continent, countries in _CONTINENT_COUNTRIES.items()
    for country in countries.split()
}


def _codes(listed: str) -> frozenset[str]:
    return frozenset(listed.split())


@dataclass(frozen=True)
class FocusRegion:
    code: str
    name: str
    countries: frozenset[str]


# The regions the national body grows on purpose. Latin America is Mexico,
# Central and South America and the Spanish-, Portuguese- and French-speaking
# Caribbean states; the Guianas are counted as South America, so with it.
# Puerto Rico is left out: a U.S. territory is never a partner abroad.
FOCUS_REGIONS: tuple[FocusRegion, ...] = (
    FocusRegion("AFRICA", "Africa", _codes(_CONTINENT_COUNTRIES["AF"])),
    FocusRegion(
        "SOUTHEAST_ASIA",
        "Southeast Asia",
        _codes("BN KH ID LA MY MM PH SG TH TL VN"),
    ),
    FocusRegion("EAST_ASIA", "East Asia", _codes("CN HK MO JP KP KR MN TW")),
    FocusRegion(
        "LATIN_AMERICA",
        "Latin America",
        _codes(
            """MX BZ CR SV GT HN NI PA CU DO HT
               AR BO BR CL CO EC GF GY PY PE SR UY VE"""
        ),
    ),
)
FOCUS_REGION_BY_CODE: dict[str, FocusRegion] = {r.code: r for r in FOCUS_REGIONS}
# Each country's regions, in FOCUS_REGIONS' order: looked up for every
# partnership a directory page shows.
_FOCUS_REGIONS_OF: dict[str, tuple[str, ...]] = {
    country: tuple(r.code for r in FOCUS_REGIONS if country in r.countries)
    for country in CONTINENT_OF
}

HOME_COUNTRY = "US"
# ISO 3166-1 gives the U.S. territories codes of their own, but their
# communities are U.S. communities: never partners abroad.
US_TERRITORIES: dict[str, str] = {
    "PR": "Puerto Rico",
    "GU": "Guam",
    "VI": "the U.S. Virgin Islands",
    "AS": "American Samoa",
    "MP": "the Northern Mariana Islands",
    "UM": "the U.S. Minor Outlying Islands",
}

# pycountry's names are formal ("Korea, Republic of"); the directory shows these.
_DISPLAY_NAMES: dict[str, str] = {
    "XK": "Kosovo",
    "TW": "Taiwan",
    "RU": "Russia",
    "BN": "Brunei",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "PS": "Palestine",
    "FM": "Micronesia",
    "VA": "Vatican City",
    "FK": "Falkland Islands",
}


def is_country(code: str) -> bool:
    return code in CONTINENT_OF


def is_home(code: str) -> bool:
    """The U.S. or one of its territories: not abroad."""
    return code == HOME_COUNTRY or code in US_TERRITORIES


@cache
def country_name(code: str) -> str:
    if code in _DISPLAY_NAMES:
        return _DISPLAY_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def continent_of(code: str) -> str:
    return CONTINENT_OF[code]


def continent_name(code: str) -> str:
    return CONTINENT_NAMES.get(code, code)


def focus_regions_of(country: str) -> list[str]:
    return list(_FOCUS_REGIONS_OF.get(country, ()))


def partner_country(raw: object, field: str = "country") -> str:
    """A valid partner country code (upper-cased), or BadInput naming `field`."""
    code = str(raw or "").strip().upper()
    if not code:
        raise BadInput("a country code is required", field)
    if not is_country(code):
        raise BadInput(f"unknown country code {code!r} (ISO 3166-1 alpha-2)", field)
    if code == HOME_COUNTRY:
        raise BadInput("the partner community must be abroad, not in the U.S.", field)
    if code in US_TERRITORIES:
        raise BadInput(
            f"{US_TERRITORIES[code]} ({code}) is a U.S. territory: its communities "
            "are U.S. communities, not partners abroad",
            field,
        )
    return code


def continent_code(raw: object, field: str = "continent") -> str:
    code = str(raw or "").strip().upper()
    if code not in CONTINENT_NAMES:
        raise BadInput(
            f"unknown continent {code!r}; one of {', '.join(CONTINENT_NAMES)}", field
        )
    return code


def focus_region_code(raw: object, field: str = "focusRegion") -> str:
    code = str(raw or "").strip().upper()
    if code not in FOCUS_REGION_BY_CODE:
        raise BadInput(
            f"unknown focus region {code!r}; one of {', '.join(FOCUS_REGION_BY_CODE)}",
            field,
        )
    return code
