"""Import partnerships from earlier records (the demo seed, a migration).

Each row goes through the API's own validation; rows that cannot be taken
(unknown member, unknown country, duplicate, ...) are reported with their
line and reason and the rest are taken. Running it again adds nothing: rows
already in the registry are counted, not added. Imported rows are ACTIVE with
the reason `imported`, and announced through the outbox like any other.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from common.errors import BadInput
from services.partnerships.domain import model
from services.partnerships.domain.model import Actor, PartnershipType
from services.partnerships.service_layer import events
from services.partnerships.service_layer.member_events import remember_members
from services.partnerships.service_layer.unit_of_work import UowFactory

IMPORTER = Actor("import", "service")
EARLIEST_YEAR = 1900


@dataclass(frozen=True)
class SourceRow:
    line: int  # line in the file: the header is line 1
    us_city: str
    us_state: str
    partner_city: str
    partner_region: str | None
    country: str
    established_year: str = ""
    type: str = PartnershipType.SISTER.value


@dataclass(frozen=True)
class Skipped:
    line: int
    reason: str


@dataclass
class ImportReport:
    read: int = 0
    taken: int = 0
    already_present: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def member_key(city: str, state: str) -> tuple[str, str]:
    return (" ".join(city.split()).casefold(), state.strip().upper())


def import_rows(
    uow: UowFactory,
    rows: Sequence[SourceRow],
    members: Mapping[tuple[str, str], dict[str, Any] | None],
    now: datetime,
    today: date,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """`members` maps `member_key(us_city, us_state)` to members' RPC view."""
    report = ImportReport(read=len(rows))
    accepted: list[tuple[SourceRow, model.PartnerCommunity, int | None]] = []
    first_line: dict[tuple[str, str, str], int] = {}
    for row in rows:
        try:
            community, year = _validate(row, members, today)
        except BadInput as exc:
            report.skipped.append(Skipped(row.line, str(exc)))
            continue
        key = (community.member_id, community.country, community.partner_key)
        if key in first_line:
            report.skipped.append(
                Skipped(row.line, f"duplicate of line {first_line[key]}")
            )
            continue
        first_line[key] = row.line
        accepted.append((row, community, year))

    snapshots = {
        str(m["member_id"]): m for m in members.values() if m and m.get("member_id")
    }
    with uow() as u:
        remember_members(u, snapshots, datetime.now(UTC))
        present = u.partnerships.live_keys(c.member_id for _, c, _ in accepted)
        u.commit()
    fresh = []
    for row, community, year in accepted:
        key = (community.member_id, community.country, community.partner_key)
        if key in present:
            report.already_present += 1
            report.skipped.append(Skipped(row.line, "already in the registry"))
        else:
            fresh.append((row, community, year))
    if progress and report.read > len(fresh):
        progress(report.read - len(fresh))

    for start in range(0, len(fresh), batch_size):
        batch = fresh[start : start + batch_size]
        _insert(uow, batch, now)
        report.taken += len(batch)
        if progress:
            progress(len(batch))
    if report.taken:
        with uow() as u:
            u.partnerships.settle_after_bulk_load()
            u.commit()
    return report


def _validate(
    row: SourceRow,
    members: Mapping[tuple[str, str], dict[str, Any] | None],
    today: date,
) -> tuple[model.PartnerCommunity, int | None]:
    member = members.get(member_key(row.us_city, row.us_state))
    if not member:
        raise BadInput(f"unknown member {row.us_city!r} ({row.us_state})", "us_city")
    community = model.partner_community(
        {
            "member_id": str(member["member_id"]),
            "partner_city": row.partner_city,
            "partner_region": row.partner_region or None,
            "country": row.country,
            "type": row.type,
            "program_areas": [],
        }
    )
    year = None
    if row.established_year.strip():
        try:
            year = int(row.established_year)
        except ValueError:
            year = -1
        if not EARLIEST_YEAR <= year <= today.year:
            raise BadInput(
                f"year {row.established_year!r} is not a year up to {today.year}",
                "established_year",
            )
    return community, year


def _insert(
    uow: UowFactory,
    batch: list[tuple[SourceRow, model.PartnerCommunity, int | None]],
    now: datetime,
) -> None:
    with uow() as u:
        records = u.members.get_many(c.member_id for _, c, _ in batch)
        items = []
        for row, community, year in batch:
            p = model.imported(
                str(uuid.uuid4()),
                community,
                IMPORTER,
                now,
                year,
                {"line": row.line},
            )
            member = records.get(community.member_id)
            p.refresh_recognition(member.good_standing if member else None)
            items.append(p)
        u.partnerships.add_all(items, records, "import", now)
        news: list[events.Event] = []
        for p in items:
            news += [events.registered(p), events.status_changed(p, None, now)]
            if p.recognized:
                news.append(events.recognition_changed(p.id, p.member_id, True, now))
        u.emit_many(news)
        u.commit()
