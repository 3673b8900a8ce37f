"""The import command on real services: members mapped through the members
service's `find_members`, bad rows reported with line and reason, the rest
taken ACTIVE with reason `imported`, a second run adding nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from common.migrate import upgrade
from tests.integration.partnerships.conftest import STAFF, Partnerships, uid
from tests.support import infra
from tests.support.platform import Platform

HEADER = (
    "us_city,us_state,partner_city,partner_region,partner_country_code,"
    "partner_country,established_year,source\n"
)


def run_seed(
    platform: Platform, csv_path: Path, *extra: str, env: dict[str, str] | None = None
) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "services.partnerships.seed", "--csv", csv_path, *extra],
        env={**platform.env, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def register_town(
    platform: Platform, name: str, state: str, population: int
) -> dict[str, Any]:
    """A member community, through the running members service."""
    platform.start("members")
    member: dict[str, Any] = platform.rpc(
        "members",
        "register_member",
        {
            "name": name,
            "kind": "CITY",
            "state": state,
            "population": population,
            "contact_email": "clerk@example.org",
        },
        identity=STAFF,
    )
    return member


def test_import_reports_bad_rows_takes_the_rest_and_is_idempotent(
    platform: Platform, pships: Partnerships, tmp_path: Path
) -> None:
    town = f"Importville {uid()}"
    member = register_town(platform, town, "OR", 42_000)
    lines = [
        f"{town},OR,Tromsø,Troms,NO,Norway,1985,test",  # line 2
        f"{town},OR,Chitose,Hokkaido,JP,Japan,,test",  # line 3
        f"{town},OR,Atlantis,,ZZ,Nowhere,,test",  # line 4: unknown country
        f"Nowhere Springs {uid()},OR,Paris,,FR,France,,test",  # line 5: no member
        f"{town.upper()},or,TROMSO,,NO,Norway,,test",  # line 6: duplicate of line 2
        f"{town},OR,Cork,,IE,Ireland,1066,test",  # line 7: year before 1900
    ]
    csv_path = tmp_path / "rows.csv"
    csv_path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")

    out = run_seed(platform, csv_path)
    assert "line 4: country: unknown country code 'ZZ'" in out
    assert "line 5: us_city: unknown member 'Nowhere Springs" in out
    assert "line 6: duplicate of line 2" in out
    assert "line 7: established_year:" in out
    assert "6 rows read, 2 imported, 0 already in the registry, 4 skipped" in out

    (mine,) = pships.call("partnerships_of_members", [member["member_id"]])
    assert sorted(p["partner_city"] for p in mine) == ["Chitose", "Tromsø"]
    assert {p["status"] for p in mine} == {"ACTIVE"}
    tromso = next(p for p in mine if p["partner_city"] == "Tromsø")
    assert tromso["established_year"] == 1985 and tromso["member_state"] == "OR"
    (history,) = pships.call("partnership_histories", [tromso["id"]])
    assert [(h["to_status"], h["reason"]) for h in history] == [("ACTIVE", "imported")]
    assert history[0]["details"] == {"line": 2}
    # A new member is PENDING (its first invoice unpaid): not recognized yet.
    assert tromso["recognized"] is False
    types = [e["type"] for e in pships.events(tromso["id"])]
    assert types == ["partnership_registered", "partnership_status_changed"]

    again = run_seed(platform, csv_path)
    assert "6 rows read, 0 imported, 2 already in the registry, 4 skipped" in again
    assert len(pships.call("partnerships_of_members", [member["member_id"]])[0]) == 2

    skipped = run_seed(platform, csv_path, "--if-empty")
    assert "seed skipped" in skipped


def test_an_import_leaves_no_pending_text_index_entries(
    platform: Platform, tmp_path: Path
) -> None:
    """PostgreSQL queues GIN inserts in a pending list that every text search
    scans until a vacuum; the import folds its rows in at once. On a database
    of its own, so that no other writer adds entries meanwhile."""
    town = f"Indexville {uid()}"
    register_town(platform, town, "ME", 9_000)
    csv_path = tmp_path / "rows.csv"
    rows = [f"{town},ME,Bergen {i},,NO,Norway,,test" for i in range(300)]
    csv_path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    name = f"t_{infra.run_id()}_gin_{uid()}"
    url = infra.create_database(name)
    engine = create_engine(url)
    try:
        upgrade("partnerships", url)
        out = run_seed(platform, csv_path, env={"PARTNERSHIPS_DATABASE_URL": url})
        assert "300 imported" in out
        pending = "SELECT gin_clean_pending_list('ix_partnerships_search_text_trgm')"
        with engine.connect() as conn:
            assert conn.execute(text(pending)).scalar_one() == 0
    finally:
        engine.dispose()
        infra.drop_database(name)


def test_rows_with_a_us_territory_as_partner_are_refused_with_the_reason(
    platform: Platform, pships: Partnerships, tmp_path: Path
) -> None:
    town = f"Territoryville {uid()}"
    member = register_town(platform, town, "FL", 30_000)
    lines = [
        f"{town},FL,San Juan,,PR,Puerto Rico,,test",  # line 2
        f"{town},FL,Hagåtña,,GU,Guam,,test",  # line 3
        f"{town},FL,Charlotte Amalie,,VI,U.S. Virgin Islands,,test",  # line 4
        f"{town},FL,Pago Pago,,AS,American Samoa,,test",  # line 5
        f"{town},FL,Saipan,,MP,Northern Mariana Islands,,test",  # line 6
        f"{town},FL,Wake Island,,UM,U.S. Minor Outlying Islands,,test",  # line 7
        f"{town},FL,Santo Domingo,,DO,Dominican Republic,,test",  # line 8: abroad
    ]
    csv_path = tmp_path / "territories.csv"
    csv_path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")

    out = run_seed(platform, csv_path)
    assert (
        "line 2: country: Puerto Rico (PR) is a U.S. territory: its communities "
        "are U.S. communities, not partners abroad"
    ) in out
    for line, code in enumerate(("GU", "VI", "AS", "MP", "UM"), start=3):
        assert f"line {line}: country: " in out
        assert f"({code}) is a U.S. territory" in out
    assert "7 rows read, 1 imported, 0 already in the registry, 6 skipped" in out
    (mine,) = pships.call("partnerships_of_members", [member["member_id"]])
    assert [p["country"] for p in mine] == ["DO"]
