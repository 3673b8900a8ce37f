"""Print a development token (HS256 with AUTH_JWT_SECRET).

python -m gateway.token --role staff
python -m gateway.token --role member --member-id 42 --hours 2
"""

from __future__ import annotations

import argparse

from common.identity import ROLES
from gateway.auth import issue_token
from gateway.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway.token")
    parser.add_argument("--role", required=True, choices=ROLES)
    parser.add_argument("--member-id")
    parser.add_argument("--reviewer-id")
    parser.add_argument("--sub", help="subject (default dev-<role>)")
    parser.add_argument("--hours", type=float, default=12.0)
    args = parser.parse_args(argv)
    if args.role == "member" and not args.member_id:
        parser.error("--role member needs --member-id")
    if args.role == "reviewer" and not args.reviewer_id:
        parser.error("--role reviewer needs --reviewer-id")
    try:
        token = issue_token(
            Settings.from_env(),
            args.role,
            sub=args.sub,
            member_id=args.member_id,
            reviewer_id=args.reviewer_id,
            hours=args.hours,
        )
    except ValueError as exc:
        parser.error(f"--hours: {exc}")
    print(token)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
