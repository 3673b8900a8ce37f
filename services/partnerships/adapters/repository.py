"""Repositories: partnerships with their history, the member read model, and
the partner preferences, over SQLAlchemy Core on the unit of work's session."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Row, bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from common.errors import Conflict
from common.upsert import insert_many_unless_taken
from contracts.member_facts import MemberFacts, Stamp
from services.partnerships.adapters.orm import (
    directory_version,
    members,
    partner_preferences,
    partnership_history,
    partnerships,
)
from services.partnerships.domain import geography
from services.partnerships.domain.matching import Preferences
from services.partnerships.domain.model import (
    Action,
    Actor,
    Agreement,
    Partnership,
    PartnershipType,
    ProgramArea,
    Status,
    Transition,
)
from services.partnerships.domain.text import normalize

Change = MemberFacts | None

CHUNK = 1000

# The programme areas as bits of the `program_areas` column.
AREA_BITS: dict[ProgramArea, int] = {area: 1 << i for i, area in enumerate(ProgramArea)}


def areas_to_mask(areas: Iterable[ProgramArea]) -> int:
    mask = 0
    for area in areas:
        mask |= AREA_BITS[area]
    return mask


def mask_to_areas(mask: int) -> frozenset[ProgramArea]:
    return frozenset(a for a, bit in AREA_BITS.items() if mask & bit)


@cache
def _area_names(mask: int) -> tuple[str, ...]:
    return tuple(sorted(a.value for a in mask_to_areas(mask)))


def area_names(mask: int) -> list[str]:
    """The programme areas of a mask, sorted by name (memoized: one per page row)."""
    return list(_area_names(mask))


def search_text(p: Partnership | dict[str, Any], member_name: str | None) -> str:
    """What the directory's text search looks in: the community names."""
    if isinstance(p, Partnership):
        city, region = p.partner_city, p.partner_region
    else:
        city, region = p["partner_city"], p.get("partner_region")
    return normalize(" ".join(x for x in (city, region, member_name) if x))


def bump_directory_version(session: Session) -> None:
    """Say that what the directory shows changed (cached counts are keyed by it).

    The row lock is held to commit: writers of the directory take turns here,
    after their member and partnership rows (always in that order).
    """
    session.execute(
        update(directory_version)
        .where(directory_version.c.id == 1)
        .values(version=directory_version.c.version + 1)
    )


class PartnershipRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, partnership_id: str) -> Partnership | None:
        row = self.session.execute(
            select(partnerships).where(partnerships.c.id == partnership_id)
        ).first()
        if row is None:
            return None
        history = self.session.execute(
            select(partnership_history)
            .where(partnership_history.c.partnership_id == partnership_id)
            .order_by(partnership_history.c.id)
        ).all()
        return _partnership(row, [_transition(h) for h in history])

    def live_with_partner(self, member_id: str, country: str, key: str) -> str | None:
        return self.session.execute(
            select(partnerships.c.id).where(
                partnerships.c.member_id == member_id,
                partnerships.c.country == country,
                partnerships.c.partner_key == key,
                partnerships.c.status != Status.TERMINATED.value,
            )
        ).scalar()

    def live_keys(self, member_ids: Iterable[str]) -> set[tuple[str, str, str]]:
        """(member, country, partner key) of every live partnership of these."""
        ids = list(set(member_ids))
        found: set[tuple[str, str, str]] = set()
        for start in range(0, len(ids), 1000):
            rows = self.session.execute(
                select(
                    partnerships.c.member_id,
                    partnerships.c.country,
                    partnerships.c.partner_key,
                ).where(
                    partnerships.c.member_id.in_(ids[start : start + 1000]),
                    partnerships.c.status != Status.TERMINATED.value,
                )
            ).all()
            found.update((r[0], r[1], r[2]) for r in rows)
        return found

    def settle_after_bulk_load(self) -> None:
        """Fold a bulk load into the search index and the planner's statistics.

        PostgreSQL queues GIN inserts in a pending list that every trigram
        search scans linearly until (auto)vacuum merges it: right after an
        import of 100,000 rows a text search took 4.7 ms instead of 0.15 ms.
        """
        if self.session.get_bind().dialect.name != "postgresql":
            return
        # no row (and nothing done) where pg_trgm was not available
        self.session.execute(
            text(
                "SELECT gin_clean_pending_list(oid::regclass) FROM pg_class "
                "WHERE relname = 'ix_partnerships_search_text_trgm'"
            )
        )
        self.session.execute(text("ANALYZE partnerships"))

    def add_all(
        self,
        items: Sequence[Partnership],
        members_by_id: Mapping[str, MemberFacts | None],
        source: str,
        now: datetime,
    ) -> None:
        """Insert new partnerships and their first history entries, in bulk."""
        if not items:
            return
        self.session.execute(
            insert(partnerships),
            [
                {
                    **_columns(p, members_by_id.get(p.member_id)),
                    "source": source,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for p in items
            ],
        )
        self._append_history(items)
        bump_directory_version(self.session)
        for p in items:
            p.version = 1

    def save(self, p: Partnership, member: MemberFacts | None, now: datetime) -> None:
        """Write a changed partnership; Conflict if someone changed it meanwhile."""
        result = self.session.execute(
            update(partnerships)
            .where(partnerships.c.id == p.id, partnerships.c.version == p.version)
            .values(**_columns(p, member), version=p.version + 1, updated_at=now)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("the partnership was changed meanwhile; try again")
        p.version += 1
        self._append_history([p])
        bump_directory_version(self.session)

    def _append_history(self, items: Sequence[Partnership]) -> None:
        rows = [
            {
                "partnership_id": p.id,
                "action": t.action.value,
                "from_status": t.from_status.value if t.from_status else None,
                "to_status": t.to_status.value,
                "at": t.at,
                "actor_sub": t.actor.sub,
                "actor_role": t.actor.role,
                "reason": t.reason,
                "details": t.details,
            }
            for p in items
            for t in p.new_transitions
        ]
        if rows:
            self.session.execute(insert(partnership_history), rows)
        for p in items:
            p.new_transitions.clear()

    def refresh_members(
        self, records: Sequence[MemberFacts]
    ) -> list[tuple[str, str, bool]]:
        """Copy members' names, states and standing onto their partnerships.

        Returns (partnership id, member id, recognized) for each partnership
        whose recognition flipped.
        """
        by_id = {r.member_id: r for r in records}
        ids = sorted(by_id)
        flipped: list[tuple[str, str, bool]] = []
        updates = []
        for start in range(0, len(ids), CHUNK):
            rows = self.session.execute(
                select(
                    partnerships.c.id,
                    partnerships.c.member_id,
                    partnerships.c.partner_city,
                    partnerships.c.partner_region,
                    partnerships.c.status,
                    partnerships.c.recognized,
                )
                .where(partnerships.c.member_id.in_(ids[start : start + CHUNK]))
                .order_by(partnerships.c.id)
                .with_for_update()
            ).all()
            for row in rows:
                member = by_id[row.member_id]
                recognized = row.status == Status.ACTIVE.value and member.good_standing
                if recognized != row.recognized:
                    flipped.append((row.id, row.member_id, recognized))
                updates.append(
                    {
                        "pid": row.id,
                        "member_name": member.name,
                        "member_state": member.state,
                        "recognized": recognized,
                        "search_text": search_text(row._asdict(), member.name),
                    }
                )
        if updates:
            self.session.execute(
                update(partnerships)
                .where(partnerships.c.id == bindparam("pid"))
                .values(
                    member_name=bindparam("member_name"),
                    member_state=bindparam("member_state"),
                    recognized=bindparam("recognized"),
                    search_text=bindparam("search_text"),
                ),
                updates,
            )
            bump_directory_version(self.session)
        return flipped

    def count(self) -> int:
        return int(
            self.session.execute(
                select(func.count()).select_from(partnerships)
            ).scalar_one()
        )


class MemberRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, member_id: str, for_update: bool = False) -> MemberFacts | None:
        query = select(members).where(members.c.member_id == member_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.execute(query).first()
        return _member(row) if row else None

    def get_many(self, member_ids: Iterable[str]) -> dict[str, MemberFacts]:
        ids = list(set(member_ids))
        found: dict[str, MemberFacts] = {}
        for start in range(0, len(ids), 1000):
            rows = self.session.execute(
                select(members).where(
                    members.c.member_id.in_(ids[start : start + 1000])
                )
            ).all()
            found.update({r.member_id: _member(r) for r in rows})
        return found

    def apply(
        self, member_id: str, change: Callable[[MemberFacts | None], Change]
    ) -> MemberFacts | None:
        """Lock the member's row, apply `change`, write what it returns.

        `change` gets the current record (None if unknown) and returns the new
        one, or None when there is nothing to write (stale news). A row that
        another transaction inserted meanwhile is locked and changed again.
        """
        current = self.get(member_id, for_update=True)
        record = change(current)
        if record is None:
            return None
        if current is not None:
            self._update(record)
            return record
        if self._insert_if_absent(record):
            return record
        current = self.get(member_id, for_update=True)  # it appeared meanwhile
        record = change(current)
        if record is not None:
            self._update(record)
        return record

    def apply_many(
        self, changes: Mapping[str, Callable[[MemberFacts | None], Change]]
    ) -> list[MemberFacts]:
        """`apply` for many members: rows locked in one query, new ones inserted
        in one statement; returns the records written."""
        ids = sorted(changes)
        current: dict[str, MemberFacts] = {}
        for start in range(0, len(ids), CHUNK):
            rows = self.session.execute(
                select(members)
                .where(members.c.member_id.in_(ids[start : start + CHUNK]))
                .order_by(members.c.member_id)
                .with_for_update()
            ).all()
            current.update({r.member_id: _member(r) for r in rows})
        written: list[MemberFacts] = []
        updates: list[MemberFacts] = []
        fresh: list[MemberFacts] = []
        for member_id in ids:
            record = changes[member_id](current.get(member_id))
            if record is not None:
                (updates if member_id in current else fresh).append(record)
        if updates:
            self.session.execute(
                update(members)
                .where(members.c.member_id == bindparam("mid"))
                .values({k: bindparam(k) for k in _member_values(updates[0])}),
                [{"mid": r.member_id, **_member_values(r)} for r in updates],
            )
            written += updates
        inserted = self._insert_all_if_absent(fresh)
        for record in fresh:
            if record.member_id in inserted:
                written.append(record)
            elif again := self.apply(record.member_id, changes[record.member_id]):
                written.append(again)  # inserted by someone else meanwhile
        return written

    def _insert_all_if_absent(self, records: list[MemberFacts]) -> set[str]:
        if not records:
            return set()
        dialect = self.session.get_bind().dialect.name
        if dialect not in ("postgresql", "sqlite"):
            for record in records:
                self._insert_if_absent(record)
            return {r.member_id for r in records}
        done = insert_many_unless_taken(
            self.session,
            members,
            [{"member_id": r.member_id, **_member_values(r)} for r in records],
            ("member_id",),
        )
        return {row[0] for row in done}

    def _update(self, record: MemberFacts) -> None:
        self.session.execute(
            update(members)
            .where(members.c.member_id == record.member_id)
            .values(**_member_values(record))
        )

    def _insert_if_absent(self, record: MemberFacts) -> bool:
        dialect = self.session.get_bind().dialect.name
        values = {"member_id": record.member_id, **_member_values(record)}
        if dialect not in ("postgresql", "sqlite"):  # a plain insert (may raise)
            self.session.execute(insert(members).values(**values))
            return True
        return bool(
            insert_many_unless_taken(self.session, members, [values], ("member_id",))
        )


def _member_values(record: MemberFacts) -> dict[str, Any]:
    return {
        "name": record.name,
        "kind": record.kind,
        "state": record.state,
        "population": record.population,
        "status": record.status,
        "good_standing": record.good_standing,
        "profile_as_of": record.profile_stamp.at if record.profile_stamp else None,
        "profile_version": record.profile_stamp.version
        if record.profile_stamp
        else None,
        "standing_as_of": record.standing_stamp.at if record.standing_stamp else None,
        "standing_version": record.standing_stamp.version
        if record.standing_stamp
        else None,
    }


class PreferencesRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, member_id: str) -> tuple[Preferences, datetime] | None:
        row = self.session.execute(
            select(partner_preferences).where(
                partner_preferences.c.member_id == member_id
            )
        ).first()
        if row is None:
            return None
        return (
            Preferences(
                countries=frozenset(row.countries),
                continents=frozenset(row.continents),
                program_areas=frozenset(ProgramArea(a) for a in row.program_areas),
                population_min=row.population_min,
                population_max=row.population_max,
            ),
            _utc(row.updated_at) or row.updated_at,
        )

    def put(
        self, member_id: str, prefs: Preferences, by: str | None, now: datetime
    ) -> None:
        values = {
            "countries": sorted(prefs.countries),
            "continents": sorted(prefs.continents),
            "program_areas": sorted(a.value for a in prefs.program_areas),
            "population_min": prefs.population_min,
            "population_max": prefs.population_max,
            "updated_at": now,
            "updated_by": by,
        }
        done = self.session.execute(
            update(partner_preferences)
            .where(partner_preferences.c.member_id == member_id)
            .values(**values)
        )
        if done.rowcount == 0:  # type: ignore[attr-defined]
            self.session.execute(
                insert(partner_preferences).values(member_id=member_id, **values)
            )


# --- row <-> domain ---------------------------------------------------------


def _columns(p: Partnership, member: MemberFacts | None) -> dict[str, Any]:
    member_name = member.name if member else None
    return {
        "id": p.id,
        "member_id": p.member_id,
        "partner_city": p.partner_city,
        "partner_region": p.partner_region,
        "country": p.country,
        "continent": geography.continent_of(p.country),
        "type": p.type.value,
        "status": p.status.value,
        "program_areas": areas_to_mask(p.program_areas),
        "council_resolution": p.agreement.council_resolution if p.agreement else None,
        "agreement_signed_on": p.agreement.signed_on if p.agreement else None,
        "us_signatory": p.agreement.us_signatory if p.agreement else None,
        "partner_signatory": p.agreement.partner_signatory if p.agreement else None,
        "document_reference": p.agreement.document_reference if p.agreement else None,
        "signed_on": p.signed_on,
        "established_year": p.established_year,
        "member_name": member_name,
        "member_state": member.state if member else None,
        "recognized": p.recognized,
        "partner_key": p.partner_key,
        "search_text": search_text(p, member_name),
    }


def _partnership(row: Row[Any], history: list[Transition]) -> Partnership:
    agreement = None
    if row.agreement_signed_on is not None:
        agreement = Agreement(
            council_resolution=row.council_resolution,
            signed_on=row.agreement_signed_on,
            us_signatory=row.us_signatory,
            partner_signatory=row.partner_signatory,
            document_reference=row.document_reference,
        )
    return Partnership(
        id=row.id,
        member_id=row.member_id,
        partner_city=row.partner_city,
        partner_region=row.partner_region,
        country=row.country,
        type=PartnershipType(row.type),
        program_areas=mask_to_areas(row.program_areas),
        status=Status(row.status),
        agreement=agreement,
        signed_on=row.signed_on,
        established_year=row.established_year,
        recognized=row.recognized,
        history=history,
        version=row.version,
    )


def _transition(row: Row[Any]) -> Transition:
    return Transition(
        action=Action(row.action),
        from_status=Status(row.from_status) if row.from_status else None,
        to_status=Status(row.to_status),
        at=_utc(row.at) or row.at,
        actor=Actor(row.actor_sub, row.actor_role),
        reason=row.reason,
        details=row.details or {},
    )


def _member(row: Row[Any]) -> MemberFacts:
    return MemberFacts(
        member_id=row.member_id,
        name=row.name,
        kind=row.kind,
        state=row.state,
        population=row.population,
        status=row.status,
        good_standing=row.good_standing,
        profile_stamp=_stamp(row.profile_version, row.profile_as_of),
        standing_stamp=_stamp(row.standing_version, row.standing_as_of),
    )


def _stamp(version: int | None, at: datetime | None) -> Stamp | None:
    utc = _utc(at)
    return Stamp(version, utc) if utc is not None else None


def _utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored here is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value
