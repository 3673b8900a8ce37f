"""The partnerships service as a real process on the session's broker and DB.

Members' news is published exactly as the members' outbox relay would, so
these tests need no members service running (recognition must not need it).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
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

STAFF = Identity(sub="staff-1", role="staff")
ANON = Identity()
TODAY = date.today()
YESTERDAY = TODAY - timedelta(days=1)


def member_user(member_id: str) -> Identity:
    return Identity(sub=f"user-{member_id}", role="member", member_id=member_id)


def uid(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


AGREEMENT = {
    "council_resolution": "Resolution 2024-17",
    "signed_on": YESTERDAY.isoformat(),
    "us_signatory": "Mayor Jane Doe",
    "partner_signatory": "Mayor Kenji Sato",
    "document_reference": "agreements/2024/17.pdf",
}


class Partnerships:
    """Helpers over the running service: RPC as anyone, members' news, rows."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.engine: Engine = platform.engine("partnerships")

    def call(
        self, method: str, *args: Any, identity: Identity = STAFF, **kw: Any
    ) -> Any:
        return self.platform.rpc("partnerships", method, *args, identity=identity, **kw)

    def refused(
        self, method: str, *args: Any, identity: Identity = STAFF, **kw: Any
    ) -> RemoteError:
        with pytest.raises(RemoteError) as err:
            self.call(method, *args, identity=identity, **kw)
        return err.value

    # --- members' news ------------------------------------------------------------
    def publish(self, event_type: str, payload: dict[str, Any], **kw: Any) -> Envelope:
        return self.platform.publish_event("members", event_type, payload, **kw)

    def publish_envelope(self, envelope: Envelope) -> None:
        """Publish a hand-made envelope (an old `occurred_at`, say) like the relay."""
        with amqp.connection(self.platform.amqp_uri) as conn:
            channel = conn.channel()
            amqp.event_exchange(envelope.producer)(channel).declare()
            amqp.publish_envelope(Producer(channel), envelope.to_dict())

    def member(
        self,
        state: str = "OR",
        population: int | None = 120_000,
        good_standing: bool = True,
        name: str | None = None,
    ) -> str:
        """A member community known to partnerships (through its event)."""
        member_id = uid("m-")
        self.publish(
            "member_registered",
            {
                "member_id": member_id,
                "name": name or f"Testville {member_id}",
                "kind": "CITY",
                "state": state,
                "population": population,
                "status": "ACTIVE" if good_standing else "PENDING",
                "good_standing": good_standing,
            },
        )
        self.wait_member(member_id, good_standing=good_standing)
        return member_id

    def standing(self, member_id: str, good: bool, status: str, **kw: Any) -> Envelope:
        return self.publish(
            "membership_status_changed",
            {
                "member_id": member_id,
                "old_status": None,
                "new_status": status,
                "good_standing": good,
                "reason": "test",
                "changed_at": "2026-01-01T00:00:00+00:00",
            },
            **kw,
        )

    def wait_member(self, member_id: str, timeout: float = 10, **expected: Any) -> None:
        def seen() -> bool:
            row = self.row("SELECT * FROM members WHERE member_id = :m", m=member_id)
            return row is not None and all(row[k] == v for k, v in expected.items())

        wait_until(seen, timeout=timeout, message=f"member {member_id} {expected}")

    # --- partnerships -------------------------------------------------------------
    def propose(
        self,
        member_id: str,
        city: str | None = None,
        country: str = "JP",
        identity: Identity = STAFF,
        **extra: Any,
    ) -> dict[str, Any]:
        data = {
            "member_id": member_id,
            "partner_city": city or f"Partnerstadt {uid()}",
            "country": country,
            "type": "SISTER",
            "program_areas": ["YOUTH_EDUCATION"],
            **extra,
        }
        result: dict[str, Any] = self.call(
            "propose_partnership", data, identity=identity
        )
        return result

    def active(self, member_id: str, **kw: Any) -> dict[str, Any]:
        p = self.propose(member_id, **kw)
        self.call("record_agreement", p["id"], AGREEMENT)
        result: dict[str, Any] = self.call("activate_partnership", p["id"])
        return result

    def get(self, partnership_id: str, identity: Identity = STAFF) -> dict[str, Any]:
        found: dict[str, Any] = self.call(
            "get_partnerships", [partnership_id], identity=identity
        )[0]
        return found

    def row(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).mappings().first()

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(text(sql), params).mappings().all())

    def events(self, partnership_id: str) -> list[dict[str, Any]]:
        """The envelopes this service wrote for a partnership, in order."""
        rows = self.rows(
            "SELECT envelope FROM outbox WHERE envelope->'payload'->>"
            "'partnership_id' = :p ORDER BY id",
            p=partnership_id,
        )
        return [r["envelope"] for r in rows]

    def snapshot(self, partnership_id: str) -> tuple[Any, ...]:
        """Everything stored about a partnership: to prove nothing changed."""
        row = self.row("SELECT * FROM partnerships WHERE id = :p", p=partnership_id)
        history = self.rows(
            "SELECT id FROM partnership_history WHERE partnership_id = :p",
            p=partnership_id,
        )
        return (dict(row), len(history), len(self.events(partnership_id)))


@pytest.fixture(scope="session")
def pships(platform: Platform) -> Iterator[Partnerships]:
    platform.start("partnerships")
    yield Partnerships(platform)
