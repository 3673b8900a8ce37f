"""Demo seed: the real U.S. communities of `data/us_communities.csv` as members.

    python -m services.members.seed [--csv PATH] [--if-empty]
                                    [--county-band BAND] [--state-band BAND]

Applies the members migrations, sets the current fiscal year's dues schedule
(demo amounts) unless it has one, then imports every row through the same
validation as `register_member`: rows it cannot take are reported with their
line number and reason, the rest are taken. Imported members are ACTIVE for
the current year (reason "imported"). A city whose population the data lacks
is imported too, with its population missing: no dues until staff sets it
(listed, and found with `members(filter: {populationMissing: true})`). Safe
to run again: nothing is added twice. `--if-empty` does nothing when the
members table already has rows.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from tqdm import tqdm

from common import config
from common.db import make_engine, make_session_factory
from common.identity import SERVICE
from common.migrate import upgrade
from services.members.adapters import settings
from services.members.adapters.orm import outbox, processed_events
from services.members.domain.bands import BANDS, Band
from services.members.service_layer import dues
from services.members.service_layer.importing import ImportReport, import_members
from services.members.service_layer.unit_of_work import MembersUnitOfWork

DEFAULT_CSV = config.REPO_ROOT / "data" / "us_communities.csv"
BATCH = 200
# Townships, boroughs and neighbourhood "areas" are municipalities: billed as cities.
KINDS = {
    "city": "CITY",
    "township": "CITY",
    "borough": "CITY",
    "area": "CITY",
    "county": "COUNTY",
    "state": "STATE",
}
# Demo amounts (cents) per band; not the national body's real figures.
DEMO_AMOUNTS = (25_000, 50_000, 90_000, 150_000, 250_000, 400_000)


def fields_of(
    row: Mapping[str, str], county_band: Band, state_band: Band
) -> dict[str, Any]:
    """A CSV row as `register_member` input; validation stays with the domain."""
    raw_kind = (row.get("kind") or "").strip().lower()
    kind = KINDS.get(raw_kind, raw_kind)  # unknown kinds fail validation, with reason
    raw_population = (row.get("population") or "").strip()
    population: Any = None
    if raw_population:
        population = int(raw_population) if raw_population.isdigit() else raw_population
    data: dict[str, Any] = {
        "name": row.get("us_city") or "",
        "kind": kind,
        "state": row.get("us_state") or "",
        "population": population,
        "contact_email": placeholder_email(
            row.get("us_city") or "", row.get("us_state")
        ),
    }
    # No population known: the band is chosen explicitly, never the cheapest.
    if population is None and kind in ("COUNTY", "STATE"):
        data["dues_band"] = (county_band if kind == "COUNTY" else state_band).value
    return data


def placeholder_email(name: str, state: str | None) -> str:
    """The data has no contacts: a reserved `.example` address per community."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "member"
    return f"office@{slug}-{(state or 'xx').lower()}.example"


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, row


def seed(
    csv_path: Path,
    county_band: Band = Band.OVER_500K,
    state_band: Band = Band.OVER_500K,
    if_empty: bool = False,
    progress: bool = True,
) -> ImportReport | None:
    upgrade("members")
    engine = make_engine(config.database_url("members"))
    sessions = make_session_factory(engine)

    def uow() -> MembersUnitOfWork:
        # No relay here: the service's relay publishes these events when it runs.
        return MembersUnitOfWork(sessions, "members", outbox, processed_events)

    policy = settings.policy()
    try:
        with uow() as check:
            if if_empty and not check.members.is_empty():
                return None
            year = policy.calendar.year_of(check.clock.today())
            has_schedule = check.schedules.get(year) is not None
        if not has_schedule:
            bands = [
                {
                    "min_population": band.min_population,
                    "max_population": band.max_population,
                    "amount_cents": amount,
                }
                for band, amount in zip(BANDS, DEMO_AMOUNTS, strict=True)
            ]
            dues.set_dues_schedule(uow, SERVICE, policy, year, bands)
        rows = [
            (number, fields_of(row, county_band, state_band))
            for number, row in read_rows(csv_path)
        ]
        names = {number: f"{d['name']}, {d['state']}" for number, d in rows}
        report = ImportReport()
        with tqdm(
            total=len(rows), unit="row", desc="members", disable=not progress
        ) as bar:
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH]
                report.add(import_members(uow, SERVICE, policy, chunk))
                bar.update(len(chunk))
        print_report(report, names)
        return report
    finally:
        engine.dispose()


def print_report(report: ImportReport, names: Mapping[int, str]) -> None:
    print(
        f"members: {report.imported} imported, {report.already_present} already "
        f"present, {len(report.skipped)} skipped"
    )
    for skipped in report.skipped:
        where = names.get(skipped.row, "?")
        print(f"  skipped line {skipped.row} ({where}): {skipped.reason}")
    if report.population_missing:
        print(
            f"  {len(report.population_missing)} imported with their population "
            "missing: dues not issued until staff sets it "
            "(members(filter: {populationMissing: true}))"
        )
    for row in report.population_missing:
        print(f"  population missing, line {row} ({names.get(row, '?')})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.members.seed")
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument(
        "--if-empty", action="store_true", help="skip a seeded database"
    )
    choices = [b.value for b in BANDS]
    parser.add_argument("--county-band", choices=choices, default=Band.OVER_500K.value)
    parser.add_argument("--state-band", choices=choices, default=Band.OVER_500K.value)
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    if not args.csv.is_file():
        print(f"members seed: no such file {args.csv}", file=sys.stderr)
        return 2
    report = seed(
        args.csv,
        Band(args.county_band),
        Band(args.state_band),
        if_empty=args.if_empty,
        progress=not args.no_progress,
    )
    if report is None:
        print("members: database already has members; nothing imported (--if-empty)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
