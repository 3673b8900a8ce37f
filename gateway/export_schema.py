"""Write the GraphQL SDL to schema.graphql at the repo root.

python -m gateway.export_schema          # rewrite it
python -m gateway.export_schema --check  # fail if it is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from common.config import REPO_ROOT
from gateway.schema import build_schema

SCHEMA_FILE = REPO_ROOT / "schema.graphql"


def sdl() -> str:
    return build_schema().as_str().rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway.export_schema")
    parser.add_argument("--check", action="store_true", help="only compare")
    parser.add_argument("--path", type=Path, default=SCHEMA_FILE)
    args = parser.parse_args(argv)
    current = sdl()
    if args.check:
        found = args.path.read_text() if args.path.exists() else None
        if found != current:
            print(
                f"{args.path} is out of date with the gateway schema; "
                "run `python -m gateway.export_schema` and commit it.",
                file=sys.stderr,
            )
            return 1
        print(f"{args.path} is up to date")
        return 0
    args.path.write_text(current)
    print(f"wrote {args.path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
