"""A service whose broker goes away (cut by a TCP proxy between them) and
comes back: it stays up and carries on by itself."""

from __future__ import annotations

import threading
from contextlib import suppress

from tests.support.platform import Platform
from tests.support.tcpproxy import TcpProxy
from tests.support.wait import wait_until

NAPPER = "napper=tests.integration.foundation.fixture_services:Napper"


def test_a_reply_lost_with_the_broker_costs_the_caller_a_timeout_not_the_service(
    platform: Platform, proxy: tuple[TcpProxy, str]
) -> None:
    cut, uri = proxy
    platform.start(NAPPER, env={"AMQP_URI": uri})
    napper = platform.processes["napper"]
    try:
        before = platform.rpc("napper", "naps_started")

        def call() -> None:
            with suppress(Exception):  # a timeout, or the reply of a retry
                platform.rpc("napper", "nap", 1.0, timeout=3)

        caller = threading.Thread(target=call, daemon=True)
        caller.start()
        wait_until(
            lambda: platform.rpc("napper", "naps_started") > before,
            message="the nap under way",
        )
        cut.cut()  # the broker goes away while the call runs

        # The reply cannot be sent: the service says so and stays up (nameko
        # kills a container whose worker raised; the process then waits for
        # its consumer to see the broker again, and exits).
        log = wait_until(
            lambda: (
                (text := napper.log_tail(300))
                and ("reply lost" in text or "killing <ServiceContainer" in text)
                and text
            ),
            timeout=30,
            message="the reply tried",
        )
        assert "killing <ServiceContainer" not in log
        assert napper.running
        caller.join(10)

        cut.start()  # the broker is back: the service serves calls again
        platform.wait_healthy("napper", timeout=30)
        assert platform.rpc("napper", "nap", 0) == "rested"
    except BaseException:
        print(f"--- napper log ---\n{napper.log_tail(80)}")
        raise
    finally:
        platform.stop("napper")
