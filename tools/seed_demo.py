"""Seed the demo data (real U.S. communities, then their partnerships) once the
services answer. Each seed is a documented command of its own service and adds
rows only to an empty database (`--if-empty`)."""

from __future__ import annotations

import warnings

# nameko's standalone proxy imports eventlet, which warns that it is deprecated.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import importlib.util  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from nameko.standalone.rpc import ClusterRpcProxy  # noqa: E402

from common import config  # noqa: E402

SEEDS = (
    ("members", "services.members.seed"),
    ("partnerships", "services.partnerships.seed"),
)


def wait_healthy(services: tuple[str, ...], timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    with ClusterRpcProxy({"AMQP_URI": config.amqp_uri()}, timeout=2) as rpc:
        for service in services:
            while True:
                try:
                    if getattr(rpc, service).health()["status"] == "UP":
                        break
                except Exception:  # not up yet
                    if time.monotonic() > deadline:
                        return False
                    time.sleep(0.5)
    return True


def seed_when_ready(env: dict[str, str]) -> None:
    if not wait_healthy(tuple(service for service, _ in SEEDS)):
        print("seed: services did not come up; demo data not loaded", flush=True)
        return
    for service, module in SEEDS:
        if importlib.util.find_spec(module) is None:
            continue
        print(f"seed: {service} (only if its database is empty)", flush=True)
        subprocess.run(
            [sys.executable, "-m", module, "--if-empty"],
            env=env,
            cwd=str(config.REPO_ROOT),
            check=False,
        )
