"""Apply a service's Alembic migrations: `python -m common.migrate members [...]`.

Each service keeps its migrations in `services/<name>/migrations`; the URL
comes from `<NAME>_DATABASE_URL` or the SQLite default.
"""

from __future__ import annotations

import argparse
import sys

from alembic import command
from alembic.config import Config

from common import config


def alembic_config(service: str, url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option(
        "script_location", str(config.REPO_ROOT / "services" / service / "migrations")
    )
    cfg.set_main_option("sqlalchemy.url", url or config.database_url(service))
    cfg.attributes["service"] = service
    return cfg


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
