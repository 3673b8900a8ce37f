"""A message whose handler kills its process: without a limit, the broker
hands it out again at every restart and the service never gets past it.
After EVENT_MAX_DELIVERIES returns (2 here) it is parked before its handler
runs, and the restarted service goes on with the next events."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine

from common.deadletters import DeadLetter, list_dead_letters
from tests.integration.foundation import fixture_services as fx
from tests.support import infra
from tests.support.platform import Platform
from tests.support.wait import wait_until


@pytest.fixture
def databases() -> Iterator[dict[str, str]]:
    with (
        infra.scratch_database("crash_ledger") as ledger,
        infra.scratch_database("fragile") as fragile,
    ):
        for url, metadata in (
            (ledger, fx.ledger_metadata),
            (fragile, fx.audit_metadata),
        ):
            engine = create_engine(url)
            metadata.create_all(engine)
            engine.dispose()
        yield {"ledger": ledger, "fragile": fragile}


def test_a_message_that_crashes_its_handler_is_parked_not_looped(
    platform: Platform, databases: dict[str, str]
) -> None:
    if "ledger" in platform.processes:
        platform.stop("ledger")  # started by another module on its own database
    platform.start(
        "ledger=tests.integration.foundation.fixture_services:Ledger",
        "fragile=tests.integration.foundation.fixture_services:Fragile",
        env={
            "LEDGER_DATABASE_URL": databases["ledger"],
            "FRAGILE_DATABASE_URL": databases["fragile"],
            "EVENT_MAX_DELIVERIES": "2",
        },
    )
    fragile = platform.processes["fragile"]
    try:
        platform.rpc("ledger", "record", f"crash-{uuid.uuid4().hex[:8]}")
        crashes = 0

        def supervised_until_parked() -> list[DeadLetter] | None:
            nonlocal crashes
            if not fragile.running:
                crashes += 1
                fragile.start()  # as Kubernetes restarts a crashed container
            letters = list_dead_letters("fragile", platform.amqp_uri)
            return letters if len(letters) == 2 else None

        letters = wait_until(
            supervised_until_parked, timeout=120, interval=0.3, message="parked"
        )
        print(f"crashes before the message was parked: {crashes}")
        # Handed out twice, crashing the process each time; then parked.
        assert crashes >= 2
        assert {d.queue.rsplit(".", 1)[-1] for d in letters} == {"first", "second"}
        assert all("EVENT_MAX_DELIVERIES=2" in d.error for d in letters), letters
        assert all(d.event_type == "entry_recorded" for d in letters)

        # The service stays up and handles what comes next.
        platform.wait_healthy("fragile")
        note = f"after-{uuid.uuid4().hex[:8]}"
        platform.rpc("ledger", "record", note)
        engine = create_engine(databases["fragile"])
        try:
            wait_until(
                lambda: fx.seen_count(engine, note) == 2, timeout=60, message="next"
            )
        finally:
            engine.dispose()
        assert fragile.running
    finally:
        platform.stop("fragile", "ledger")
