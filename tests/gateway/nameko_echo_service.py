"""Tiny nameko services the gateway tests call over a real broker.

    nameko run --broker URI tests.gateway.nameko_echo_service:Echo
    nameko run --broker URI tests.gateway.nameko_echo_service:FakeMembers
    nameko run --broker URI tests.gateway.nameko_echo_service:FakePayments

`Echo`'s service name comes from ECHO_SERVICE_NAME (default "echo"), so a
test can run a throwaway copy under its own name and stop it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from common import correlation
from common.db import make_engine
from common.errors import BadInput, NotFound
from common.identity import Identity
from common.nameko_ext.context import Caller
from common.nameko_ext.rpc import rpc  # the services' own: replies encoded once


class Echo:
    name = os.environ.get("ECHO_SERVICE_NAME", "echo")
    caller = Caller()

    @rpc
    def health(self) -> dict[str, str]:
        return {"service": self.name, "status": "UP", "version": "0.1.0"}

    @rpc
    def echo(self, value: Any, **kwargs: Any) -> dict[str, Any]:
        return {"value": value, "kwargs": kwargs}

    @rpc
    def add(self, a: int, b: int) -> int:
        return a + b

    @rpc
    def typed(self, when: datetime, amount: Decimal) -> dict[str, Any]:
        # Values arrive as their types (kombu JSON envelopes) and go back so.
        return {"when": when, "amount": amount + 1, "kinds": [type(when).__name__]}

    @rpc
    def missing(self, member_id: str) -> None:
        raise NotFound(f"no such member {member_id}", "id")

    @rpc
    def boom(self) -> None:
        raise RuntimeError("secret database password in this message")

    @rpc
    def select_one(self, database_url: str) -> int:
        """A statement on `database_url`, as a service's handler runs one."""
        engine = make_engine(database_url, pool_size=1, max_overflow=0)
        try:
            with engine.connect() as conn:
                return int(conn.execute(text("SELECT 1")).scalar_one())
        finally:
            engine.dispose()

    @rpc
    def unencodable(self) -> object:
        return object()

    @rpc
    def whoami(self) -> dict[str, Any]:
        identity: Identity = self.caller
        return {"identity": asdict(identity), "correlation_id": correlation.current()}


class FakeMembers:
    """Stands in for the members service: only `health`."""

    name = "members"

    @rpc
    def health(self) -> dict[str, str]:
        return {"service": "members", "status": "UP", "version": "0.1.0"}


class FakePayments:
    """Stands in for payments' webhook RPC: the signature picks the outcome."""

    name = "payments"

    @rpc
    def health(self) -> dict[str, str]:
        return {"service": "payments", "status": "UP", "version": "0.1.0"}

    @rpc
    def receive_stripe_webhook(self, payload: str, signature: str) -> dict[str, Any]:
        # "Verifies" the exact text received: v1 is the sha256 of the payload.
        if signature == "boom":
            raise RuntimeError("stripe secret sk_test_123 leaked")
        if signature != f"t=1,v1={hashlib.sha256(payload.encode()).hexdigest()}":
            raise BadInput("signature does not match", "signature")
        return {"ok": True}
