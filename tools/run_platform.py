"""`make run`: the whole platform in the foreground, stopped by Ctrl-C.

Checks the broker (one clear line if it is down), applies every service's
migrations, builds the web app when it changed, then runs the Procfile with
honcho, and seeds the demo data in the background once the services answer
(only into empty databases). Without `SMTP_URL`, email goes to the local
sink (`devmail`, the Procfile's `mail`), whose page lists every message;
with it, no sink runs and every message goes to that server.
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
DEVMAIL_SMTP_PORT = config.env("DEVMAIL_SMTP_PORT", "8025")
DEVMAIL_HTTP_PORT = config.env("DEVMAIL_HTTP_PORT", "8426")
# Each service's /healthz, /readyz and /metrics (`<SERVICE>_HTTP_PORT`): off
# unless set, so test platforms never fight over ports; `make run` sets these.
HTTP_PORTS = {
    "members": 9101,
    "partnerships": 9102,
    "grants": 9103,
    "payments": 9104,
    "notifications": 9105,
}
# The Procfile's development SMTP sink: started only when SMTP_URL is unset.
SINK = "mail"
SINK_SETTING = "DEVMAIL_SINK"  # set by platform_env when mail goes to the sink


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
    env.setdefault("APP_BASE_URL", f"http://{GATEWAY_HOST}:{GATEWAY_PORT}")
    for service, port in HTTP_PORTS.items():
        env.setdefault(f"{service.upper()}_HTTP_PORT", str(port))
    if not env.get("SMTP_URL"):
        env["DEVMAIL_SMTP_PORT"] = env.get("DEVMAIL_SMTP_PORT") or DEVMAIL_SMTP_PORT
        env["DEVMAIL_HTTP_PORT"] = env.get("DEVMAIL_HTTP_PORT") or DEVMAIL_HTTP_PORT
        env["SMTP_URL"] = f"smtp://127.0.0.1:{env['DEVMAIL_SMTP_PORT']}/?tls=off"
        env[SINK_SETTING] = "1"
    return env


def processes(env: dict[str, str]) -> dict[str, str]:
    """The Procfile's processes, without the sink when SMTP_URL was given."""
    found = dict(parse_procfile((config.REPO_ROOT / "Procfile").read_text()).processes)
    if env.get(SINK_SETTING) != "1":
        found.pop(SINK, None)
    return found


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
    manager = Manager()
    for name, command in processes(env).items():
        manager.add_process(name, command, env=env, cwd=str(config.REPO_ROOT))
    mail = (
        f"http://127.0.0.1:{env['DEVMAIL_HTTP_PORT']}/ (development sink)"
        if env.get(SINK_SETTING) == "1"
        else "sent to SMTP_URL"
    )
    print(
        f"\n  Web app: http://{GATEWAY_HOST}:{GATEWAY_PORT}/"
        f"\n  GraphiQL: http://{GATEWAY_HOST}:{GATEWAY_PORT}/graphql"
        f"\n  Offline Stripe: http://127.0.0.1:{DEVSTRIPE_PORT}"
        f"\n  Email: {mail}"
        f"\n  Sign in (development): http://{GATEWAY_HOST}:{GATEWAY_PORT}/sign-in"
        "\n  Ctrl-C stops everything.\n",
        flush=True,
    )
    threading.Thread(target=seed_demo.seed_when_ready, args=(env,), daemon=True).start()
    manager.loop()
    return int(manager.returncode or 0)


if __name__ == "__main__":
    sys.exit(main())
