"""Apply a service's Alembic migrations: `python -m common.migrate members [...]`.

Each service keeps its migrations in `services/<name>/migrations`; the URL
comes from `<NAME>_DATABASE_URL` or the SQLite default.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, MetaData, String, Table, inspect, select

from common import config

# A revision whose module says `compatible_with_previous = True` leaves the
# schema usable by the code of the revision before it (expand and contract:
# it adds, it does not drop or rename what that code uses).
MARKER = "compatible_with_previous"

# Written by every migration run (common.migrations_env), beside Alembic's
# own `alembic_version`: the code heads that may run against the schema as it
# now is. An older image cannot read the newer revision files it does not
# carry, so the migrating (newer) code writes down what they say.
COMPATIBLE_TABLE = "alembic_compatible_heads"
_compatible = Table(
    COMPATIBLE_TABLE, MetaData(), Column("revision", String(32), primary_key=True)
)


def alembic_config(service: str, url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option(
        "script_location", str(config.REPO_ROOT / "services" / service / "migrations")
    )
    cfg.set_main_option("sqlalchemy.url", url or config.database_url(service))
    cfg.attributes["service"] = service
    return cfg


def not_bookkeeping(name: str | None, type_: str, _parents: object) -> bool:
    """Autogenerate's `include_name`: it leaves `COMPATIBLE_TABLE` alone, as
    it does Alembic's own `alembic_version`."""
    return not (type_ == "table" and name == COMPATIBLE_TABLE)


def compatible_heads(script: ScriptDirectory, heads: Iterable[str]) -> set[str]:
    """The code heads that may run against a database at `heads`: each head,
    and down from it, the revision before each one marked `MARKER`."""
    found: set[str] = set()
    for head in heads:
        revision: str | None = head
        while revision is not None and revision not in found:
            found.add(revision)
            script_rev = script.get_revision(revision)
            down = script_rev.down_revision if script_rev is not None else None
            marked = script_rev is not None and bool(
                getattr(script_rev.module, MARKER, False)
            )
            # Not marked, the first revision, or a merge: the walk ends here.
            revision = down if marked and isinstance(down, str) else None
    return found


def record_compatible_heads(connection: Connection, heads: set[str]) -> None:
    """Replace what `COMPATIBLE_TABLE` holds (in the caller's transaction)."""
    _compatible.create(connection, checkfirst=True)
    connection.execute(_compatible.delete())
    if heads:
        connection.execute(
            _compatible.insert(), [{"revision": r} for r in sorted(heads)]
        )


def read_compatible_heads(connection: Connection) -> set[str]:
    """What the last migration run wrote down; nothing before the first."""
    if not inspect(connection).has_table(COMPATIBLE_TABLE):
        return set()
    return set(connection.execute(select(_compatible.c.revision)).scalars())


def upgrade(service: str, url: str | None = None) -> None:
    command.upgrade(alembic_config(service, url), "head")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m common.migrate")
    parser.add_argument("services", nargs="*", default=list(config.SERVICES))
    args = parser.parse_args(argv)
    for service in args.services:
        if service not in config.SERVICES:
            parser.error(f"unknown service {service!r}")
        upgrade(service)
        print(f"{service}: migrated to head")
    return 0


if __name__ == "__main__":
    sys.exit(main())
