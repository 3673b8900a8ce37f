"""Use cases on a real SQLite database with a fake directory and courier."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from common.errors import BadInput, Conflict, Forbidden, NotFound, Unauthenticated
from common.identity import ANONYMOUS, SERVICE, Identity
from services.notifications.domain.delivery import DeliveryStatus, RetryPolicy
from services.notifications.domain.kinds import Kind
from services.notifications.domain.unsubscribe import make_token
from services.notifications.service_layer import news, queries, sending
from services.notifications.service_layer.shared import Undeliverable
from tests.unit.notifications.conftest import ADDRESSING, FakeCourier, Harness

STAFF = Identity(sub="staff", role="staff")
LEASE = timedelta(seconds=60)
POLICY = RetryPolicy(max_attempts=2, base_delay=timedelta(0))
KEY = b"unit-test-key-unit-test-key-0123"


def member(member_id: str) -> Identity:
    return Identity(sub=f"u-{member_id}", role="member", member_id=member_id)


def invoice(member_id: str = "m-1", **kw: Any) -> dict[str, Any]:
    return {
        "invoice_id": "i-1",
        "member_id": member_id,
        "fiscal_year": 2031,
        "amount_cents": 15_000,
        "currency": "USD",
        "due_date": "2031-01-31",
        "band": "UP_TO_25K",
        **kw,
    }


def partnership_news(member_id: str = "m-1") -> dict[str, Any]:
    return {
        "partnership_id": "pp-1",
        "member_id": member_id,
        "partner_city": "Sapporo",
        "country": "JP",
        "old_status": "PROPOSED",
        "new_status": "ACTIVE",
        "reason": "",
        "changed_at": "2031-01-01T00:00:00+00:00",
    }


def test_one_delivery_per_event_and_recipient_however_often_it_comes(
    notifications: Harness,
) -> None:
    notifications.directory.add("m-1", "clerk@bend.example", "Bend")
    envelope = notifications.feed("members", "dues_invoice_issued", invoice())
    news.event_news(
        notifications.uow, notifications.directory, ADDRESSING, [envelope, envelope]
    )
    (row,) = notifications.deliveries()
    assert (row.kind, row.status, row.recipient) == (
        "INVOICE_ISSUED",
        "PENDING",
        "clerk@bend.example",
    )
    assert row.context["recipient_name"] == "Bend"
    assert row.event_id == envelope.event_id


def test_events_of_nobody_ask_nobody(notifications: Harness) -> None:
    notifications.feed(
        "payments",
        "payment_status_changed",
        {"payment_id": "p", "new_status": "PENDING"},
    )
    assert notifications.directory.asked == [] and notifications.deliveries() == []


def test_an_unknown_member_gets_nothing_and_nothing_fails(
    notifications: Harness,
) -> None:
    notifications.feed("members", "dues_invoice_issued", invoice("m-unknown"))
    assert notifications.deliveries() == []


def test_an_opted_out_member_gets_no_news_but_its_receipts(
    notifications: Harness,
) -> None:
    notifications.directory.add("m-1", "clerk@bend.example")
    queries.set_preferences(
        notifications.uow, member("m-1"), "m-1", ["PARTNERSHIP_NEWS"]
    )
    notifications.feed("partnerships", "partnership_status_changed", partnership_news())
    notifications.feed("members", "dues_invoice_issued", invoice())
    rows = {r.kind: r for r in notifications.deliveries()}
    assert rows["PARTNERSHIP_NEWS"].status == "SKIPPED"
    assert rows["INVOICE_ISSUED"].status == "PENDING"
    taken = sending.take_due(notifications.uow, LEASE, 10)
    assert [x.kind for x in taken] == [Kind.INVOICE_ISSUED]


def test_taken_deliveries_are_leased_then_sent_once(notifications: Harness) -> None:
    notifications.directory.add("m-1", "clerk@bend.example")
    notifications.feed("members", "dues_invoice_issued", invoice())
    (x,) = sending.take_due(notifications.uow, LEASE, 10)
    assert sending.take_due(notifications.uow, LEASE, 10) == []  # leased
    courier = FakeCourier()
    assert sending.send(notifications.uow, courier, POLICY, x) is DeliveryStatus.SENT
    (row,) = notifications.deliveries()
    assert row.status == "SENT" and row.subject == "subject of INVOICE_ISSUED"
    found = queries.get_notification(notifications.uow, STAFF, x.id)
    assert [a["outcome"] for a in found["attempts"]] == ["SENT"]
    assert sending.take_due(notifications.uow, timedelta(0), 10) == []


def test_a_lease_that_runs_out_hands_the_delivery_out_again(
    notifications: Harness,
) -> None:
    notifications.directory.add("m-1", "clerk@bend.example")
    notifications.feed("members", "dues_invoice_issued", invoice())
    (first,) = sending.take_due(notifications.uow, -timedelta(seconds=1), 10)
    (again,) = sending.take_due(notifications.uow, LEASE, 10)  # the sender died
    assert again.id == first.id and again.message_id == first.message_id


def test_failures_are_retried_then_parked_and_staff_resend(
    notifications: Harness,
) -> None:
    notifications.directory.add("m-1", "clerk@bend.example")
    notifications.feed("members", "dues_invoice_issued", invoice())
    courier = FakeCourier()
    courier.failure = Undeliverable("connection refused")
    (x,) = sending.take_due(notifications.uow, LEASE, 10)
    assert sending.send(notifications.uow, courier, POLICY, x) is DeliveryStatus.PENDING
    (x,) = sending.take_due(notifications.uow, LEASE, 10)  # due again at once
    assert sending.send(notifications.uow, courier, POLICY, x) is DeliveryStatus.PARKED
    parked = queries.list_notifications(
        notifications.uow, STAFF, {"status": "PARKED"}, None, None
    )
    (node,) = [e["node"] for e in parked["edges"]]
    assert node["last_error"] == "connection refused" and node["attempt_count"] == 2
    assert [a["outcome"] for a in node["attempts"]] == ["FAILED", "PARKED"]
    with pytest.raises(Forbidden):
        queries.resend_notification(notifications.uow, member("m-1"), x.id)
    queries.resend_notification(notifications.uow, STAFF, x.id)
    with pytest.raises(Conflict):
        queries.resend_notification(notifications.uow, STAFF, x.id)
    courier.failure = None
    (x,) = sending.take_due(notifications.uow, LEASE, 10)
    assert sending.send(notifications.uow, courier, POLICY, x) is DeliveryStatus.SENT


def test_a_permanent_failure_parks_at_once(notifications: Harness) -> None:
    notifications.directory.add("m-1", "clerk@bend.example")
    notifications.feed("members", "dues_invoice_issued", invoice())
    courier = FakeCourier()
    courier.failure = Undeliverable("template en/invoice_issued failed", permanent=True)
    (x,) = sending.take_due(notifications.uow, LEASE, 10)
    assert sending.send(notifications.uow, courier, POLICY, x) is DeliveryStatus.PARKED


def test_who_sees_which_notifications(notifications: Harness) -> None:
    notifications.directory.add("m-1", "one@bend.example")
    notifications.directory.add("m-2", "two@hood.example")
    notifications.feed("members", "dues_invoice_issued", invoice("m-1"))
    notifications.feed("members", "dues_invoice_issued", invoice("m-2"))
    everything = queries.list_notifications(notifications.uow, STAFF, None, None, None)
    assert everything["total_count"] == 2
    own = queries.list_notifications(notifications.uow, member("m-1"), None, None, None)
    assert [e["node"]["member_id"] for e in own["edges"]] == ["m-1"]
    with pytest.raises(Forbidden):
        queries.list_notifications(
            notifications.uow, member("m-1"), {"member_id": "m-2"}, None, None
        )
    with pytest.raises(Unauthenticated):
        queries.list_notifications(notifications.uow, ANONYMOUS, None, None, None)
    other = own["edges"][0]["node"]["id"]
    with pytest.raises(Forbidden):
        queries.get_notification(notifications.uow, member("m-2"), other)
    by_recipient = queries.list_notifications(
        notifications.uow, STAFF, {"recipient": "TWO@hood.example"}, None, None
    )
    assert by_recipient["total_count"] == 1
    page = queries.list_notifications(notifications.uow, STAFF, None, 1, None)
    rest = queries.list_notifications(
        notifications.uow, STAFF, None, 1, page["page_info"]["end_cursor"]
    )
    assert page["page_info"]["has_next_page"] and not rest["page_info"]["has_next_page"]
    assert page["edges"][0]["node"]["id"] != rest["edges"][0]["node"]["id"]


@pytest.mark.parametrize(
    ("filter_", "field"),
    [
        ({"kind": "NOPE"}, "kind"),
        ({"status": "LOST"}, "status"),
        ({"from": "yesterday"}, "from"),
        ({"recipient": 7}, "recipient"),
        ({"recipient": "a\x00@b.example"}, "recipient"),
        ({"member_id": "m-\x00"}, "member_id"),
    ],
)
def test_bad_filters_name_their_field(
    notifications: Harness, filter_: dict[str, Any], field: str
) -> None:
    with pytest.raises(BadInput) as refused:
        queries.list_notifications(notifications.uow, STAFF, filter_, None, None)
    assert refused.value.field == field


def test_what_cannot_be_an_id_is_refused_or_not_found(
    notifications: Harness,
) -> None:
    # The schema fuzzer's find: a NUL reached PostgreSQL, which refuses it.
    for call in (queries.get_notification, queries.resend_notification):
        with pytest.raises(NotFound):
            call(notifications.uow, STAFF, "\x00")
    for prefs in (
        lambda: queries.get_preferences(notifications.uow, STAFF, "m\x00"),
        lambda: queries.set_preferences(notifications.uow, STAFF, "m\x00", []),
    ):
        with pytest.raises(BadInput) as refused:
            prefs()
        assert refused.value.field == "member_id"


def test_preferences_are_a_members_own(notifications: Harness) -> None:
    got = queries.get_preferences(notifications.uow, member("m-1"), "m-1")
    assert got == {
        "member_id": "m-1",
        "opted_out": [],
        "optional": ["GRANT_ROUND_ANNOUNCEMENT", "PARTNERSHIP_NEWS"],
    }
    with pytest.raises(Forbidden):
        queries.set_preferences(notifications.uow, member("m-2"), "m-1", [])
    with pytest.raises(BadInput):
        queries.set_preferences(notifications.uow, STAFF, "m-1", ["DUES_REMINDER"])
    assert queries.get_preferences(notifications.uow, STAFF, "m-1")["opted_out"] == []


def test_a_signed_link_unsubscribes_without_signing_in(notifications: Harness) -> None:
    token = make_token(KEY, "m-1", Kind.PARTNERSHIP_NEWS)
    done = queries.unsubscribe(notifications.uow, KEY, token)
    assert done == {"member_id": "m-1", "kind": "PARTNERSHIP_NEWS"}
    prefs = queries.get_preferences(notifications.uow, SERVICE, "m-1")
    assert prefs["opted_out"] == ["PARTNERSHIP_NEWS"]
    with pytest.raises(BadInput):
        queries.unsubscribe(notifications.uow, b"another-key" * 3, token)


def test_a_reviewer_is_written_to_at_the_address_the_event_carries(
    notifications: Harness,
) -> None:
    notifications.feed(
        "grants",
        "reviewer_assigned",
        {
            "assignment_id": "as-1",
            "reviewer_id": "r-1",
            "reviewer_name": "Ada",
            "reviewer_email": "ada@review.example",
            "program_id": "p",
            "program_name": "Youth",
            "application_id": "a",
            "application_title": "T",
            "blind": True,
        },
    )
    (row,) = notifications.deliveries()
    assert (row.recipient, row.reviewer_id, row.member_id) == (
        "ada@review.example",
        "r-1",
        None,
    )
    assert notifications.directory.asked == []
    mine = queries.list_notifications(
        notifications.uow,
        Identity(sub="r", role="reviewer", reviewer_id="r-1"),
        None,
        None,
        None,
    )
    assert mine["total_count"] == 1


def test_transactional_mail_is_taken_before_announcements_due_earlier(
    notifications: Harness,
) -> None:
    notifications.directory.add("m-1", "clerk@bend.example")
    notifications.feed("partnerships", "partnership_status_changed", partnership_news())
    notifications.feed("members", "dues_invoice_issued", invoice())
    (first,) = sending.take_due(notifications.uow, LEASE, 1)
    (second,) = sending.take_due(notifications.uow, LEASE, 1)
    assert [first.kind, second.kind] == [Kind.INVOICE_ISSUED, Kind.PARTNERSHIP_NEWS]
