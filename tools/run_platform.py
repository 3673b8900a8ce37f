"""`make run`: the whole platform in the foreground, stopped by Ctrl-C.

Checks the broker (one clear line if it is down), applies every service's
migrations, builds the web app when it changed, then runs the Procfile with
honcho, and seeds the demo data in the background once the services answer
(only into empty databases).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from honcho.environ import parse_procfile
from honcho.manager import Manager

from common import amqp, config
from common.migrate import upgrade
from tools import build_web, seed_demo

GATEWAY_HOST = config.env("GATEWAY_HOST", "127.0.0.1")
GATEWAY_PORT = config.env("GATEWAY_PORT", "8000")
DEVSTRIPE_PORT = config.env("DEVSTRIPE_PORT", "8420")


def platform_env() -> dict[str, str]:
    """The caller's environment, plus the development defaults it does not set."""
    env = dict(os.environ)
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = f"{venv_bin}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("PYTHONUNBUFFERED", "1")
    env.setdefault("STRIPE_API_BASE", f"http://127.0.0.1:{DEVSTRIPE_PORT}")
    env.setdefault("STRIPE_API_KEY", "sk_test_devstripe")
    env.setdefault("STRIPE_WEBHOOK_SECRET", "whsec_dev_secret")
    env.setdefault(
        "DEVSTRIPE_WEBHOOK_URL", f"http://{GATEWAY_HOST}:{GATEWAY_PORT}/webhooks/stripe"
    )
    env.setdefault("DATA_DIR", str(config.data_dir()))
    return env


def main() -> int:
    uri = config.amqp_uri()
    if not amqp.is_reachable(uri):
        print(
            f"RabbitMQ is not reachable at {amqp.safe_uri(uri)}: start it with "
            "`sudo rabbitmq-server -detached` (or `docker compose up -d rabbitmq`), "
            "or point AMQP_URI at yours.",
            file=sys.stderr,
        )
        return 1
    for service in config.SERVICES:
        upgrade(service)
    try:
        build_web.build()
    except subprocess.CalledProcessError as exc:
        print(f"web app: the build failed ({exc}); the API runs without it", flush=True)
    env = platform_env()
    procfile = parse_procfile((config.REPO_ROOT / "Procfile").read_text())
    manager = Manager()
    for name, command in procfile.processes.items():
        manager.add_process(name, command, env=env, cwd=str(config.REPO_ROOT))
    print(
        f"\n  Web app: http://{GATEWAY_HOST}:{GATEWAY_PORT}/"
        f"\n  GraphiQL: http://{GATEWAY_HOST}:{GATEWAY_PORT}/graphql"
        f"\n  Offline Stripe: http://127.0.0.1:{DEVSTRIPE_PORT}"
        f"\n  Sign in (development): http://{GATEWAY_HOST}:{GATEWAY_PORT}/sign-in"
        "\n  Ctrl-C stops everything.\n",
        flush=True,
    )
    threading.Thread(target=seed_demo.seed_when_ready, args=(env,), daemon=True).start()
    manager.loop()
    return int(manager.returncode or 0)


if __name__ == "__main__":
    sys.exit(main())
