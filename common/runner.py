"""Run one service: `python -m common.runner members`.

Patches the standard library for eventlet before anything else is imported,
makes psycopg2 cooperative, checks the broker once with a clear message, then
hands over to nameko's own runner (which stops cleanly on SIGTERM / Ctrl-C).
"""

from __future__ import annotations

import warnings

# eventlet warns on import that it is deprecated; silence exactly that.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()

import argparse  # noqa: E402
import importlib  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

from eventlet.support import psycopg2_patcher  # noqa: E402
from nameko.cli.run import run  # noqa: E402

from common import amqp, config, production, tracing  # noqa: E402
from common.correlation import setup_logging  # noqa: E402
from common.heap import freeze_startup_heap  # noqa: E402


def nameko_config() -> dict[str, Any]:
    return {
        "AMQP_URI": config.amqp_uri(),
        "max_workers": int(config.env("MAX_WORKERS", "20")),
        "serializer": "json",
        "parent_calls_tracked": 10,
    }


def service_class(target: str) -> type:
    """`members` -> services.members.service:Service; or any `module:Class`."""
    module_name, _, attr = target.partition(":")
    if not attr:
        module_name, attr = f"services.{target}.service", "Service"
    cls: type = getattr(importlib.import_module(module_name), attr)
    return cls


def production_problems(target: str) -> list[str | None]:
    """What keeps `target` from running in production: the broker, its
    database and what its module's `production_problems()` names."""
    module_name = target.partition(":")[0] or target
    if ":" not in target:
        module_name = f"services.{target}.service"
    own = getattr(importlib.import_module(module_name), "production_problems", None)
    return [*production.service_problems(target), *(own() if own else [])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m common.runner")
    parser.add_argument("service", help="a service name, or module:Class")
    args = parser.parse_args(argv)
    setup_logging(os.environ.get("LOG_LEVEL", "INFO"))
    if production.is_production():
        production.refuse_to_start(args.service, production_problems(args.service))
    uri = config.amqp_uri()
    if not amqp.is_reachable(uri):
        print(
            f"{args.service}: RabbitMQ is not reachable at {amqp.safe_uri(uri)} "
            "- start it with `sudo rabbitmq-server -detached` "
            "(or `docker compose up -d rabbitmq`), or set AMQP_URI.",
            file=sys.stderr,
        )
        return 1
    psycopg2_patcher.make_psycopg_green()
    service = service_class(args.service)
    # Before the container starts: its Storage instruments its engine.
    tracing.setup(getattr(service, "name", args.service))
    frozen = freeze_startup_heap()
    logging.getLogger(__name__).info(
        "starting %s (%d objects frozen)", args.service, frozen
    )
    run([service], nameko_config())
    return 0


if __name__ == "__main__":
    sys.exit(main())
