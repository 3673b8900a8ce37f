"""Members on SQLAlchemy Core: rows <-> the domain's `Member`; bulk paths."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import (
    and_,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from services.members.adapters.clock_stamp import now
from services.members.adapters.orm import (
    invoices,
    members,
)
from services.members.domain.bands import Band
from services.members.domain.community import Member, MemberKind
from services.members.domain.directory import MemberFilter
from services.members.domain.standing import MembershipStatus

# `Member`'s attributes are the columns of the same name; these are stored as
# their enum's value.
_ENUMS: dict[str, type[Enum]] = {
    "kind": MemberKind,
    "status": MembershipStatus,
    "chosen_band": Band,
}
_FIELDS = tuple(f.name for f in fields(Member))
# Written once, when the member is added.
_FIXED = frozenset({"member_id", "joined_on", "imported"})


def _member(row: Row[Any]) -> Member:
    values = row._mapping
    return Member(**{name: _from_column(name, values[name]) for name in _FIELDS})


def _from_column(name: str, value: Any) -> Any:
    enum = _ENUMS.get(name)
    return enum(value) if enum and value is not None else value


def _member_values(member: Member) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in _FIELDS:
        if name not in _FIXED:
            value = getattr(member, name)
            values[name] = value.value if isinstance(value, Enum) else value
    values["name_key"] = member.name_key
    values["good_standing"] = member.good_standing
    values["updated_at"] = now()
    return values


# Imported with neither population nor band: dues wait (Member.population_missing).
_POPULATION_MISSING = and_(
    members.c.population.is_(None), members.c.chosen_band.is_(None)
)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class MemberRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_many(self, new: Sequence[Member]) -> None:
        if not new:
            return
        stamp = now()
        self.session.execute(
            insert(members),
            [
                {
                    **_member_values(m),
                    **{name: getattr(m, name) for name in _FIXED},
                    "created_at": stamp,
                }
                for m in new
            ],
        )

    def add(self, member: Member) -> None:
        self.add_many([member])

    def get(self, member_id: str, for_update: bool = False) -> Member | None:
        query = select(members).where(members.c.member_id == member_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.execute(query).first()
        return _member(row) if row else None

    def get_many(self, member_ids: Iterable[str]) -> dict[str, Member]:
        ids = list(set(member_ids))
        if not ids:
            return {}
        rows = self.session.execute(select(members).where(members.c.member_id.in_(ids)))
        return {row.member_id: _member(row) for row in rows}

    def lock_many(self, member_ids: Iterable[str]) -> dict[str, Member]:
        ids = sorted(set(member_ids))  # one order for every locker: no deadlocks
        if not ids:
            return {}
        rows = self.session.execute(
            select(members)
            .where(members.c.member_id.in_(ids))
            .order_by(members.c.member_id)
            .with_for_update()
        )
        return {row.member_id: _member(row) for row in rows}

    def duplicate_of(
        self, name_key: str, kind: str, state: str, other_than: str | None = None
    ) -> str | None:
        query = select(members.c.member_id).where(
            members.c.name_key == name_key,
            members.c.kind == kind,
            members.c.state == state,
        )
        if other_than:
            query = query.where(members.c.member_id != other_than)
        return self.session.execute(query).scalar()

    def existing_identities(
        self, identities: Iterable[tuple[str, str, str]]
    ) -> set[tuple[str, str, str]]:
        wanted = list(set(identities))
        found: set[tuple[str, str, str]] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self.session.execute(
                select(members.c.name_key, members.c.kind, members.c.state).where(
                    tuple_(members.c.name_key, members.c.kind, members.c.state).in_(
                        chunk
                    )
                )
            )
            found.update((r.name_key, r.kind, r.state) for r in rows)
        return found

    def by_name_and_state(
        self, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], list[Member]]:
        wanted = list(set(keys))
        found: dict[tuple[str, str], list[Member]] = defaultdict(list)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self.session.execute(
                select(members)
                .where(tuple_(members.c.name_key, members.c.state).in_(chunk))
                .order_by(members.c.kind, members.c.member_id)
            )
            for row in rows:
                found[(row.name_key, row.state)].append(_member(row))
        return found

    def save(self, member: Member) -> None:
        self.session.execute(
            update(members)
            .where(members.c.member_id == member.member_id)
            .values(**_member_values(member))
        )

    def save_status_moves(self, moved: Sequence[Member]) -> None:
        """Members whose status moved, each by one version (rows locked by the
        caller): one UPDATE per new status and 1000 members, not one each."""
        groups: dict[tuple[str, bool], list[str]] = defaultdict(list)
        for member in moved:
            groups[(member.status.value, member.good_standing)].append(member.member_id)
        stamp = now()
        for (status, good), ids in groups.items():
            for start in range(0, len(ids), 1000):
                self.session.execute(
                    update(members)
                    .where(members.c.member_id.in_(ids[start : start + 1000]))
                    .values(
                        status=status,
                        good_standing=good,
                        version=members.c.version + 1,
                        updated_at=stamp,
                    )
                )

    def _filtered(self, query: Any, flt: MemberFilter) -> Any:
        if flt.state:
            query = query.where(members.c.state == flt.state)
        if flt.kind:
            query = query.where(members.c.kind == flt.kind)
        if flt.status:
            query = query.where(members.c.status == flt.status)
        if flt.population_missing is not None:
            query = query.where(
                _POPULATION_MISSING if flt.population_missing else ~_POPULATION_MISSING
            )
        if flt.matches_nothing:
            query = query.where(false())
        if flt.search:
            query = query.where(
                members.c.name_key.like(f"%{_escape_like(flt.search)}%", escape="\\")
            )
        return query

    def page(
        self, flt: MemberFilter, first: int, after: tuple[str, str] | None
    ) -> list[Member]:
        """Keyset page in name order; `after` is the (name_key, member_id) cursor."""
        query = self._filtered(select(members), flt)
        if after is not None:
            key, member_id = after
            query = query.where(
                or_(
                    members.c.name_key > key,
                    and_(members.c.name_key == key, members.c.member_id > member_id),
                )
            )
        query = query.order_by(members.c.name_key, members.c.member_id).limit(first)
        return [_member(row) for row in self.session.execute(query)]

    def count(self, flt: MemberFilter) -> int:
        query = self._filtered(select(func.count()).select_from(members), flt)
        return int(self.session.execute(query).scalar_one())

    def billable_without_invoice(
        self, fiscal_year: int, joined_since: date | None = None
    ) -> list[Member]:
        """Members not cancelled and not yet invoiced for `fiscal_year`, whose
        band is known (a member whose population is missing waits)."""
        invoiced = exists().where(
            invoices.c.member_id == members.c.member_id,
            invoices.c.fiscal_year == fiscal_year,
        )
        query = select(members).where(
            members.c.status != MembershipStatus.CANCELLED.value,
            ~invoiced,
            ~_POPULATION_MISSING,
        )
        if joined_since is not None:
            query = query.where(members.c.joined_on >= joined_since)
        return [_member(row) for row in self.session.execute(query)]

    def not_cancelled(self) -> list[Member]:
        query = select(members).where(
            members.c.status != MembershipStatus.CANCELLED.value
        )
        return [_member(row) for row in self.session.execute(query)]

    def is_empty(self) -> bool:
        return (
            self.session.execute(select(members.c.member_id).limit(1)).first() is None
        )
