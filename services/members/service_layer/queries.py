"""Reads: members, the directory connection, invoices and history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from common.errors import BadInput, Forbidden, NotFound, Unauthenticated
from common.identity import Identity
from common.ids import is_uuid
from contracts.members import InvoiceView, MemberView, StatusChangeView
from contracts.page import NOT_OURS, Page, encode_cursor, page_of
from contracts.page import decode_cursor as decode_cursor_parts
from services.members.domain.community import (
    check_kind,
    check_state,
    is_printable,
    name_key,
)
from services.members.domain.directory import MemberFilter
from services.members.domain.fiscal import MembershipPolicy
from services.members.domain.standing import MembershipStatus
from services.members.service_layer import views
from services.members.service_layer.access import (
    Visibility,
    sees_everyones_standing,
    visibility,
)

if TYPE_CHECKING:
    from services.members.service_layer.unit_of_work import UowFactory

MAX_PAGE = 100
MAX_SEARCH = 200  # as the partnerships directory's
DEFAULT_PAGE = 20
MAX_BATCH = 1000


def _ids(values: Any, field: str) -> list[str]:
    if not isinstance(values, list) or len(values) > MAX_BATCH:
        raise BadInput(f"give a list of at most {MAX_BATCH} ids", field)
    return [str(v) for v in values]


def known_ids(ids: list[str]) -> list[str]:
    """Ids that can exist (UUIDs); anything else is simply not found."""
    return [i for i in ids if is_uuid(i)]


def get_member(
    uow_factory: UowFactory, caller: Identity, policy: MembershipPolicy, member_id: str
) -> MemberView:
    (found,) = get_members(uow_factory, caller, policy, [member_id])
    if found is None:
        raise NotFound(f"no member {member_id}", "id")
    return found


def get_members(
    uow_factory: UowFactory, caller: Identity, policy: MembershipPolicy, member_ids: Any
) -> list[MemberView | None]:
    """One call for a page of ids, in order; None for an unknown id."""
    ids = _ids(member_ids, "member_ids")
    with uow_factory() as uow:
        found = uow.members.get_many(known_ids(ids))
        year = policy.calendar.year_of(uow.clock.today())
    return [
        views.member(found[i], visibility(caller, i), year) if i in found else None
        for i in ids
    ]


def find_members(
    uow_factory: UowFactory, caller: Identity, policy: MembershipPolicy, keys: Any
) -> list[MemberView | None]:
    """Members by [name, state] (e.g. the partnerships seed), in order; None if
    unknown. Names match without case; a city wins over a county or state of
    the same name."""
    if not isinstance(keys, list) or len(keys) > 10_000:
        raise BadInput("give a list of at most 10000 [name, state] pairs", "keys")
    wanted: list[tuple[str, str] | None] = []
    for index, key in enumerate(keys):
        if not (isinstance(key, list | tuple) and len(key) == 2):
            raise BadInput("each key is a [name, state] pair", f"keys[{index}]")
        name, state = key
        ok = (
            isinstance(name, str)
            and isinstance(state, str)
            and is_printable(name + state)
        )
        wanted.append((name_key(name), state.strip().upper()) if ok else None)
    with uow_factory() as uow:
        found = uow.members.by_name_and_state(k for k in wanted if k)
        year = policy.calendar.year_of(uow.clock.today())
    result: list[MemberView | None] = []
    for key in wanted:
        matches = found.get(key) if key else None
        if not matches:
            result.append(None)
            continue
        best = matches[0]
        result.append(views.member(best, visibility(caller, best.member_id), year))
    return result


def _filter(caller: Identity, raw: Any) -> MemberFilter:
    raw = raw or {}
    if not isinstance(raw, Mapping):
        raise BadInput("a filter is an object", "filter")
    unknown = set(raw) - {"state", "kind", "status", "search", "population_missing"}
    if unknown:
        raise BadInput(f"unknown filter {sorted(unknown)[0]!r}", "filter")
    status = raw.get("status")
    if status is not None:
        if not sees_everyones_standing(caller):
            raise Forbidden("only staff may filter members by status", "filter.status")
        try:
            status = MembershipStatus(str(status).upper()).value
        except ValueError:
            raise BadInput(f"unknown status {status!r}", "filter.status") from None
    population_missing = raw.get("population_missing")
    if population_missing is not None:
        if not caller.is_staff:  # it tells whose dues wait: staff's business
            error = Unauthenticated if caller.is_anonymous else Forbidden
            raise error(
                "only staff may filter members by missing population",
                "filter.population_missing",
            )
        if not isinstance(population_missing, bool):
            raise BadInput("true or false", "filter.population_missing")
    search = raw.get("search")
    if search is not None and not (isinstance(search, str) and is_printable(search)):
        raise BadInput("search is printable text", "filter.search")
    if search is not None and len(search) > MAX_SEARCH:
        # A megabyte of pattern once failed in SQLite ("too complex"): a 500.
        raise BadInput(f"search is at most {MAX_SEARCH} characters", "filter.search")
    searching = bool(search and search.strip())
    return MemberFilter(
        state=check_state(raw["state"]) if raw.get("state") else None,
        kind=check_kind(raw["kind"]).value if raw.get("kind") else None,
        status=status,
        search=name_key(search) if search and searching else None,
        population_missing=population_missing,
        matches_nothing=searching and not any(ch.isalnum() for ch in search or ""),
    )


def decode_cursor(cursor: str) -> tuple[str, str]:
    key, member_id = decode_cursor_parts(cursor, 2)
    if is_printable(key) and is_uuid(member_id):
        return key, member_id
    raise BadInput(NOT_OURS, "after")


def list_members(
    uow_factory: UowFactory,
    caller: Identity,
    policy: MembershipPolicy,
    filter: Any = None,
    first: Any = None,
    after: Any = None,
) -> Page[MemberView]:
    """The directory as a Relay-style connection, in name order."""
    flt = _filter(caller, filter)
    size = DEFAULT_PAGE if first is None else first
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_PAGE:
        raise BadInput(f"first must be between 0 and {MAX_PAGE}", "first")
    position = decode_cursor(after) if isinstance(after, str) and after else None
    with uow_factory() as uow:
        rows = uow.members.page(flt, size + 1, position) if size else []
        total = uow.members.count(flt)
        year = policy.calendar.year_of(uow.clock.today())
    page = rows[:size]
    return page_of(
        [views.member(m, visibility(caller, m.member_id), year) for m in page],
        [encode_cursor(m.name_key, m.member_id) for m in page],
        total,
        has_next=len(rows) > size,
        has_previous=position is not None,
    )


def get_invoice(
    uow_factory: UowFactory, caller: Identity, invoice_id: str
) -> InvoiceView:
    caller.require_authenticated()
    with uow_factory() as uow:
        invoice = uow.invoices.get(str(invoice_id)) if is_uuid(invoice_id) else None
    if invoice is None:
        raise NotFound("no such invoice", "id")
    caller.require_member_sees(invoice.member_id, "invoice")
    return views.invoice(invoice)


def member_invoices(
    uow_factory: UowFactory, caller: Identity, member_ids: Any
) -> list[list[InvoiceView] | None]:
    """Each member's invoices (newest first), or None where the caller may not
    see them: a page of members costs one call."""
    ids = _ids(member_ids, "member_ids")
    allowed = [i for i in known_ids(ids) if visibility(caller, i) is Visibility.FULL]
    with uow_factory() as uow:
        found = uow.invoices.for_members(allowed)
    return [
        [views.invoice(inv) for inv in found[i]] if i in found else None for i in ids
    ]


def status_histories(
    uow_factory: UowFactory, caller: Identity, member_ids: Any
) -> list[list[StatusChangeView] | None]:
    """Each member's status changes (oldest first), or None where not allowed."""
    ids = _ids(member_ids, "member_ids")
    allowed = [i for i in known_ids(ids) if visibility(caller, i) is Visibility.FULL]
    with uow_factory() as uow:
        found = uow.history.for_members(allowed)
    return [
        [views.status_change(c) for c in found[i]] if i in found else None for i in ids
    ]
