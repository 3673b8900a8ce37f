"""Partner matching: what a member seeks, and the communities that fit."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from common.errors import BadInput, NotFound
from common.identity import Identity
from contracts.partnerships import PreferencesView, SuggestionView
from services.partnerships.adapters.repository import mask_to_areas
from services.partnerships.domain import geography, matching
from services.partnerships.domain.matching import PeerTie, Preferences, Seeker
from services.partnerships.domain.model import identifier
from services.partnerships.service_layer import views
from services.partnerships.service_layer.ports import Gazetteer
from services.partnerships.service_layer.unit_of_work import UowFactory


def set_preferences(
    uow: UowFactory,
    caller: Identity,
    member_id: str,
    data: dict[str, Any],
    now: datetime,
) -> PreferencesView:
    member_id = identifier(member_id, "memberId")
    caller.require_member(member_id)
    if not isinstance(data, dict):
        raise BadInput("an input object is required", "input")
    prefs = matching.preferences(data)
    with uow() as u:
        u.preferences.put(str(member_id), prefs, caller.sub, now)
        u.commit()
    return views.preferences(str(member_id), prefs, now)


def get_preferences(
    uow: UowFactory, caller: Identity, member_id: str
) -> PreferencesView | None:
    member_id = identifier(member_id, "memberId")
    caller.require_member(member_id)
    with uow() as u:
        found = u.preferences.get(member_id)
    if found is None:
        return None
    return views.preferences(str(member_id), *found)


def suggestions(
    uow: UowFactory,
    caller: Identity,
    member_id: str,
    first: int | None,
    gazetteer: Gazetteer,
) -> list[SuggestionView]:
    member_id = identifier(member_id, "memberId")
    caller.require_member(member_id)
    limit = 10 if first is None else first
    if not isinstance(limit, int) or not 0 <= limit <= matching.MAX_SUGGESTIONS:
        raise BadInput(f"between 0 and {matching.MAX_SUGGESTIONS}", "first")
    with uow() as u:
        member = u.members.get(member_id)
        if member is None:
            raise NotFound(f"no member {member_id}", "memberId")
        found = u.preferences.get(member_id)
        prefs = found[0] if found else Preferences()
        partnered = u.directory.live_partner_keys(member_id)
        ties = u.directory.peer_ties(member_id, _countries_sought(prefs))
    peer_ties: dict[tuple[str, str], list[PeerTie]] = defaultdict(list)
    for row in ties:
        peer_ties[(row.country, row.partner_key)].append(
            PeerTie(
                member_name=row.member_name or "another member",
                state=row.member_state,
                areas=mask_to_areas(row.program_areas),
            )
        )
    ranked = matching.suggest(
        Seeker(member_id, member.name, member.population),
        prefs,
        gazetteer(),
        partnered,
        peer_ties,
        limit,
    )
    return [views.suggestion(s) for s in ranked]


def _countries_sought(prefs: Preferences) -> frozenset[str] | None:
    """Where to look for peer ties: everywhere unless the member said where."""
    if not prefs.countries and not prefs.continents:
        return None
    return prefs.countries | frozenset(
        c for c, cont in geography.CONTINENT_OF.items() if cont in prefs.continents
    )
