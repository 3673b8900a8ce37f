"""Member communities: who they are and the rules for registering and changing them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from common.errors import BadInput, shown
from contracts.members import MemberKind
from services.members.domain.bands import Band, band_for, parse_band
from services.members.domain.standing import MembershipStatus, is_good_standing

# USPS codes of the 50 states, DC and the inhabited territories.
_USPS = """
AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE
NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP
PR VI
"""
USPS_CODES = frozenset(_USPS.split())
MAX_NAME_LENGTH = 200
MAX_POPULATION = 1_000_000_000
MAX_WEBSITE_LENGTH = 2048  # what browsers and search engines handle everywhere
# Deliberately simple: one @, no spaces, a dot in the domain. Delivery proves the rest.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_SPACES = re.compile(r"\s+")
# Control characters (NUL and friends) never belong in a name, email or reason.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# Fields a `member` user may change on its own community; the rest set its dues.
SELF_SERVICE_FIELDS = frozenset({"name", "contact_email", "website"})
EDITABLE_FIELDS = frozenset(
    {"name", "kind", "state", "population", "contact_email", "website", "dues_band"}
)


@dataclass(frozen=True)
class Member:
    member_id: str
    name: str
    kind: MemberKind
    state: str
    population: int | None
    contact_email: str
    status: MembershipStatus
    joined_on: date
    # Only for a community whose population is unknown: the band staff chose.
    chosen_band: Band | None = None
    version: int = 1
    # Taken over from earlier records as a member in good standing (the seed):
    # not a joiner waiting for its first payment (see `derive_standing`).
    imported: bool = False
    # Its own site, shown in the directory; None when it has none on record.
    website: str | None = None

    @property
    def population_missing(self) -> bool:
        """Imported without a population and with no band chosen: its dues
        wait until staff sets the population."""
        return self.population is None and self.chosen_band is None

    @property
    def dues_band(self) -> Band | None:
        """The band it is billed in; None while its population is missing."""
        if self.population is not None:
            return band_for(self.population)
        return self.chosen_band

    @property
    def dues_band_chosen(self) -> bool:
        return self.chosen_band is not None

    @property
    def good_standing(self) -> bool:
        return is_good_standing(self.status)

    @property
    def name_key(self) -> str:
        return name_key(self.name)


def name_key(name: str) -> str:
    """Names compare without case and extra spaces: "St. Paul" == "st.  paul"."""
    return _SPACES.sub(" ", name).strip().casefold()


def is_printable(text: str) -> bool:
    return _CONTROL.search(text) is None


def check_name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadInput("a name is required", "name")
    name = _SPACES.sub(" ", value).strip()
    if len(name) > MAX_NAME_LENGTH:
        raise BadInput(f"a name has at most {MAX_NAME_LENGTH} characters", "name")
    # Control and format characters (Unicode Cc, Cf) show nothing: bidi
    # controls reorder what is displayed and zero-width ones hide inside a
    # word, so a name holding them can pass for another.
    for ch in name:
        if unicodedata.category(ch) in ("Cc", "Cf"):
            what = unicodedata.name(ch, "a control character")
            raise BadInput(
                f"U+{ord(ch):04X} ({what}) is not allowed: control, bidi and "
                "invisible characters are refused in names",
                "name",
            )
    return name


def check_kind(value: Any) -> MemberKind:
    try:
        return MemberKind(str(value).strip().upper())
    except ValueError:
        raise BadInput(
            f"unknown kind {value!r} (one of CITY, COUNTY, STATE)", "kind"
        ) from None


def check_state(value: Any) -> str:
    code = value.strip().upper() if isinstance(value, str) else ""
    if code not in USPS_CODES:
        raise BadInput(f"{value!r} is not a USPS state code such as NY", "state")
    return code


def check_population(
    value: Any, kind: MemberKind, may_be_missing: bool = False
) -> int | None:
    if value is None:
        if kind is MemberKind.CITY and not may_be_missing:
            raise BadInput("a city's population is required", "population")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput("a population is a whole number", "population")
    if not 0 < value <= MAX_POPULATION:
        raise BadInput("a population must be positive", "population")
    return value


def check_email(value: Any) -> str:
    email = value.strip() if isinstance(value, str) else ""
    if len(email) > 254 or not _EMAIL.match(email) or not is_printable(email):
        raise BadInput(f"{shown(value)} is not a valid email address", "contact_email")
    return email


def check_website(value: Any) -> str | None:
    """An http(s) address with a host, or None (nothing given, or cleared)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    url = value.strip() if isinstance(value, str) else ""
    parts = urlsplit(url) if " " not in url and is_printable(url) else None
    if not parts or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadInput(
            f"{shown(value)} is not a web address such as https://example.org",
            "website",
        )
    if len(url) > MAX_WEBSITE_LENGTH:
        raise BadInput(
            f"a web address has at most {MAX_WEBSITE_LENGTH} characters", "website"
        )
    return url


def check_band(
    value: Any, population: int | None, kind: MemberKind, may_be_missing: bool = False
) -> Band | None:
    """A band is chosen by staff exactly when a county's or state's population
    is unknown; a city's dues follow its population."""
    if population is not None:
        if value is not None:
            raise BadInput(
                "the dues band follows the population; give a band only for a "
                "community whose population is unknown",
                "dues_band",
            )
        return None
    if value is None:
        if may_be_missing:
            return None
        raise BadInput(
            "the population is unknown: choose the dues band explicitly", "dues_band"
        )
    if kind is MemberKind.CITY:
        raise BadInput(
            "a city's dues follow its population: give the population, not a band",
            "dues_band",
        )
    return parse_band(value, "dues_band")


def new_member(
    member_id: str,
    data: Mapping[str, Any],
    joined_on: date,
    population_may_be_missing: bool = False,
) -> Member:
    """A validated new member, PENDING until its first invoice is paid.

    Only an import may leave the population missing (no population and, for a
    county or state, no band chosen): its dues then wait until staff sets it.
    """
    _reject_unknown(data, EDITABLE_FIELDS)
    kind = check_kind(data.get("kind"))
    missing_ok = population_may_be_missing
    population = check_population(data.get("population"), kind, missing_ok)
    return Member(
        member_id=member_id,
        name=check_name(data.get("name")),
        kind=kind,
        state=check_state(data.get("state")),
        population=population,
        contact_email=check_email(data.get("contact_email")),
        website=check_website(data.get("website")),
        status=MembershipStatus.PENDING,
        joined_on=joined_on,
        chosen_band=check_band(data.get("dues_band"), population, kind, missing_ok),
    )


def changed_member(
    member: Member, changes: Mapping[str, Any]
) -> tuple[Member, list[str]]:
    """`member` with `changes` applied and validated as a whole; the fields changed.

    A population given for a community with a chosen band replaces the band;
    clearing a county's or state's population requires choosing a band. A
    member whose population is missing may stay so until it is given.
    """
    _reject_unknown(changes, EDITABLE_FIELDS)
    kind = check_kind(changes["kind"]) if "kind" in changes else member.kind
    missing_ok = member.population_missing
    population = check_population(
        changes.get("population", member.population),
        kind,
        missing_ok,
    )
    if "dues_band" in changes:
        band = check_band(changes["dues_band"], population, kind, missing_ok)
    elif population is None:
        band = check_band(member.chosen_band, population, kind, missing_ok)
    else:
        band = None
    updated = replace(
        member,
        name=check_name(changes["name"]) if "name" in changes else member.name,
        kind=kind,
        state=check_state(changes["state"]) if "state" in changes else member.state,
        population=population,
        contact_email=check_email(changes["contact_email"])
        if "contact_email" in changes
        else member.contact_email,
        website=check_website(changes["website"])
        if "website" in changes
        else member.website,
        chosen_band=band,
    )
    changed = [
        f
        for f in (*sorted(EDITABLE_FIELDS - {"dues_band"}), "chosen_band")
        if getattr(updated, f) != getattr(member, f)
    ]
    return updated, ["dues_band" if f == "chosen_band" else f for f in changed]


def _reject_unknown(data: Mapping[str, Any], allowed: frozenset[str]) -> None:
    if not isinstance(data, Mapping):
        raise BadInput("give the member's fields as an object", "input")
    for key in data:
        if key not in allowed:
            raise BadInput(f"unknown field {key!r}", str(key))
