"""A service's /healthz, /readyz and /metrics on a port of its own: an RPC
call moves its counter, and /readyz says so while its broker is away."""

from __future__ import annotations

import httpx

from tests.support.platform import Platform, free_port
from tests.support.tcpproxy import TcpProxy
from tests.support.wait import wait_until


def sample(metrics: str, name: str, **labels: str) -> float:
    """A sample's value in the text format (labels in name order), 0 when
    absent."""
    wanted = ",".join(f'{key}="{labels[key]}"' for key in sorted(labels))
    prefix = f"{name}{{{wanted}}} "
    for line in metrics.splitlines():
        if line.startswith(prefix):
            return float(line[len(prefix) :])
    return 0.0


def test_metrics_count_rpc_calls_and_readyz_follows_the_broker(
    platform: Platform, proxy: tuple[TcpProxy, str]
) -> None:
    cut, uri = proxy
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The only members process: every call below is this one's.
    if "members" in platform.processes:
        platform.stop("members")
    platform.start("members", env={"AMQP_URI": uri, "MEMBERS_HTTP_PORT": str(port)})
    members = platform.processes["members"]
    try:
        assert httpx.get(f"{base}/healthz").json()["status"] == "UP"
        # The health RPC that `start` waits on answers before every event
        # consumer has started: readiness follows within moments.
        wait_until(
            lambda: httpx.get(f"{base}/readyz").status_code == 200,
            timeout=30,
            message="members ready",
        )

        labels = {"service": "members", "method": "health"}
        before = sample(
            httpx.get(f"{base}/metrics").text, "rpc_requests_total", **labels
        )
        platform.rpc("members", "health")
        # Counted as the worker ends, just after its reply was sent.
        text = wait_until(
            lambda: (
                (page := httpx.get(f"{base}/metrics").text)
                and sample(page, "rpc_requests_total", **labels) >= before + 1
                and page
            ),
            timeout=10,
            message="the call counted",
        )
        assert sample(text, "rpc_duration_seconds_count", **labels) >= before + 1
        assert 'outbox_unpublished_events{service="members"}' in text
        assert 'outbox_oldest_unpublished_age_seconds{service="members"}' in text

        cut.cut()  # the broker goes away: not ready, still alive
        down = wait_until(
            lambda: (r := httpx.get(f"{base}/readyz")).status_code == 503 and r,
            timeout=30,
            message="/readyz unready without the broker",
        )
        assert "broker connection lost" in down.json()["problems"]
        assert httpx.get(f"{base}/healthz").status_code == 200

        cut.start()  # back: ready again, by itself
        wait_until(
            lambda: httpx.get(f"{base}/readyz").status_code == 200,
            timeout=60,
            message="/readyz ready again",
        )
    except BaseException:
        print(f"--- members log ---\n{members.log_tail(80)}")
        raise
    finally:
        platform.stop("members")
        # Its settings (the proxy, the port) are this test's: a later test
        # starts a members of its own.
        del platform.processes["members"]
