"""Is a nameko service ready? `python deploy/healthcheck.py members`.

Makes one `health` RPC call to the service through nameko's standalone
`ClusterRpcProxy` (AMQP_URI as the services use it) and waits at most
`--timeout` seconds (2 by default) for the answer. Exits 0 when the service
answers `status: UP` (it has just run `SELECT 1` on its database), else 1 with
the reason on stderr. Used by the docker-compose healthchecks and the
Kubernetes readiness probes; it changes nothing.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import warnings
from pathlib import Path
from typing import Any

# Run as a script, Python puts deploy/ on sys.path, not the project: add it so
# `common` resolves to this checkout (or /app in the image) from any directory.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# nameko imports eventlet, which warns that it is deprecated; silence exactly that.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

from common import config  # noqa: E402
from common.amqp import safe_uri  # noqa: E402


class Timeout(BaseException):  # not swallowed by a library's `except Exception`
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise Timeout


def check(service: str, timeout: float) -> str | None:
    """None when healthy, else why not."""
    from nameko.exceptions import RpcTimeout, UnknownService
    from nameko.standalone.rpc import ClusterRpcProxy

    # py-amqp logs the broker returning the unroutable call; the reason follows.
    logging.getLogger("amqp").setLevel(logging.ERROR)
    uri = config.amqp_uri()
    # A hard stop for what the RPC timeout does not cover (connecting to a
    # broker that does not answer): connecting gets the same budget again.
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, 2 * timeout + 1)
    try:
        proxy_config = {"AMQP_URI": uri, "serializer": "json"}
        with ClusterRpcProxy(proxy_config, timeout=timeout) as rpc:
            answer = getattr(rpc, service).health()
    except UnknownService:
        return f"{service}: no such service on the broker (not started yet?)"
    except RpcTimeout:
        return f"{service}: no health answer within {timeout:g} s"
    except Timeout:
        return f"{service}: broker {safe_uri(uri)} did not answer in time"
    except Exception as exc:  # broker down, service error: all mean not ready
        return f"{service}: {type(exc).__name__}: {exc}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    if not isinstance(answer, dict) or answer.get("status") != "UP":
        return f"{service}: unhealthy answer {answer!r}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python deploy/healthcheck.py")
    parser.add_argument("service", choices=config.SERVICES)
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds")
    parser.add_argument("-q", "--quiet", action="store_true", help="no output on 0")
    args = parser.parse_args(argv)
    problem = check(args.service, args.timeout)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"{args.service}: UP")
    return 0


if __name__ == "__main__":
    sys.exit(main())
