"""Wait until a service's database is at head: `deploy/migrations_ready.py members`.

Compares the Alembic revision stamped in `<SERVICE>_DATABASE_URL` (or the
SQLite default) with the heads of `services/<service>/migrations` and polls
until they match. Exits 0 once they do, 1 after `--wait` seconds (300 by
default; 0 checks once). Kubernetes runs it as each Deployment's init
container, so a pod starts only after its migration Job has finished; it
only reads, it never migrates.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

# Run as a script, Python puts deploy/ on sys.path, not the project: add it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import make_url, pool

from common import config
from common.db import make_engine
from common.migrate import alembic_config


def pending(service: str) -> str | None:
    """None when the database is at head, else what is missing."""
    url = config.database_url(service)
    heads = set(ScriptDirectory.from_config(alembic_config(service, url)).get_heads())
    engine = make_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as exc:  # database not up yet: keep waiting
        shown = make_url(url).render_as_string(hide_password=True)
        return f"database {shown} not reachable: {type(exc).__name__}"
    finally:
        engine.dispose()
    if current == heads:
        return None
    return f"at {sorted(current) or 'no revision'}, head is {sorted(heads)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python deploy/migrations_ready.py")
    parser.add_argument("service", choices=config.SERVICES)
    parser.add_argument("--wait", type=float, default=300.0, help="seconds")
    parser.add_argument("--interval", type=float, default=3.0, help="seconds")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.wait
    last = None
    while True:
        problem = pending(args.service)
        if problem is None:
            print(f"{args.service}: database migrated to head")
            return 0
        if problem != last:
            print(f"{args.service}: waiting for migrations: {problem}", flush=True)
            last = problem
        if time.monotonic() + args.interval > deadline:
            print(f"{args.service}: not at head after {args.wait:g} s", file=sys.stderr)
            return 1
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
