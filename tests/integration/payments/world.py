"""The payments flow on the real platform: members, payments, the gateway and
the offline Stripe (devstripe) delivering signed webhooks to the gateway.

Shared by the integration tests and the end-to-end test. One devstripe per
test session (it is a module-level singleton here), started from scratch.
"""

from __future__ import annotations

import atexit
import subprocess
import tempfile
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import stripe
from nameko.exceptions import RemoteError
from sqlalchemy import text

from common.identity import Identity
from devstripe.testing import free_port, start_devstripe, stop_devstripe, wait_ready
from tests.support.platform import Platform
from tests.support.wait import wait_until

SECRET = "whsec_payments_tests"
API_KEY = "sk_test_payments_tests"
STAFF = Identity(sub="staff-payments", role="staff")
BAND_AMOUNTS = (10_000, 20_000, 30_000, 40_000, 50_000, 60_000)
BAND_EDGES = (
    (1, 25_000),
    (25_001, 50_000),
    (50_001, 100_000),
    (100_001, 300_000),
    (300_001, 500_000),
    (500_001, None),
)

_devstripe: dict[str, Any] = {}


def member_user(member_id: str) -> Identity:
    return Identity(sub=f"user-{member_id[:8]}", role="member", member_id=member_id)


def _start_devstripe(webhook_url: str) -> tuple[subprocess.Popen[bytes], int]:
    if "proc" not in _devstripe:
        port = free_port()
        workdir = Path(tempfile.mkdtemp(prefix="devstripe-payments-"))
        # Longer than the gateway's RPC timeout, so a stopped payments service
        # gets a 503 from the gateway (and a retry) rather than a client timeout.
        proc = start_devstripe(
            port,
            webhook_url,
            SECRET,
            workdir,
            extra_args=("--webhook-timeout", "30"),
        )
        wait_ready(port, proc=proc)
        atexit.register(stop_devstripe, proc)
        _devstripe.update(proc=proc, port=port, workdir=workdir)
    return _devstripe["proc"], _devstripe["port"]


class PaymentsWorld:
    """Short calls for tests: members' invoices, payments RPC, devstripe."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        gateway = platform.start_gateway()
        _, self.stripe_port = _start_devstripe(f"{gateway}/webhooks/stripe")
        self.stripe_base = f"http://127.0.0.1:{self.stripe_port}"
        self.env = {
            "STRIPE_API_BASE": self.stripe_base,
            "STRIPE_API_KEY": API_KEY,
            "STRIPE_WEBHOOK_SECRET": SECRET,
            "STRIPE_NETWORK_RETRIES": "0",
        }
        proc = platform.processes.get("payments")
        if proc is not None and proc.env.get("STRIPE_API_BASE") != self.stripe_base:
            platform.stop("payments")  # started by someone else, without our Stripe
        platform.start("members")
        platform.start("payments", env=self.env)
        self.stripe = stripe.StripeClient(
            API_KEY, base_addresses={"api": self.stripe_base}
        )

    # --- members -------------------------------------------------------------

    def members(self, method: str, *args: Any, **kw: Any) -> Any:
        return self.platform.rpc("members", method, *args, identity=STAFF, **kw)

    def new_invoice(self, population: int = 40_000) -> dict[str, Any]:
        """A freshly registered member's open dues invoice for the current year."""
        year = date.fromisoformat(self.members("get_clock")["today"]).year
        if self.members("get_dues_schedule", year) is None:
            bands = [
                {"min_population": low, "max_population": high, "amount_cents": c}
                for (low, high), c in zip(BAND_EDGES, BAND_AMOUNTS, strict=True)
            ]
            try:
                self.members("set_dues_schedule", year, bands)
            except RemoteError as exc:  # another test set it meanwhile
                if exc.exc_type != "Conflict":
                    raise
        member = self.members(
            "register_member",
            {
                "name": f"Paytown {uuid.uuid4().hex[:8]}",
                "kind": "CITY",
                "state": "VT",
                "population": population,
                "contact_email": "treasurer@paytown.example",
            },
        )
        (invoices,) = self.members("member_invoices", [member["member_id"]])
        open_ = [i for i in invoices if i["status"] == "OPEN"]
        assert open_, f"no open invoice for a new member: {invoices}"
        return min(open_, key=lambda i: i["fiscal_year"])

    def invoice(self, invoice_id: str) -> dict[str, Any]:
        return self.members("get_invoice", invoice_id)

    def member(self, member_id: str) -> dict[str, Any]:
        return self.members("get_member", member_id)

    def wait_member(self, member_id: str, status: str, timeout: float = 20) -> None:
        wait_until(
            lambda: self.member(member_id)["status"] == status,
            timeout=timeout,
            message=f"member {member_id} {status}",
        )

    def wait_invoice(self, invoice_id: str, status: str, timeout: float = 20) -> None:
        wait_until(
            lambda: self.invoice(invoice_id)["status"] == status,
            timeout=timeout,
            message=f"invoice {invoice_id} {status}",
        )

    # --- payments ------------------------------------------------------------

    def rpc(
        self, method: str, *args: Any, identity: Identity = STAFF, **kw: Any
    ) -> Any:
        return self.platform.rpc("payments", method, *args, identity=identity, **kw)

    def checkout(
        self, invoice: dict[str, Any], identity: Identity | None = None
    ) -> dict[str, Any]:
        who = identity or member_user(invoice["member_id"])
        return self.rpc(
            "create_dues_checkout",
            invoice["invoice_id"],
            "https://members.example.org/dues/paid?s={CHECKOUT_SESSION_ID}",
            "https://members.example.org/dues",
            identity=who,
            timeout=20,
        )

    def payment(self, payment_id: str) -> dict[str, Any]:
        return self.rpc("get_payment", payment_id)

    def wait_payment(
        self, payment_id: str, status: str, timeout: float = 20
    ) -> dict[str, Any]:
        return wait_until(
            lambda: (p := self.payment(payment_id))["status"] == status and p,
            timeout=timeout,
            message=f"payment {payment_id} {status}",
        )

    def db(self, sql: str, **params: Any) -> list[Any]:
        with self.platform.engine("payments").connect() as conn:
            return list(conn.execute(text(sql), params))

    def db_write(self, sql: str, **params: Any) -> int:
        """Change the payments database behind the service's back (to plant
        a difference); returns the rows changed."""
        with self.platform.engine("payments").begin() as conn:
            return int(conn.execute(text(sql), params).rowcount)

    def outbox(self, event_type: str, payment_id: str) -> list[dict[str, Any]]:
        rows = self.db(
            "SELECT envelope FROM outbox WHERE event_type = :t "
            "AND envelope::jsonb -> 'payload' ->> 'payment_id' = :p ORDER BY id",
            t=event_type,
            p=payment_id,
        )
        return [r[0]["payload"] for r in rows]

    # --- the offline Stripe --------------------------------------------------

    def stripe_post(self, path: str, data: dict[str, Any] | None = None) -> Any:
        response = httpx.post(f"{self.stripe_base}{path}", json=data or {}, timeout=60)
        response.raise_for_status()
        return response.json()

    def stripe_get(self, path: str) -> Any:
        response = httpx.get(f"{self.stripe_base}{path}", timeout=30)
        response.raise_for_status()
        return response.json()

    def pay(self, session_id: str, **body: Any) -> dict[str, Any]:
        return self.stripe_post(f"/checkout/{session_id}/pay", body)

    def fail(self, session_id: str) -> dict[str, Any]:
        return self.stripe_post(f"/checkout/{session_id}/fail")

    def stripe_events(self, event_type: str, object_id: str) -> list[dict[str, Any]]:
        found = self.stripe_get(f"/_devstripe/events?type={event_type}")["data"]
        return [e for e in found if e["event"]["data"]["object"]["id"] == object_id]

    def resend(self, event_id: str) -> dict[str, Any]:
        return self.stripe_post(f"/_devstripe/events/{event_id}/resend?wait=true")

    def paid_payment(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """An invoice paid end to end (payment SUCCEEDED), and its payment."""
        invoice = self.new_invoice()
        answer = self.checkout(invoice)
        self.pay(answer["checkout_session_id"])
        return invoice, self.wait_payment(answer["payment_id"], "SUCCEEDED")
