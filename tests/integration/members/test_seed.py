"""The demo seed: the real communities, imported through the API's validation,
into a database of its own (the shared one belongs to the other tests)."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from common.config import REPO_ROOT
from tests.support import infra

CSV = REPO_ROOT / "data" / "us_communities.csv"


@pytest.fixture(scope="module")
def seed_db(run_id: str) -> Iterator[str]:
    name = f"t_{run_id}_members_seed"
    yield infra.create_database(name)  # the seed migrates it itself
    infra.drop_database(name)


def seed(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "services.members.seed", *args],
        cwd=REPO_ROOT,
        env={"MEMBERS_DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def test_the_real_communities_are_imported_with_a_report(seed_db: str) -> None:
    rows = list(csv.DictReader(CSV.open()))
    first = seed(seed_db)
    lines = first.stdout.splitlines()
    assert lines[0] == "members: 1381 imported, 0 already present, 0 skipped"
    assert len(rows) == 1381
    # Cities whose population the data lacks are members all the same: imported
    # with the population missing, listed, and not billed in a guessed band.
    no_population = [
        r for r in rows if not r["population"] and r["kind"] not in ("county", "state")
    ]
    missing = [ln.strip() for ln in lines if ln.strip().startswith("population miss")]
    assert len(missing) == len(no_population) == 28
    assert (
        "28 imported with their population missing: dues not issued until staff "
        "sets it (members(filter: {populationMissing: true}))"
    ) in first.stdout
    assert "population missing, line 3 (Barrow, AK)" in missing
    assert "100%" in first.stderr  # tqdm progress

    engine = create_engine(seed_db)
    with engine.connect() as conn:
        kinds = {
            k: n
            for k, n in conn.execute(
                text("SELECT kind, count(*) FROM members GROUP BY kind")
            )
        }
        assert kinds == {"CITY": 1313, "COUNTY": 47, "STATE": 21}
        assert conn.execute(
            text("SELECT DISTINCT status, good_standing, imported FROM members")
        ).all() == [("ACTIVE", True, True)]
        reasons = conn.execute(
            text(
                "SELECT old_status, new_status, reason, count(*) FROM status_changes "
                "GROUP BY 1, 2, 3 ORDER BY 4"
            )
        ).all()
        assert reasons == [
            (
                None,
                "ACTIVE",
                "imported; population missing: dues not issued until staff sets it",
                28,
            ),
            (None, "ACTIVE", "imported", 1353),
        ]
        (year,) = conn.execute(text("SELECT fiscal_year FROM dues_schedules")).one()
        assert conn.execute(
            text("SELECT DISTINCT fiscal_year, status FROM invoices")
        ).all() == [(year, "PAID")]
        brooklyn = conn.execute(
            text("SELECT kind, population FROM members WHERE name = 'Brooklyn'")
        ).one()
        assert brooklyn == ("CITY", 2736074)  # a borough is a municipality
        # Counties and states without a population: the band chosen explicitly;
        # the cities without one wait for it, with no invoice.
        without = conn.execute(
            text(
                "SELECT kind, chosen_band, count(*) FROM members "
                "WHERE population IS NULL GROUP BY 1, 2 ORDER BY 1"
            )
        ).all()
        assert without == [
            ("CITY", None, 28),
            ("COUNTY", "OVER_500K", 47),
            ("STATE", "OVER_500K", 21),
        ]
        assert (
            conn.execute(
                text(
                    "SELECT count(*) FROM members m WHERE population IS NULL AND "
                    "chosen_band IS NULL AND EXISTS "
                    "(SELECT 1 FROM invoices i WHERE i.member_id = m.member_id)"
                )
            ).scalar()
            == 0
        )
        events = {
            t: n
            for t, n in conn.execute(
                text("SELECT event_type, count(*) FROM outbox GROUP BY 1")
            )
        }
        assert events == {
            "member_registered": 1381,
            "dues_invoice_issued": 1353,
            "membership_status_changed": 1381,
        }

    again = seed(seed_db)
    assert again.stdout.splitlines() == [
        "members: 0 imported, 1381 already present, 0 skipped"
    ]
    assert seed(seed_db, "--if-empty").stdout.startswith("members: database already")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM members")).scalar() == 1381
        assert conn.execute(text("SELECT count(*) FROM invoices")).scalar() == 1353
    engine.dispose()


def test_rows_with_a_missing_or_garbled_kind_are_skipped(
    seed_db: str, tmp_path: Path
) -> None:
    path = tmp_path / "few.csv"
    header = (
        "us_city,us_state,kind,n_partnerships,geonameid,population,"
        "latitude,longitude,in_cities15000"
    )
    path.write_text(
        "\n".join(
            [
                header,
                "Kindless,OH,,1,,500,,,no",
                "Oddkind,OH,hamlet,1,,500,,,no",
                "Nostate,ZZ,city,1,,500,,,no",
                "Badpop,OH,city,1,,many,,,no",
                "Fineville Seedtest,OH,township,1,,500,,,no",
            ]
        )
        + "\n"
    )
    out = seed(seed_db, "--csv", str(path), "--no-progress").stdout
    assert out.splitlines()[0] == "members: 1 imported, 0 already present, 4 skipped"
    assert "skipped line 2 (Kindless, OH): kind: unknown kind ''" in out
    assert "skipped line 3 (Oddkind, OH): kind: unknown kind 'hamlet'" in out
    assert "skipped line 4 (Nostate, ZZ): state:" in out
    assert "skipped line 5 (Badpop, OH): population:" in out
