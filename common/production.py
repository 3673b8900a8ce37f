"""Production mode: `PLATFORM_ENV=production`, and what a process refuses there.

Every default of the platform is for a developer's machine: well-known
secrets, a guest broker account, clocks tests can move, a sign-in page that
hands out tokens. In production mode a process checks its settings before it
does anything else and refuses to start, naming each setting at fault, when a
secret is missing, empty, short or a development value, when a clock can be
moved, or when a development-only endpoint is on. `docker-compose.yml` and the
Kubernetes manifests set `PLATFORM_ENV=production`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from urllib.parse import urlsplit

from common.config import SERVICES, broker_urls

SETTING = "PLATFORM_ENV"
PRODUCTION = "production"
# A secret shorter than this is a password someone typed, not a key.
MIN_SECRET_LENGTH = 32


def is_production() -> bool:
    return os.environ.get(SETTING, "").strip().lower() == PRODUCTION


def secret_problem(
    name: str, dev_values: Iterable[str] = (), min_length: int = 0
) -> str | None:
    """Why the secret in environment variable `name` may not be used, if so."""
    value = os.environ.get(name, "").strip()
    if not value:
        return f"{name} is missing or empty"
    if value in dev_values:
        return f"{name} is a development value"
    if len(value) < min_length:
        return f"{name} is shorter than {min_length} characters"
    return None


def on_problem(name: str) -> str | None:
    """A development-only switch (`name`) that is on."""
    value = os.environ.get(name, "").strip().lower()
    if value and value not in ("0", "off", "false", "no"):
        return f"{name} is on (development only)"
    return None


def broker_problems() -> list[str]:
    uri = os.environ.get("AMQP_URI", "").strip()
    if not uri:
        return ["AMQP_URI is missing (the development default uses guest:guest)"]
    try:
        urls = broker_urls(uri)
    except ValueError as exc:
        return [str(exc)]
    for url in urls:  # every node's address: failover must not reach a guest
        parts = urlsplit(url)
        if not parts.password or (parts.username, parts.password) == (
            "guest",
            "guest",
        ):
            return ["AMQP_URI has no password or the guest account"]
    return []


def database_problems(service: str) -> list[str]:
    name = f"{service.upper()}_DATABASE_URL"
    url = os.environ.get(name, "").strip()
    if not url:
        return [f"{name} is missing (the development default is a SQLite file)"]
    return []


def service_problems(service: str) -> list[str]:
    """What every nameko service checks: its broker, its database and that
    its clock cannot be moved (`common.clock`)."""
    problems = broker_problems()
    if service in SERVICES:
        problems += database_problems(service)
        moved = on_problem(f"{service.upper()}_CLOCK_CONTROL")
        problems += [moved] if moved else []
    return problems


def refuse_to_start(process: str, problems: Iterable[str | None]) -> None:
    """In production mode, exit (status 78, EX_CONFIG) naming every problem."""
    if not is_production():
        return
    found = [p for p in problems if p]
    if not found:
        return
    print(
        f"{process}: refusing to start with {SETTING}={PRODUCTION}:\n"
        + "\n".join(f"  - {p}" for p in found),
        file=sys.stderr,
        flush=True,
    )
    raise SystemExit(78)


def refuse_in_production(process: str) -> None:
    """For development-only programs (the offline Stripe): never in production."""
    if is_production():
        print(
            f"{process}: development only; refusing to run with {SETTING}={PRODUCTION}",
            file=sys.stderr,
            flush=True,
        )
        raise SystemExit(78)
