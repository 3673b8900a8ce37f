"""The grants service as a real process on the session's broker and database.

Other services' news is published exactly as their outbox relays would, so
these tests need no other service running.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from kombu import Producer
from nameko.exceptions import RemoteError
from sqlalchemy import Engine, text

from common import amqp
from common.envelope import Envelope
from common.identity import Identity
from tests.support.platform import Platform
from tests.support.wait import wait_until
from tests.unit.grants import builders as b

STAFF = Identity(sub="staff-1", role="staff")
ANON = Identity()


def member(member_id: str) -> Identity:
    return Identity(sub=f"user-{member_id}", role="member", member_id=member_id)


def reviewer(reviewer_id: str) -> Identity:
    return Identity(sub=f"user-{reviewer_id}", role="reviewer", reviewer_id=reviewer_id)


class Grants:
    """Helpers over the running service: RPC as anyone, the test clock, news."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.engine: Engine = platform.engine("grants")

    def call(
        self, method: str, *args: Any, identity: Identity = STAFF, **kw: Any
    ) -> Any:
        return self.platform.rpc("grants", method, *args, identity=identity, **kw)

    def refused(
        self, method: str, *args: Any, identity: Identity = STAFF, **kw: Any
    ) -> RemoteError:
        with pytest.raises(RemoteError) as err:
            self.call(method, *args, identity=identity, **kw)
        return err.value

    # --- the clock: the offset in the service's `test_clock` (common.clock) -----
    def offset(self) -> float:
        with self.engine.connect() as conn:
            value = conn.execute(
                text("SELECT offset_seconds FROM test_clock WHERE id = 1")
            ).scalar()
        return float(value or 0)

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset())

    def advance(self, delta: timedelta) -> None:
        """Time only moves forward, so programmes of other tests stay coherent."""
        seconds = self.offset() + delta.total_seconds()
        with self.engine.begin() as conn:
            conn.execute(text("DELETE FROM test_clock"))
            conn.execute(
                text("INSERT INTO test_clock (id, offset_seconds) VALUES (1, :s)"),
                {"s": seconds},
            )

    # --- programmes ---------------------------------------------------------------
    def open_program(self, **overrides: Any) -> dict[str, Any]:
        program = self.call("create_program", b.program_data(self.now(), **overrides))
        self.call("publish_program", program["id"])
        self.advance(timedelta(hours=2))
        return program

    # --- other services' news -------------------------------------------------------
    def publish(
        self, producer: str, event_type: str, payload: dict[str, Any], **kw: Any
    ) -> Any:
        return self.platform.publish_event(producer, event_type, payload, **kw)

    def publish_at(
        self,
        producer: str,
        event_type: str,
        payload: dict[str, Any],
        at: datetime,
        event_id: str | None = None,
    ) -> Envelope:
        """Publish news that happened at `at` (late news), as the relay would."""
        envelope = Envelope(
            type=event_type,
            producer=producer,
            payload=payload,
            occurred_at=at.isoformat(),
        )
        if event_id:
            envelope = Envelope(**{**envelope.to_dict(), "event_id": event_id})
        with amqp.connection(self.platform.amqp_uri) as conn:
            channel = conn.channel()
            amqp.event_exchange(producer)(channel).declare()
            amqp.publish_envelope(Producer(channel), envelope.to_dict())
        return envelope

    def processed(self, event_id: str) -> bool:
        return (
            self.row(
                "SELECT 1 AS x FROM processed_events WHERE event_id = :e", e=event_id
            )
            is not None
        )

    def row(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).mappings().first()

    def wait_member(self, member_id: str, **expected: Any) -> None:
        def seen() -> bool:
            row = self.row(
                "SELECT * FROM member_facts WHERE member_id = :m", m=member_id
            )
            return row is not None and all(row[k] == v for k, v in expected.items())

        wait_until(seen, timeout=10, message=f"member {member_id} {expected}")

    def wait_partnership(self, partnership_id: str, **expected: Any) -> None:
        def seen() -> bool:
            row = self.row(
                "SELECT * FROM partnership_facts WHERE partnership_id = :p",
                p=partnership_id,
            )
            return row is not None and all(row[k] == v for k, v in expected.items())

        wait_until(seen, timeout=10, message=f"partnership {partnership_id} {expected}")

    def community(
        self,
        name: str | None = None,
        city: str | None = None,
        country: str = "JP",
        population: int | None = 50_000,
        good_standing: bool = True,
        status: str = "ACTIVE",
    ) -> tuple[str, str]:
        """A member community with one partnership known to grants: ids of both."""
        member_id = b.uid("m-")
        partnership_id = b.uid("p-")
        self.publish(
            "members",
            "member_registered",
            b.member_registered(
                member_id, name or f"Town {member_id}", population, good_standing
            ),
        )
        self.publish(
            "partnerships",
            "partnership_registered",
            b.partnership_registered(
                partnership_id,
                member_id,
                city or f"City {partnership_id}",
                country,
                status,
            ),
        )
        self.wait_member(member_id)
        self.wait_partnership(partnership_id)
        return member_id, partnership_id

    def reviewer_at(self, home_member_id: str) -> str:
        reviewer_id = b.uid("r-")
        self.call(
            "register_reviewer",
            {
                "reviewer_id": reviewer_id,
                "name": f"Reviewer {reviewer_id}",
                "home_member_id": home_member_id,
            },
        )
        return reviewer_id

    def apply(
        self, program_id: str, member_id: str, partnership_id: str, **kw: Any
    ) -> dict[str, Any]:
        app = self.call(
            "save_application",
            b.application_data(program_id, partnership_id, **kw),
            identity=member(member_id),
        )
        return self.call("submit_application", app["id"], identity=member(member_id))


CLOCK_ENV = {"GRANTS_CLOCK_CONTROL": "1"}  # common.clock: tests move its time


@pytest.fixture(scope="session")
def grants(platform: Platform) -> Iterator[Grants]:
    proc = platform.processes.get("grants")
    if proc is not None and proc.env.get("GRANTS_CLOCK_CONTROL") != "1":
        platform.stop("grants")  # started by someone else without the test clock
    platform.start("grants", env=CLOCK_ENV)
    yield Grants(platform)
