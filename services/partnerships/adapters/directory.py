"""The directory's read queries: search, pages, statistics, matching inputs.

One table serves them all: partnerships carry copies of their member's name,
state and recognition, so no query joins the member read model.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    and_,
    bindparam,
    false,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session

from services.partnerships.adapters.orm import (
    directory_version,
    partnership_history,
    partnerships,
)
from services.partnerships.adapters.repository import AREA_BITS
from services.partnerships.domain import geography
from services.partnerships.domain.directory import DirectoryFilter, Order, Visibility
from services.partnerships.domain.model import Status

P = partnerships.c
CHUNK = 1000
T = TypeVar("T")


class VersionedCache:
    """Results of expensive reads (counts, statistics) by directory version.

    Every write the directory can see bumps the version in the same
    transaction, so an entry is never served once the data changed; a process
    keeps the most recently used entries.
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key in self._entries:
            self._entries.move_to_end(key)
            return self._entries[key]
        value = compute()
        self._entries[key] = value
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return value


CACHE = VersionedCache()


def seen_as(v: Visibility) -> str:
    """Which of the three views of the directory a caller has."""
    if v.everything:
        return "everything"
    return "own" if v.own_member_id else "recognized"


def seen_by(seen: str, own_member_id: Any) -> ColumnElement[bool]:
    """The one visibility rule: staff see everything, a member's users the
    recognized partnerships and their own, everyone else the recognized."""
    if seen == "everything":
        return true()
    if seen == "own":
        return or_(P.recognized.is_(True), P.member_id == own_member_id)
    return P.recognized.is_(True)


def visible(v: Visibility) -> ColumnElement[bool]:
    return seen_by(seen_as(v), v.own_member_id)


_REGION_COUNTRIES: dict[str, list[str]] = {
    code: sorted(region.countries)
    for code, region in geography.FOCUS_REGION_BY_CODE.items()
}

# A search's statements are built once per shape (which conditions, and the
# order) with bind parameters for the values, and then reused: SQLAlchemy
# memoizes a statement's cache key on the statement, so a reused one skips
# building the expression and generating its key (~1/4 of a search's CPU).
Shape = tuple[Hashable, ...]

# The bind parameter of each filter value: a shape names those a search sets.
_BOUND: dict[str, Callable[[], ColumnElement[bool]]] = {
    "state": lambda: P.member_state == bindparam("state"),
    "member_ids": lambda: P.member_id.in_(bindparam("member_ids", expanding=True)),
    "country": lambda: P.country == bindparam("country"),
    "continent": lambda: P.continent == bindparam("continent"),
    "region_countries": lambda: P.country.in_(
        bindparam("region_countries", expanding=True)
    ),
    "type": lambda: P.type == bindparam("type"),
    "status": lambda: P.status == bindparam("status"),
    "area_bit": lambda: P.program_areas.op("&")(bindparam("area_bit")) != 0,
}


def bound_search(f: DirectoryFilter, v: Visibility) -> tuple[Shape, dict[str, Any]]:
    """The search's shape and the values of its bind parameters.

    Two searches of one shape differ only in those values: `conditions(shape)`
    is the WHERE of both.
    """
    params: dict[str, Any] = {}
    seen = seen_as(v)
    if seen == "own":
        params["own_member_id"] = v.own_member_id
    if f.state:
        params["state"] = f.state
    if f.member_ids:
        params["member_ids"] = list(f.member_ids)
    if f.country:
        params["country"] = f.country
    if f.continent:
        params["continent"] = f.continent
    if f.focus_region:
        params["region_countries"] = _REGION_COUNTRIES[f.focus_region]
    if f.type:
        params["type"] = f.type.value
    if f.status:
        params["status"] = f.status.value
    if f.program_area:
        params["area_bit"] = AREA_BITS[f.program_area]
    for i, word in enumerate(f.words):
        # Normalized words hold only [a-z0-9 ]: nothing to escape in the pattern.
        params[f"word_{i}"] = f"%{word}%"
    return (seen, f.recognized, f.matches_nothing, *params), params


def conditions(shape: Shape) -> list[ColumnElement[bool]]:
    """The WHERE of a search of this shape, with bind parameters for its values."""
    seen, recognized, nothing, *names = shape
    where = [seen_by(str(seen), bindparam("own_member_id"))]
    if nothing:
        where.append(false())
    where.extend(_BOUND[name]() for name in names if name in _BOUND)
    if recognized is not None:
        where.append(P.recognized.is_(true() if recognized else false()))
    where.extend(
        P.search_text.like(bindparam(name))
        for name in names
        if isinstance(name, str) and name.startswith("word_")
    )
    return where


@lru_cache(maxsize=1024)
def _page_statement(shape: Shape, order: Order) -> Select[Any]:
    return (
        select(partnerships, _VERSION.label("directory_version"))
        .where(*conditions(shape))
        .order_by(*_order(order))
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )


@lru_cache(maxsize=1024)
def _count_statement(shape: Shape) -> Select[Any]:
    return (
        select(func.count()).select_from(partnerships).where(and_(*conditions(shape)))
    )


def _order(order: Order) -> list[Any]:
    if order is Order.NAME_ASC:
        return [P.partner_key.asc(), P.id.asc()]
    if order is Order.NAME_DESC:
        return [P.partner_key.desc(), P.id.desc()]
    direction = "asc" if order is Order.DATE_ASC else "desc"
    return [
        getattr(P.established_year, direction)().nulls_last(),
        getattr(P.signed_on, direction)().nulls_last(),
        P.partner_key.asc(),
        P.id.asc(),
    ]


# Built once, like the searches': no cache key generated per execution.
_CURRENT_VERSION = select(directory_version.c.version).where(
    directory_version.c.id == 1
)
_VERSION = _CURRENT_VERSION.scalar_subquery()


class DirectoryQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def version(self) -> int:
        found = self.session.execute(_CURRENT_VERSION).scalar()
        return int(found or 0)

    def search(
        self,
        f: DirectoryFilter,
        v: Visibility,
        order: Order,
        offset: int,
        limit: int,
        with_total: bool = True,
    ) -> tuple[list[Row[Any]], int | None]:
        shape, params = bound_search(f, v)
        rows: list[Row[Any]] = []
        version: int | None = None
        if limit:
            # The directory version rides along with the page (one round trip
            # fewer, and read in the page's own snapshot).
            rows = list(
                self.session.execute(
                    _page_statement(shape, order),
                    {**params, "offset": offset, "limit": limit},
                ).all()
            )
            if rows:
                version = int(rows[0].directory_version or 0)
        total = None
        if with_total:
            total = CACHE.get(
                ("count", self.version() if version is None else version, f, v),
                lambda: int(
                    self.session.execute(_count_statement(shape), params).scalar_one()
                ),
            )
        return rows, total

    def by_ids(self, ids: Iterable[str], v: Visibility) -> dict[str, Row[Any]]:
        wanted = list(dict.fromkeys(ids))
        found: dict[str, Row[Any]] = {}
        for start in range(0, len(wanted), CHUNK):
            rows = self.session.execute(
                select(partnerships).where(
                    P.id.in_(wanted[start : start + CHUNK]), visible(v)
                )
            ).all()
            found.update({r.id: r for r in rows})
        return found

    def of_members(
        self, member_ids: Iterable[str], v: Visibility
    ) -> dict[str, list[Row[Any]]]:
        wanted = list(dict.fromkeys(member_ids))
        grouped: dict[str, list[Row[Any]]] = defaultdict(list)
        for start in range(0, len(wanted), CHUNK):
            rows = self.session.execute(
                select(partnerships)
                .where(P.member_id.in_(wanted[start : start + CHUNK]), visible(v))
                .order_by(P.member_id, P.partner_key, P.id)
            ).all()
            for row in rows:
                grouped[row.member_id].append(row)
        return grouped

    def histories(self, ids: Iterable[str]) -> dict[str, list[Row[Any]]]:
        wanted = list(dict.fromkeys(ids))
        grouped: dict[str, list[Row[Any]]] = defaultdict(list)
        h = partnership_history.c
        for start in range(0, len(wanted), CHUNK):
            rows = self.session.execute(
                select(partnership_history)
                .where(h.partnership_id.in_(wanted[start : start + CHUNK]))
                .order_by(h.partnership_id, h.id)
            ).all()
            for row in rows:
                grouped[row.partnership_id].append(row)
        return grouped

    def grouped_counts(
        self, f: DirectoryFilter, v: Visibility
    ) -> tuple[dict[str, int], dict[str, int], dict[int, int]]:
        """Counts by country, by U.S. state and by year established."""
        return CACHE.get(
            ("groups", self.version(), f, v), lambda: self._grouped_counts(f, v)
        )

    def _grouped_counts(
        self, f: DirectoryFilter, v: Visibility
    ) -> tuple[dict[str, int], dict[str, int], dict[int, int]]:
        shape, params = bound_search(f, v)
        where = and_(*conditions(shape))

        def by(column: Any) -> dict[Any, int]:
            rows = self.session.execute(
                select(column, func.count())
                .where(where, column.is_not(None))
                .group_by(column),
                params,
            ).all()
            return {r[0]: int(r[1]) for r in rows}

        return by(P.country), by(P.member_state), by(P.established_year)

    def live_partner_keys(self, member_id: str) -> set[tuple[str, str]]:
        rows = self.session.execute(
            select(P.country, P.partner_key).where(
                P.member_id == member_id, P.status != Status.TERMINATED.value
            )
        ).all()
        return {(r[0], r[1]) for r in rows}

    def peer_ties(
        self, member_id: str, countries: frozenset[str] | None
    ) -> list[Row[Any]]:
        """Live partnerships of other members (in these countries, if given)."""
        query = select(
            P.country, P.partner_key, P.member_name, P.member_state, P.program_areas
        ).where(P.member_id != member_id, P.status != Status.TERMINATED.value)
        if countries is not None:
            query = query.where(P.country.in_(sorted(countries)))
        return list(self.session.execute(query).all())
