"""Pure rules: what each event tells whom, deliveries, preferences, links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from common.errors import BadInput, Conflict
from services.notifications.domain.delivery import (
    Delivery,
    DeliveryStatus,
    Outcome,
    RetryPolicy,
    delivery_id,
    message_id,
)
from services.notifications.domain.kinds import Kind
from services.notifications.domain.notices import notices
from services.notifications.domain.preferences import Preferences, parse_opt_out
from services.notifications.domain.unsubscribe import make_token, read_token

NOW = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)
KEY = b"k" * 32


def assigned(blind: bool) -> dict[str, object]:
    payload: dict[str, object] = {
        "assignment_id": "as-1",
        "reviewer_id": "r-1",
        "reviewer_name": "Ada Reviewer",
        "reviewer_email": "ada@review.example",
        "program_id": "p-1",
        "program_name": "Youth Exchange 2030",
        "application_id": "app-1",
        "application_title": "Students to Sapporo",
        "blind": blind,
    }
    if not blind:
        payload |= {"applicant_member_id": "m-1", "applicant_name": "Bend, OR"}
    return payload


def test_each_event_names_its_kind_and_member() -> None:
    (invoice,) = notices(
        "dues_invoice_issued",
        {
            "invoice_id": "i-1",
            "member_id": "m-1",
            "fiscal_year": 2031,
            "amount_cents": 15_000,
            "currency": "USD",
            "due_date": "2031-01-31",
            "band": "UP_TO_25K",
        },
    )
    assert invoice.kind is Kind.INVOICE_ISSUED and invoice.member_id == "m-1"
    assert invoice.context["amount_cents"] == 15_000
    (receipt,) = notices(
        "payment_succeeded",
        {
            "payment_id": "pay-1",
            "invoice_id": "i-1",
            "member_id": "m-1",
            "purpose": "DUES",
            "amount_cents": 15_000,
            "currency": "USD",
            "paid_at": "2031-01-02T10:00:00+00:00",
            "receipt_number": "R-2031-000001",
            "flag": None,
        },
    )
    assert receipt.kind is Kind.PAYMENT_RECEIPT
    assert receipt.context["receipt_number"] == "R-2031-000001"
    assert receipt.context["link"] == "/member/receipts/R-2031-000001"


def test_events_that_concern_nobody_cause_nothing() -> None:
    assert notices("member_registered", {"member_id": "m-1"}) == []
    # money held for staff, and a disbursement, are not a member's receipt
    held = {"purpose": "DUES", "member_id": "m", "flag": "AMOUNT_MISMATCH"}
    assert notices("payment_succeeded", held) == []
    assert notices("payment_succeeded", {"purpose": "DISBURSEMENT"}) == []
    assert notices("payment_status_changed", {"new_status": "PENDING"}) == []
    assert notices("membership_status_changed", {"new_status": "ACTIVE"}) == []
    registered = {"partnership_id": "p", "member_id": "m", "old_status": None}
    assert notices("partnership_status_changed", registered) == []


def test_a_blind_programmes_assignment_never_names_the_applicant() -> None:
    leaked = {**assigned(True), "applicant_name": "Bend, OR"}  # even if sent
    (blind,) = notices("reviewer_assigned", leaked)
    assert blind.kind is Kind.REVIEW_ASSIGNED
    assert blind.reviewer_email == "ada@review.example" and blind.member_id is None
    assert "applicant_name" not in blind.context
    (open_,) = notices("reviewer_assigned", assigned(False))
    assert open_.context["applicant_name"] == "Bend, OR"
    assert (
        notices("reviewer_assigned", {**assigned(True), "reviewer_email": None}) == []
    )


def new_delivery(**kw: object) -> Delivery:
    fields: dict[str, object] = {
        "event_id": "e-1",
        "event_type": "dues_invoice_issued",
        "kind": Kind.INVOICE_ISSUED,
        "recipient": "clerk@town.example",
        "member_id": "m-1",
        "reviewer_id": None,
        "locale": "en",
        "context": {},
        "domain": "example.org",
        "now": NOW,
        **kw,
    }
    return Delivery.new(**fields)  # type: ignore[arg-type]


def test_the_key_gives_the_same_id_and_message_id_every_time() -> None:
    a, b = new_delivery(), new_delivery(recipient="CLERK@town.example")
    assert a.id == b.id == delivery_id("e-1", "clerk@town.example")
    assert (
        a.message_id
        == b.message_id
        == message_id("e-1", "clerk@town.example", "example.org")
    )
    assert a.message_id.startswith("<") and a.message_id.endswith("@example.org>")
    assert new_delivery(event_id="e-2").message_id != a.message_id
    assert new_delivery(recipient="other@town.example").id != a.id


def test_failures_back_off_then_park_and_staff_resend() -> None:
    policy = RetryPolicy(max_attempts=3, base_delay=timedelta(seconds=5))
    x = new_delivery()
    x.failed("connection refused", NOW, policy)
    assert x.status is DeliveryStatus.PENDING
    assert x.next_attempt_at == NOW + timedelta(seconds=5)
    x.failed("connection refused", NOW, policy)
    assert x.next_attempt_at == NOW + timedelta(seconds=10)
    x.failed("connection refused", NOW, policy)
    assert x.status is DeliveryStatus.PARKED and x.next_attempt_at is None
    assert [a.outcome for a in x.attempts] == [
        Outcome.FAILED,
        Outcome.FAILED,
        Outcome.PARKED,
    ]
    x.resend(NOW)
    assert x.status is DeliveryStatus.PENDING and x.failures == 0
    x.sent("Your invoice", NOW)
    assert x.status is DeliveryStatus.SENT and x.attempt_count == 4
    with pytest.raises(Conflict):
        x.resend(NOW)


def test_a_permanent_failure_parks_at_once() -> None:
    x = new_delivery()
    x.parked("template en/invoice_issued failed", NOW)
    assert x.status is DeliveryStatus.PARKED
    assert x.last_error == "template en/invoice_issued failed"


def test_only_optional_kinds_can_be_turned_off() -> None:
    prefs = Preferences("m-1", parse_opt_out(["PARTNERSHIP_NEWS"]))
    assert not prefs.wants(Kind.PARTNERSHIP_NEWS)
    assert prefs.wants(Kind.PAYMENT_RECEIPT) and prefs.wants(Kind.DUES_REMINDER)
    with pytest.raises(BadInput) as refused:
        parse_opt_out(["PAYMENT_RECEIPT"])
    assert refused.value.field == "optedOut"
    assert "always sent" in refused.value.message
    with pytest.raises(BadInput):
        parse_opt_out(["NO_SUCH_KIND"])
    with pytest.raises(BadInput):
        parse_opt_out("PARTNERSHIP_NEWS")


def test_unsubscribe_links_are_signed() -> None:
    token = make_token(KEY, "m-1", Kind.PARTNERSHIP_NEWS)
    wanted = read_token(KEY, token)
    assert (wanted.member_id, wanted.kind) == ("m-1", Kind.PARTNERSHIP_NEWS)
    other = make_token(KEY, "m-2", Kind.PARTNERSHIP_NEWS)
    forged = token.split(".")[0] + "." + token.split(".")[1] + "." + other.split(".")[2]
    for bad in (
        forged,
        token[:-2],
        make_token(b"x" * 32, "m-1", Kind.PARTNERSHIP_NEWS),
        "",
        7,
    ):
        with pytest.raises(BadInput) as refused:
            read_token(KEY, bad)
        assert refused.value.field == "token"
    with pytest.raises(BadInput):
        make_token(KEY, "m-1", Kind.PAYMENT_RECEIPT)  # never offered for these
