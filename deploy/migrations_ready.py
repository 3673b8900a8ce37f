"""Wait until a service's database serves this code: `deploy/migrations_ready.py
members`.

Compares the Alembic revision stamped in `<SERVICE>_DATABASE_URL` (or the
SQLite default) with the heads of `services/<service>/migrations` and polls
until the database is at this code's head, or ahead of it by revisions marked
`compatible_with_previous = True` (a rolling upgrade or a rollback: the
previous release's image runs against the newer schema). The migration run
writes down which code heads its schema serves (`common.migrate`), since an
older image does not carry the newer revision files. Exits 0 once ready, 1
after `--wait` seconds (300 by default; 0 checks once). Kubernetes runs it as
each Deployment's init container, so a pod starts only after its migration
Job has finished; it only reads, it never migrates.
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
from common.migrate import MARKER, alembic_config, read_compatible_heads


def pending(service: str) -> str | None:
    """None when the database serves this code, else why it does not."""
    url = config.database_url(service)
    script = ScriptDirectory.from_config(alembic_config(service, url))
    heads = set(script.get_heads())
    engine = make_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
            serves = read_compatible_heads(connection)
    except Exception as exc:  # database not up yet: keep waiting
        shown = make_url(url).render_as_string(hide_password=True)
        return f"database {shown} not reachable: {type(exc).__name__}"
    finally:
        engine.dispose()
    if current == heads:
        return None
    known = {s.revision for s in script.walk_revisions()}
    unknown = sorted(current - known)
    if not unknown:
        return f"at {sorted(current) or 'no revision'}, head is {sorted(heads)}"
    if heads <= serves:
        return None  # ahead, by revisions this code may run against
    return (
        f"at {sorted(current)}, ahead of this code's head {sorted(heads)}, and "
        f"the newer revisions {unknown} are not marked `{MARKER} = True` down "
        f"to it: this older code must not run against that schema"
    )


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
            print(f"{args.service}: database serves this code's head")
            return 0
        if problem != last:
            print(f"{args.service}: waiting for migrations: {problem}", flush=True)
            last = problem
        if time.monotonic() + args.interval > deadline:
            print(
                f"{args.service}: not ready after {args.wait:g} s: {problem}",
                file=sys.stderr,
            )
            return 1
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
