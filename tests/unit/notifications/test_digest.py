"""The staff's daily digest: counts and examples from the owners' replies,
one per (date, address), none when nothing waits, rendered in three parts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from common.errors import BadInput, Forbidden
from common.identity import SERVICE, Identity
from services.notifications.adapters.settings import TEMPLATES
from services.notifications.adapters.templates import Renderer
from services.notifications.domain.digest import (
    Digest,
    digest,
    digest_event_id,
    parse_recipients,
)
from services.notifications.domain.kinds import Kind
from services.notifications.service_layer import digest as use_cases
from tests.unit.notifications.conftest import ADDRESSING, Harness

NOW = datetime(2031, 3, 4, 6, 0, tzinfo=UTC)
STAFF = Identity(sub="staff-1", role="staff")
MEMBER = Identity(sub="u-1", role="member", member_id="m-1")


def payment(n: int) -> dict[str, Any]:
    return {
        "payment_id": f"pay-{n}",
        "member_id": f"m-{n}",
        "payer_name": f"Town {n}",
        "flag_detail": "paid 5000 USD, invoice asks 7500 USD",
    }


def replies(
    held: int = 0,
    missing: int = 0,
    pending: int = 0,
    reports: int = 0,
    parked: dict[str, int] | None = None,
) -> dict[str, Any]:
    """The four owners' replies, as their RPC methods give them."""
    return {
        "payments": {
            "total": held,
            "items": [payment(n) for n in range(min(held, 5))],
        },
        "members": {
            "total_count": missing,
            "edges": [
                {"node": {"member_id": f"m-{n}", "name": f"Bend {n}", "state": "OR"}}
                for n in range(min(missing, 5))
            ],
        },
        "partnerships": {
            "total_count": pending,
            "edges": [
                {
                    "node": {
                        "id": f"pp-{n}",
                        "member_id": "m-1",
                        "member_name": "Bend",
                        "partner_city": "Sapporo",
                        "country": "JP",
                        "country_name": "Japan",
                    }
                }
                for n in range(min(pending, 5))
            ],
        },
        "grants": {
            "total": reports,
            "items": [
                {
                    "id": f"rep-{n}",
                    "award_id": f"aw-{n}",
                    "kind": "INTERIM",
                    "submitted_at": "2031-02-01T10:00:00+00:00",
                }
                for n in range(min(reports, 5))
            ],
        },
        "parked": parked or {},
    }


class FakeDesk:
    def __init__(self, **counts: Any) -> None:
        self.set(**counts)
        self.asked = 0

    def set(self, **counts: Any) -> None:
        self.replies = replies(**counts)

    def gather(self, now: datetime) -> Digest:
        self.asked += 1
        return digest(now=now, **self.replies)


# --- the domain ------------------------------------------------------------------


def test_counts_are_the_owners_totals_and_examples_link_to_their_pages() -> None:
    found = digest(
        now=NOW,
        **replies(held=7, missing=2, pending=1, reports=3, parked={"grants": 2}),
    )
    assert found.counts == {
        "payments_held": 7,
        "dead_letters": 2,
        "members_missing_population": 2,
        "partnerships_awaiting_approval": 1,
        "reports_awaiting_review": 3,
    }
    assert found.waiting == 15 and not found.is_empty
    sections = {s["key"]: s for s in found.context(NOW.date())["sections"]}
    held = sections["payments_held"]
    assert len(held["items"]) == 5 and held["more"] == 2
    assert held["items"][0] == {
        "label": "Town 0: paid 5000 USD, invoice asks 7500 USD",
        "link": "/staff/payments/pay-0",
    }
    assert sections["members_missing_population"]["items"][1]["link"] == (
        "/staff/members/m-1"
    )
    assert sections["partnerships_awaiting_approval"]["items"][0]["label"] == (
        "Bend with Sapporo, Japan"
    )
    assert sections["reports_awaiting_review"]["items"][0]["link"] == (
        "/staff/grants/awards/aw-0"
    )
    assert sections["dead_letters"]["items"] == [{"label": "grants: 2", "link": None}]


def test_nothing_waiting_is_empty() -> None:
    found = digest(now=NOW, **replies(parked={"members": 0, "grants": 0}))
    assert found.is_empty and found.waiting == 0


def test_a_date_has_one_event_id() -> None:
    day = date(2031, 3, 4)
    assert digest_event_id(day) == digest_event_id(date(2031, 3, 4))
    assert digest_event_id(day) != digest_event_id(date(2031, 3, 5))


def test_staff_addresses_are_parsed_once_each_and_bad_ones_named() -> None:
    assert parse_recipients(" a@x.org, B@x.org,,b@X.org ") == ["a@x.org", "B@x.org"]
    assert parse_recipients("") == []
    with pytest.raises(BadInput) as caught:
        parse_recipients("a@x.org, not-an-address")
    assert caught.value.field == "STAFF_DIGEST_TO"
    assert "not-an-address" in str(caught.value)


# --- rendering ---------------------------------------------------------------------


def test_the_digest_renders_counts_and_links_in_text_and_html() -> None:
    found = digest(
        now=NOW, **replies(held=6, pending=1, parked={"payments": 1, "grants": 0})
    )
    facts = found.context(NOW.date()) | {"recipient_name": "", "unsubscribe_url": None}
    renderer = Renderer(TEMPLATES, "Sister Cities Test", "https://app.example")
    rendered = renderer.render(Kind.STAFF_DIGEST, "en", facts)
    assert rendered.subject == (
        "Sister Cities Test: 8 items waiting for staff on March 4, 2031"
    )
    assert "Payments held for an amount mismatch: 6" in rendered.text
    assert "https://app.example/staff/payments/pay-0" in rendered.text
    assert "... and 1 more: https://app.example/staff/payments" in rendered.text
    assert "Dead letters: 1" in rendered.text and "payments: 1" in rendered.text
    assert "python -m common.deadletters list" in rendered.text
    assert "Members whose population is missing: 0" in rendered.text
    assert 'href="https://app.example/staff/partnerships/pp-0"' in rendered.html
    assert "Bend with Sapporo, Japan" in rendered.html
    assert "Grantee reports awaiting review: 0" in rendered.text


# --- the use cases -----------------------------------------------------------------


def send(
    notifications: Harness,
    desk: FakeDesk,
    day: date | None = None,
    to: tuple[str, ...] = ("ops@city.example", "Chair@City.example"),
    caller: Identity = SERVICE,
) -> dict[str, Any]:
    return use_cases.send_staff_digest(
        notifications.uow, desk, ADDRESSING, to, caller, lambda: NOW, day
    )


def test_one_digest_per_date_and_address(notifications: Harness) -> None:
    desk = FakeDesk(held=1, reports=2)
    first = send(notifications, desk)
    assert first["recorded"] == 2 and first["as_of"] == "2031-03-04"
    assert first["counts"]["reports_awaiting_review"] == 2
    again = send(notifications, desk)
    assert again == {
        "as_of": "2031-03-04",
        "recorded": 0,
        "skipped": "already recorded for this date",
    }
    assert desk.asked == 1  # a date already done asks nobody
    rows = notifications.deliveries()
    assert sorted(r.recipient for r in rows) == [
        "Chair@City.example",
        "ops@city.example",
    ]
    assert {r.kind for r in rows} == {"STAFF_DIGEST"}
    assert {r.event_id for r in rows} == {digest_event_id(NOW.date())}
    assert {r.status for r in rows} == {"PENDING"}
    assert rows[0].context["waiting"] == 3 and rows[0].member_id is None

    assert send(notifications, desk, day=date(2031, 3, 5))["recorded"] == 2
    # An address added later gets that date's digest; the others are not repeated.
    added = send(notifications, desk, to=("ops@city.example", "new@city.example"))
    assert added["recorded"] == 1
    assert len(notifications.deliveries()) == 5


def test_nothing_is_sent_when_nothing_waits(notifications: Harness) -> None:
    desk = FakeDesk(parked={"members": 0})
    done = send(notifications, desk)
    assert done["recorded"] == 0 and done["skipped"] == "nothing waits"
    assert notifications.deliveries() == []
    desk.set(missing=1)  # later that day something waits: it goes then
    assert send(notifications, desk)["recorded"] == 2


def test_no_staff_address_sends_nothing_and_asks_nobody(
    notifications: Harness,
) -> None:
    desk = FakeDesk(held=3)
    done = send(notifications, desk, to=())
    assert done["recorded"] == 0 and "STAFF_DIGEST_TO" in done["skipped"]
    assert desk.asked == 0 and notifications.deliveries() == []


def test_only_staff_send_or_read_the_digest(notifications: Harness) -> None:
    desk = FakeDesk(held=3)
    with pytest.raises(Forbidden):
        send(notifications, desk, caller=MEMBER)
    with pytest.raises(Forbidden):
        use_cases.staff_digest(desk, MEMBER, NOW)
    read = use_cases.staff_digest(desk, STAFF, NOW)
    assert read["counts"]["payments_held"] == 3
    assert read["generated_at"] == NOW.isoformat()
    assert notifications.deliveries() == []


def test_a_bad_date_is_named() -> None:
    with pytest.raises(BadInput) as caught:
        use_cases.parse_day("tomorrow")
    assert caught.value.field == "as_of"
