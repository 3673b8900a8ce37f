"""Payments on the session's platform, with the offline Stripe and the gateway."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.payments.world import PaymentsWorld
from tests.support.platform import Platform


@pytest.fixture(scope="session")
def world(platform: Platform) -> PaymentsWorld:
    return PaymentsWorld(platform)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """On a failure, show the payments, members and gateway logs."""
    report = yield
    world = getattr(item, "funcargs", {}).get("world")
    if report.failed and isinstance(world, PaymentsWorld):
        for name in ("payments", "members", "gateway"):
            proc = world.platform.processes.get(name)
            if proc is not None:
                report.sections.append((f"{name} log", proc.log_tail(40)))
    return report
