"""Helpers for tests that need a running devstripe.

    port = free_port()
    proc = start_devstripe(port, "http://127.0.0.1:8000/webhooks/stripe",
                           "whsec_test", tmp_path)
    try:
        wait_ready(port, proc=proc)
        client = stripe.StripeClient(
            "sk_test_x", base_addresses={"api": f"http://127.0.0.1:{port}"})
        ...
    finally:
        stop_devstripe(proc)

The process runs in ``workdir`` with fresh state (``--from-scratch``), logs to
``workdir/devstripe.log`` and retries webhooks quickly (0.2 s base, 1 s cap).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_REPO_ROOT = Path(__file__).resolve().parent.parent
LOG_NAME = "devstripe.log"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def start_devstripe(
    port: int,
    webhook_url: str,
    secret: str,
    workdir: str | os.PathLike[str],
    *,
    host: str = "127.0.0.1",
    retry_base: float = 0.2,
    retry_max_delay: float = 1.0,
    max_attempts: int = 20,
    extra_args: Sequence[str] = (),
) -> subprocess.Popen[bytes]:
    """Start ``python -m devstripe`` in the background; see :func:`wait_ready`."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    # Importable from any cwd, installed or not.
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(_REPO_ROOT), env.get("PYTHONPATH", "")) if p
    )
    args = [
        sys.executable,
        "-m",
        "devstripe",
        "--host",
        host,
        "--port",
        str(port),
        "--webhook-url",
        webhook_url,
        "--webhook-secret",
        secret,
        "--retry-base",
        str(retry_base),
        "--retry-max-delay",
        str(retry_max_delay),
        "--max-attempts",
        str(max_attempts),
        "--state-file",
        str(workdir / "localstripe.pickle"),
        "--from-scratch",
        *extra_args,
    ]
    with (workdir / LOG_NAME).open("ab") as log:
        return subprocess.Popen(
            args, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT
        )


def wait_ready(
    port: int,
    *,
    host: str = "127.0.0.1",
    timeout: float = 15.0,
    proc: subprocess.Popen[bytes] | None = None,
) -> None:
    """Block until ``GET /_devstripe/health`` answers; raise if it never does."""
    url = f"http://{host}:{port}/_devstripe/health"
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(
                f"devstripe exited with code {proc.returncode}; see {LOG_NAME} "
                "in its workdir"
            )
        try:
            with urllib.request.urlopen(url, timeout=1) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"devstripe did not answer on {url} in {timeout}s")
        time.sleep(0.05)  # polling interval, not a wait-for-luck


def stop_devstripe(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def admin_request(
    port: int,
    path: str,
    *,
    method: str = "GET",
    data: dict[str, Any] | None = None,
    host: str = "127.0.0.1",
) -> Any:
    """Call a ``/_devstripe`` or ``/checkout`` endpoint with JSON; returns JSON."""
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(
        f"http://{host}:{port}{path}",
        data=body,
        method=method,
        headers={"Content-Type": "application/json"} if body is not None else {},
    )
    with urllib.request.urlopen(request, timeout=30) as resp:
        return json.loads(resp.read() or b"null")
