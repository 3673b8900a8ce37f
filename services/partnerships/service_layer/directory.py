"""Directory reads: one partnership, pages of a search, members' partnerships,
histories and statistics. Reads only this service's own tables (never RPC)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from common.errors import BadInput
from common.identity import Identity
from contracts.page import NOT_OURS, Page, decode_cursor, encode_cursor, page_of
from contracts.partnerships import PartnershipView, StatisticsView, TransitionView
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
) -> list[PartnershipView | None]:
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
    after: str | None,
    order_by: str | None,
) -> Page[PartnershipView]:
    f = directory.directory_filter(filter_data)
    limit = directory.page_size(first)
    start = page_start(after)
    with uow() as u:
        u.read_only()  # no BEGIN / ROLLBACK round trips around a read
        rows, total = u.directory.search(
            f, visibility(caller), directory.order(order_by), start, limit
        )
    assert total is not None  # asked for (with_total)
    return page_of(
        [views.partnership(r, caller) for r in rows],
        # A cursor holds its item's position in the list the search makes.
        [encode_cursor(str(start + i)) for i in range(len(rows))],
        total,
        has_next=start + len(rows) < total,
        has_previous=start > 0,
    )


def page_start(after: str | None) -> int:
    """Where the page after `after` starts: the item after the cursor's."""
    if not after:
        return 0
    (position,) = decode_cursor(after, 1)
    if not position.isdigit():
        raise BadInput(NOT_OURS, "after")
    return int(position) + 1


def of_members(
    uow: UowFactory, caller: Identity, member_ids: list[str]
) -> list[list[PartnershipView]]:
    """Each member's visible partnerships, in the order the members were asked."""
    wanted = _ids(member_ids, "memberIds")
    with uow() as u:
        u.read_only()
        grouped = u.directory.of_members(wanted, visibility(caller))
    return [[views.partnership(r, caller) for r in grouped.get(m, [])] for m in wanted]


def histories(
    uow: UowFactory, caller: Identity, ids: list[str]
) -> list[list[TransitionView]]:
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
) -> StatisticsView:
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
