"""What the RPC methods return: contracts.partnerships' views."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Row

from common.identity import Identity
from contracts.partnerships import (
    AgreementView,
    CountView,
    FocusRegion,
    PartnershipView,
    PreferencesView,
    StatisticsView,
    SuggestionView,
    TransitionView,
)
from services.partnerships.adapters.repository import area_names
from services.partnerships.domain import geography
from services.partnerships.domain.matching import Preferences, Suggestion
from services.partnerships.domain.stats import Statistics


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def may_see_details(caller: Identity, member_id: str) -> bool:
    """The agreement file and who changed what: staff and the member itself."""
    return caller.is_staff or (
        caller.role == "member" and caller.member_id == str(member_id)
    )


def partnership(row: Row[Any], caller: Identity) -> PartnershipView:
    # By key on the row's mapping: a Row's attribute access is ~10x slower,
    # and a directory page reads some 500 values.
    m = row._mapping
    agreement: AgreementView | None = None
    if m["agreement_signed_on"] is not None and may_see_details(caller, m["member_id"]):
        agreement = AgreementView(
            council_resolution=m["council_resolution"],
            signed_on=m["agreement_signed_on"].isoformat(),
            us_signatory=m["us_signatory"],
            partner_signatory=m["partner_signatory"],
            document_reference=m["document_reference"],
        )
    country = m["country"]
    continent = m["continent"]
    return {
        "id": m["id"],
        "member_id": m["member_id"],
        "member_name": m["member_name"],
        "member_state": m["member_state"],
        "partner_city": m["partner_city"],
        "partner_region": m["partner_region"],
        "country": country,
        "country_name": geography.country_name(country),
        "continent": continent,
        "continent_name": geography.continent_name(continent),
        "focus_regions": geography.focus_regions_of(country),
        "type": m["type"],
        "status": m["status"],
        "program_areas": area_names(m["program_areas"]),
        "recognized": bool(m["recognized"]),
        "signed_on": _iso(m["signed_on"]),
        "established_year": m["established_year"],
        "agreement": agreement,
        "created_at": m["created_at"].isoformat(),
        "updated_at": m["updated_at"].isoformat(),
    }


def transition(row: Any, show_actor: bool) -> TransitionView:
    return {
        "action": row.action,
        "from_status": row.from_status,
        "to_status": row.to_status,
        "at": row.at.isoformat(),
        "actor": row.actor_sub if show_actor else None,
        "actor_role": row.actor_role,
        "reason": row.reason,
        "details": row.details or {},
    }


def statistics(stats: Statistics) -> StatisticsView:
    def counts(items: list[Any]) -> list[CountView]:
        return [{"code": c.key, "name": c.name, "count": c.count} for c in items]

    return {
        "total": stats.total,
        "by_country": counts(stats.by_country),
        "by_continent": counts(stats.by_continent),
        "by_state": counts(stats.by_state),
        "focus_regions": [
            {
                "code": FocusRegion(r.code),
                "name": r.name,
                "countries": list(r.countries),
                "count": r.count,
                "share": r.share,
            }
            for r in stats.focus_regions
        ],
        "growth_by_year": [
            {"year": y.year, "count": y.count, "cumulative": y.cumulative}
            for y in stats.growth
        ],
        "with_known_year": stats.with_known_year,
    }


def preferences(
    member_id: str, prefs: Preferences, updated_at: datetime | None
) -> PreferencesView:
    return {
        "member_id": member_id,
        "countries": sorted(prefs.countries),
        "continents": sorted(prefs.continents),
        "program_areas": sorted(prefs.program_areas),
        "population_min": prefs.population_min,
        "population_max": prefs.population_max,
        "updated_at": _iso(updated_at),
    }


def suggestion(s: Suggestion) -> SuggestionView:
    return {
        "geonameid": s.place.geonameid,
        "name": s.place.name,
        "country": s.place.country,
        "country_name": geography.country_name(s.place.country),
        "continent": geography.CONTINENT_OF.get(s.place.country),
        "population": s.place.population,
        "score": s.score,
        "reasons": list(s.reasons),
        "twinned_with": [
            {"member_name": t.member_name, "state": t.state} for t in s.peers
        ],
    }
