"""The members service on the session's platform, with its test clock on."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from common.identity import Identity
from tests.support.platform import Platform
from tests.support.wait import wait_until

STAFF = Identity(sub="staff-test", role="staff")
ANONYMOUS = Identity()
REVIEWER = Identity(sub="reviewer-test", role="reviewer", reviewer_id="r-1")
CLOCK_ENV = {"MEMBERS_CLOCK_CONTROL": "1"}
# Amounts per band, smallest band first (cents).
AMOUNTS = (10_000, 20_000, 30_000, 40_000, 50_000, 60_000)
EDGES = (
    (1, 25_000),
    (25_001, 50_000),
    (50_001, 100_000),
    (100_001, 300_000),
    (300_001, 500_000),
    (500_001, None),
)


def member_user(member_id: str) -> Identity:
    return Identity(sub=f"user-{member_id[:8]}", role="member", member_id=member_id)


def bands(amounts: tuple[int, ...] = AMOUNTS) -> list[dict[str, Any]]:
    return [
        {"min_population": low, "max_population": high, "amount_cents": cents}
        for (low, high), cents in zip(EDGES, amounts, strict=True)
    ]


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:8]}"


class Members:
    """Short calls on the members service for tests (staff unless told)."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    def rpc(
        self, method: str, *args: Any, identity: Identity = STAFF, **kw: Any
    ) -> Any:
        return self.platform.rpc("members", method, *args, identity=identity, **kw)

    def set_today(self, day: date | None) -> None:
        self.rpc("set_clock", day.isoformat() if day else None)

    def register(
        self, population: int | None = 40_000, kind: str = "CITY", **fields: Any
    ) -> dict[str, Any]:
        data = {
            "name": unique("Testville"),
            "kind": kind,
            "state": "OH",
            "population": population,
            "contact_email": "clerk@testville.example",
            **fields,
        }
        return self.rpc("register_member", data)

    def schedule(self, year: int, amounts: tuple[int, ...] = AMOUNTS, **kw: Any) -> Any:
        return self.rpc("set_dues_schedule", year, bands(amounts), **kw)

    def invoices(self, member_id: str) -> list[dict[str, Any]]:
        (found,) = self.rpc("member_invoices", [member_id])
        return found

    def invoice_for(self, member_id: str, year: int) -> dict[str, Any]:
        (found,) = [i for i in self.invoices(member_id) if i["fiscal_year"] == year]
        return found

    def member(self, member_id: str) -> dict[str, Any]:
        return self.rpc("get_member", member_id)

    def history(self, member_id: str) -> list[dict[str, Any]]:
        (found,) = self.rpc("status_histories", [member_id])
        return found

    def statuses(self, member_id: str) -> list[str]:
        return [c["new_status"] for c in self.history(member_id)]

    def run_daily(self, day: date) -> dict[str, Any]:
        self.set_today(day)
        return self.rpc("run_daily")

    def pay(
        self, invoice: dict[str, Any], event_id: str | None = None, **kw: Any
    ) -> Any:
        payload = {
            "payment_id": kw.pop("payment_id", f"pay_{uuid.uuid4().hex[:10]}"),
            "purpose": "DUES",
            "invoice_id": invoice["invoice_id"],
            "member_id": invoice["member_id"],
            "amount_cents": invoice["amount_cents"],
            "currency": invoice["currency"],
            "paid_at": "2030-01-01T00:00:00+00:00",
            **kw,
        }
        return self.platform.publish_event(
            "payments", "payment_succeeded", payload, event_id=event_id
        )

    def refund(
        self, invoice: dict[str, Any], payment_id: str, event_id: str | None = None
    ) -> Any:
        payload = {
            "payment_id": payment_id,
            "purpose": "DUES",
            "invoice_id": invoice["invoice_id"],
            "member_id": invoice["member_id"],
            "amount_refunded_cents": invoice["amount_cents"],
            "fully_refunded": True,
            "refunded_at": "2030-01-02T00:00:00+00:00",
        }
        return self.platform.publish_event(
            "payments", "payment_refunded", payload, event_id=event_id
        )

    def wait_invoice(self, member_id: str, year: int, status: str) -> dict[str, Any]:
        return wait_until(
            lambda: (i := self.invoice_for(member_id, year))["status"] == status and i,
            message=f"invoice {year} of {member_id} {status}",
        )

    def db(self, sql: str, **params: Any) -> list[Any]:
        with self.platform.engine("members").connect() as conn:
            return list(conn.execute(text(sql), params))


@pytest.fixture(scope="session")
def members(platform: Platform) -> Members:
    proc = platform.processes.get("members")
    if proc is not None and proc.env.get("MEMBERS_CLOCK_CONTROL") != "1":
        platform.stop("members")  # started by someone else without the test clock
    platform.start("members", env=CLOCK_ENV)
    return Members(platform)


@pytest.fixture(scope="module", autouse=True)
def real_date_afterwards(members: Members) -> Iterator[None]:
    """Tests move the clock; put it back, with statuses as of today, for the next."""
    yield
    members.set_today(None)
    members.rpc("run_daily")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """On a failure, show the members service's log beside the traceback."""
    report = yield
    platform = getattr(item, "funcargs", {}).get("members")
    if report.failed and isinstance(platform, Members):
        proc = platform.platform.processes.get("members")
        if proc is not None:
            report.sections.append(("members log", proc.log_tail(60)))
    return report
