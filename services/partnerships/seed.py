"""Import the real U.S. sister-city partnerships (the demo seed).

    python -m services.partnerships.seed [--csv data/us_sister_cities.csv]
                                         [--if-empty] [--verbose]

Maps each U.S. community to its member with one batched RPC to the running
members service (`members.find_members`), then imports through the same
validation as the API (see service_layer/importing.py). Prints the rows it
could not take with their line and reason. A second run adds nothing.
Writes to the database in PARTNERSHIPS_DATABASE_URL (or the SQLite default);
the running service's outbox relay publishes the events.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy import func, select
from tqdm import tqdm

from common import config
from common.db import make_engine, make_session_factory
from common.identity import SERVICE
from services.partnerships.adapters.orm import outbox, partnerships, processed_events
from services.partnerships.service_layer.importing import (
    ImportReport,
    SourceRow,
    import_rows,
    member_key,
)
from services.partnerships.service_layer.unit_of_work import (
    PartnershipsUnitOfWork,
    UowFactory,
)

DEFAULT_CSV = config.REPO_ROOT / "data" / "us_sister_cities.csv"
LOOKUP_CHUNK = 2000


def read_rows(path: Path) -> list[SourceRow]:
    with path.open(newline="", encoding="utf-8") as f:
        return [
            SourceRow(
                line=line,
                us_city=r["us_city"],
                us_state=r["us_state"],
                partner_city=r["partner_city"],
                partner_region=r.get("partner_region") or None,
                country=r["partner_country_code"],
                established_year=r.get("established_year") or "",
            )
            for line, r in enumerate(csv.DictReader(f), start=2)
        ]


def find_members(
    keys: Sequence[tuple[str, str]], amqp_uri: str, timeout: float = 60
) -> dict[tuple[str, str], dict[str, Any] | None]:
    """members.find_members for these [name, state] keys, in a few calls."""
    found: dict[tuple[str, str], dict[str, Any] | None] = {}
    with ClusterRpcProxy(
        {"AMQP_URI": amqp_uri},
        timeout=timeout,
        context_data={"identity": SERVICE.to_header()},
    ) as rpc:
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = list(keys[start : start + LOOKUP_CHUNK])
            answers = rpc.members.find_members([list(k) for k in chunk])
            found.update(
                {member_key(*k): a for k, a in zip(chunk, answers, strict=True)}
            )
    return found


def unit_of_work_factory(url: str) -> tuple[UowFactory, Any]:
    engine = make_engine(url)
    sessions = make_session_factory(engine)

    def factory() -> PartnershipsUnitOfWork:
        return PartnershipsUnitOfWork(
            sessions, "partnerships", outbox, processed_events
        )

    return factory, engine


def print_report(report: ImportReport, seconds: float, verbose: bool) -> None:
    shown = [
        s for s in report.skipped if verbose or s.reason != "already in the registry"
    ]
    for s in shown:
        print(f"  line {s.line}: {s.reason}")
    others = len(report.skipped) - report.already_present
    print(
        f"partnerships: {report.read} rows read, {report.taken} imported, "
        f"{report.already_present} already in the registry, {others} skipped "
        f"({seconds:.1f}s)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.partnerships.seed")
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument(
        "--if-empty", action="store_true", help="do nothing if any partnership exists"
    )
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--verbose", action="store_true", help="list every row skipped")
    args = parser.parse_args(argv)

    uow, engine = unit_of_work_factory(config.database_url("partnerships"))
    if args.if_empty:
        with engine.connect() as conn:
            count = conn.execute(
                select(func.count()).select_from(partnerships)
            ).scalar_one()
        if count:
            print(f"partnerships: {count} already in the registry; seed skipped")
            return 0
    started = time.monotonic()
    rows = read_rows(args.csv)
    keys = sorted({(r.us_city, r.us_state) for r in rows})
    try:
        members = find_members(keys, config.amqp_uri())
    except Exception as exc:
        print(
            f"partnerships: could not ask the members service ({exc!r}); "
            "is it running and seeded?",
            file=sys.stderr,
        )
        return 2
    clock = uow().clock
    with tqdm(total=len(rows), unit="row", desc="partnerships", leave=False) as bar:
        report = import_rows(
            uow,
            rows,
            members,
            clock.now(),
            clock.today(),
            batch_size=args.batch_size,
            progress=bar.update,
        )
    print_report(report, time.monotonic() - started, args.verbose)
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
