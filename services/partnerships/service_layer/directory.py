"""Directory reads: one partnership, pages of a search, members' partnerships,
histories and statistics. Reads only this service's own tables (never RPC)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from common.errors import BadInput
from common.identity import Identity
from services.partnerships.domain import directory, stats
from services.partnerships.domain.directory import Visibility
from services.partnerships.domain.model import identifier
from services.partnerships.service_layer import views
from services.partnerships.service_layer.unit_of_work import UowFactory

MAX_IDS = 500


def visibility(caller: Identity) -> Visibility:
    if caller.is_staff:
        return Visibility(everything=True)
    if caller.role == "member" and caller.member_id:
        return Visibility(own_member_id=caller.member_id)
    return Visibility()


def _ids(raw: object, field: str) -> list[str]:
    if not isinstance(raw, list | tuple):
        raise BadInput("a list of ids is required", field)
    if len(raw) > MAX_IDS:
        raise BadInput(f"at most {MAX_IDS} ids at once", field)
    return [identifier(i, field) for i in raw]


def get_partnerships(
    uow: UowFactory, caller: Identity, ids: list[str]
) -> list[dict[str, Any] | None]:
    """In the order asked; None for unknown ids and those the caller may not see."""
    wanted = _ids(ids, "ids")
    with uow() as u:
        u.read_only()
        rows = u.directory.by_ids(wanted, visibility(caller))
    return [views.partnership(rows[i], caller) if i in rows else None for i in wanted]


def search(
    uow: UowFactory,
    caller: Identity,
    filter_data: dict[str, Any] | None,
    first: int | None,
    offset: int | None,
    order_by: str | None,
) -> dict[str, Any]:
    f = directory.directory_filter(filter_data)
    limit = directory.page_size(first)
    start = offset or 0
    if not isinstance(start, int) or start < 0:
        raise BadInput("a non-negative offset is required", "after")
    with uow() as u:
        u.read_only()  # no BEGIN / ROLLBACK round trips around a read
        rows, total = u.directory.search(
            f, visibility(caller), directory.order(order_by), start, limit
        )
    return {
        "items": [views.partnership(r, caller) for r in rows],
        "total": total,
        "offset": start,
    }


def of_members(
    uow: UowFactory, caller: Identity, member_ids: list[str]
) -> list[list[dict[str, Any]]]:
    """Each member's visible partnerships, in the order the members were asked."""
    wanted = _ids(member_ids, "memberIds")
    with uow() as u:
        u.read_only()
        grouped = u.directory.of_members(wanted, visibility(caller))
    return [[views.partnership(r, caller) for r in grouped.get(m, [])] for m in wanted]


def histories(
    uow: UowFactory, caller: Identity, ids: list[str]
) -> list[list[dict[str, Any]]]:
    """Each partnership's history (empty for those the caller may not see)."""
    wanted = _ids(ids, "ids")
    with uow() as u:
        rows = u.directory.by_ids(wanted, visibility(caller))
        grouped = u.directory.histories(rows)
    result = []
    for pid in wanted:
        row = rows.get(pid)
        show_actor = row is not None and views.may_see_details(caller, row.member_id)
        result.append([views.transition(t, show_actor) for t in grouped.get(pid, [])])
    return result


def statistics(
    uow: UowFactory, caller: Identity, filter_data: dict[str, Any] | None
) -> dict[str, Any]:
    """Figures for the partnerships the directory shows this caller.

    Without a status or recognized filter they describe the recognized network
    (what the national body reports), whoever asks.
    """
    f = directory.directory_filter(filter_data)
    if f.status is None and f.recognized is None:
        f = replace(f, recognized=True)
    with uow() as u:
        u.read_only()
        by_country, by_state, by_year = u.directory.grouped_counts(
            f, visibility(caller)
        )
    return views.statistics(stats.statistics(by_country, by_state, by_year))
