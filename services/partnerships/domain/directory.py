"""The directory: what a search asks for and who sees what.

Anonymous visitors see recognized partnerships only; a member user also sees
every partnership of its own community; staff see everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from common.errors import BadInput
from contracts.partnerships import Order
from services.partnerships.domain import geography
from services.partnerships.domain.model import (
    PartnershipType,
    ProgramArea,
    Status,
    enum_value,
    identifier,
    optional_text,
)
from services.partnerships.domain.text import search_words

USPS_STATES = frozenset(
    """AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS
       MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI
       WY PR GU VI AS MP""".split()  # noqa: SIM905 - reads as the USPS list
)

MAX_PAGE = 200


@dataclass(frozen=True)
class Visibility:
    """`everything` for staff; else recognized ones plus `own_member_id`'s."""

    everything: bool = False
    own_member_id: str | None = None


@dataclass(frozen=True)
class DirectoryFilter:
    state: str | None = None
    member_ids: tuple[str, ...] = ()
    country: str | None = None
    continent: str | None = None
    focus_region: str | None = None
    type: PartnershipType | None = None
    status: Status | None = None
    program_area: ProgramArea | None = None
    words: tuple[str, ...] = ()
    recognized: bool | None = None
    # A search with no letter or digit in it (only emoji or punctuation) has no
    # words to look for: it finds nothing, rather than every partnership.
    matches_nothing: bool = False


def directory_filter(data: dict[str, Any] | None) -> DirectoryFilter:
    """Validate a filter from the API; BadInput names the bad field."""
    data = data or {}
    known = {
        "state",
        "member_id",
        "member_ids",
        "country",
        "continent",
        "focus_region",
        "type",
        "status",
        "program_area",
        "search",
        "recognized",
    }
    unknown = sorted(set(data) - known)
    if unknown:
        raise BadInput(f"unknown filter {unknown[0]!r}", unknown[0])
    state = _upper(data.get("state"))
    if state is not None and state not in USPS_STATES:
        raise BadInput(f"unknown U.S. state {state!r} (USPS code)", "state")
    country = _upper(data.get("country"))
    if country is not None and not geography.is_country(country):
        raise BadInput(f"unknown country code {country!r}", "country")
    raw_ids = data.get("member_ids") or ()
    if not isinstance(raw_ids, list | tuple):
        raise BadInput("a list of ids is required", "memberIds")
    member_ids = tuple(identifier(m, "memberIds") for m in raw_ids)
    if data.get("member_id"):
        member_ids = (*member_ids, identifier(data["member_id"], "memberId"))
    search = optional_text(data.get("search"), "search", 200)
    words = tuple(search_words(search)) if search else ()
    recognized = data.get("recognized")
    if recognized is not None and not isinstance(recognized, bool):
        raise BadInput("true or false", "recognized")
    return DirectoryFilter(
        state=state,
        member_ids=member_ids,
        country=country,
        continent=(
            geography.continent_code(data["continent"])
            if data.get("continent")
            else None
        ),
        focus_region=(
            geography.focus_region_code(data["focus_region"])
            if data.get("focus_region")
            else None
        ),
        type=_maybe(PartnershipType, data.get("type"), "type"),
        status=_maybe(Status, data.get("status"), "status"),
        program_area=_maybe(ProgramArea, data.get("program_area"), "programArea"),
        words=words,
        recognized=recognized,
        matches_nothing=bool(search) and not words,
    )


def order(raw: object) -> Order:
    return enum_value(Order, raw or Order.NAME_ASC, "orderBy")


def page_size(raw: object, default: int = 20) -> int:
    if raw is None:
        return default
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
        raise BadInput("a non-negative number is required", "first")
    if raw > MAX_PAGE:
        raise BadInput(f"at most {MAX_PAGE} per page", "first")
    return raw


def _upper(raw: object) -> str | None:
    value = str(raw).strip().upper() if raw is not None else ""
    return value or None


def _maybe(kind: type[Any], raw: object, field: str) -> Any:
    return enum_value(kind, raw, field) if raw not in (None, "") else None
