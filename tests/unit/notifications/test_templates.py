"""Every kind renders in English: subject, plain text and HTML; optional kinds
carry a signed List-Unsubscribe link; a template that fails says why."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Any

import pytest

from services.notifications.adapters.courier import SmtpCourier
from services.notifications.adapters.settings import TEMPLATES, Settings
from services.notifications.adapters.templates import Renderer, RenderError
from services.notifications.domain.delivery import Delivery
from services.notifications.domain.kinds import Kind
from services.notifications.domain.notices import notices
from services.notifications.domain.unsubscribe import read_token
from services.notifications.service_layer.shared import Undeliverable

PAY = {"payment_id": "pay-1", "invoice_id": "i-1", "member_id": "m-1"}
EVENTS: dict[str, dict[str, Any]] = {
    "dues_invoice_issued": {
        "invoice_id": "i-1",
        "member_id": "m-1",
        "fiscal_year": 2031,
        "amount_cents": 45_000,
        "currency": "USD",
        "due_date": "2031-01-31",
        "band": "B",
    },
    "dues_reminder_due": {
        "invoice_id": "i-1",
        "member_id": "m-1",
        "fiscal_year": 2031,
        "amount_cents": 45_000,
        "due_date": "2031-01-31",
        "reminder": "GRACE_STARTED",
        "grace_ends_on": "2031-03-01",
    },
    "payment_succeeded": {
        **PAY,
        "purpose": "DUES",
        "amount_cents": 45_000,
        "currency": "USD",
        "paid_at": "2031-01-05T09:30:00+00:00",
        "receipt_number": "R-2031-000042",
    },
    "payment_failed": {**PAY, "purpose": "DUES", "reason": "card declined"},
    "payment_status_changed": {**PAY, "new_status": "EXPIRED"},
    "payment_refunded": {
        **PAY,
        "purpose": "DUES",
        "amount_refunded_cents": 10_000,
        "fully_refunded": False,
        "currency": "USD",
    },
    "membership_status_changed": {
        "member_id": "m-1",
        "old_status": "GRACE",
        "new_status": "LAPSED",
        "reason": "dues unpaid",
    },
    "partnership_status_changed": {
        "partnership_id": "pp-1",
        "member_id": "m-1",
        "partner_city": "Sapporo",
        "country": "JP",
        "old_status": "PROPOSED",
        "new_status": "ACTIVE",
        "reason": "",
    },
    "application_submitted": {
        "application_id": "a-1",
        "program_id": "p-1",
        "member_id": "m-1",
        "amount_requested_cents": 500_000,
        "eligible": True,
    },
    "application_decided": {
        "application_id": "a-1",
        "program_id": "p-1",
        "member_id": "m-1",
        "decision": "AWARDED",
        "amount_cents": 400_000,
        "letter": "Dear Bend,\nWe award <USD 4,000.00>.",
    },
    "instalment_released": {
        "instalment_id": "in-1",
        "award_id": "aw-1",
        "member_id": "m-1",
        "amount_cents": 200_000,
        "currency": "USD",
    },
    "reviewer_assigned": {
        "assignment_id": "as-1",
        "reviewer_id": "r-1",
        "reviewer_name": "Ada",
        "reviewer_email": "ada@review.example",
        "program_name": "Youth 2031",
        "application_title": "Students to Sapporo",
        "blind": True,
    },
    "grant_round_published": {
        "program_id": "p-1",
        "program_name": "Youth 2031",
        "description": "Exchanges of students & teachers.",
        "areas": ["YOUTH_EDUCATION"],
        "opens_at": "2031-02-01T00:00:00+00:00",
        "closes_at": "2031-03-31T23:59:00+00:00",
        "max_award_cents": 500_000,
        "currency": "USD",
        "member_ids": ["m-1"],
    },
    "grantee_report_due": {
        "award_id": "aw-1",
        "program_id": "p-1",
        "program_name": "Youth 2031",
        "member_id": "m-1",
        "report_kind": "INTERIM",
        "due_on": "2031-07-01",
    },
    "grantee_report_reviewed": {
        "report_id": "gr-1",
        "award_id": "aw-1",
        "member_id": "m-1",
        "report_kind": "FINAL",
        "status": "ACCEPTED",
        "staff_comment": "Well documented.",
        "reviewed_at": "2031-07-02T10:00:00+00:00",
    },
    "review_reminder_due": {
        "assignment_id": "as-1",
        "reviewer_id": "r-1",
        "reviewer_name": "Ada",
        "reviewer_email": "ada@review.example",
        "program_name": "Youth 2031",
        "application_title": "Students to Sapporo",
        "blind": True,
        "review_deadline": "2031-04-21T23:59:00+00:00",
    },
}
RENDERER = Renderer(TEMPLATES, "Sister Cities Test", "https://app.example")


@pytest.mark.parametrize("event_type", sorted(EVENTS))
def test_every_kind_renders_three_parts(event_type: str) -> None:
    (notice,) = notices(event_type, EVENTS[event_type])
    facts = {**notice.context, "recipient_name": "Bend", "unsubscribe_url": None}
    out = RENDERER.render(notice.kind, "en", facts)
    assert out.subject.startswith("Sister Cities Test: ") and "\n" not in out.subject
    assert "Dear Bend" in out.text and "Dear Bend" in out.html
    assert "https://app.example/" in out.text
    assert out.html.lstrip().startswith("<!doctype html>")


def test_facts_show_as_written_and_are_escaped_in_html() -> None:
    (receipt,) = notices("payment_succeeded", EVENTS["payment_succeeded"])
    out = RENDERER.render(
        receipt.kind,
        "en",
        {**receipt.context, "recipient_name": "A&B", "unsubscribe_url": None},
    )
    assert "R-2031-000042" in out.subject and "USD 450.00" in out.subject
    assert "Receipt number: R-2031-000042" in out.text
    assert "A&amp;B" in out.html and "A&B" in out.text
    (decided,) = notices("application_decided", EVENTS["application_decided"])
    html = RENDERER.render(
        decided.kind,
        "en",
        {**decided.context, "recipient_name": "", "unsubscribe_url": None},
    ).html
    assert "&lt;USD 4,000.00&gt;" in html


def test_an_unknown_locale_reads_english() -> None:
    (notice,) = notices("dues_invoice_issued", EVENTS["dues_invoice_issued"])
    facts = {**notice.context, "recipient_name": "", "unsubscribe_url": None}
    assert RENDERER.render(notice.kind, "fr", facts) == RENDERER.render(
        notice.kind, "en", facts
    )


def test_a_template_that_fails_names_itself_and_the_cause(tmp_path: Path) -> None:
    broken = tmp_path / "templates"
    shutil.copytree(TEMPLATES, broken)
    (broken / "en" / "invoice_issued.txt").write_text("{{ no_such_fact }}")
    renderer = Renderer(broken, "Org", "https://app.example")
    (notice,) = notices("dues_invoice_issued", EVENTS["dues_invoice_issued"])
    with pytest.raises(RenderError) as failed:
        renderer.render(notice.kind, "en", {**notice.context, "recipient_name": ""})
    assert "en/invoice_issued" in str(failed.value)
    assert "no_such_fact" in str(failed.value)


class KeepingMailer:
    """Keeps each message as a mail client would read it (parsed again)."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: Message) -> None:
        parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.sent.append(parsed)


def delivery(event_type: str) -> Delivery:
    (notice,) = notices(event_type, EVENTS[event_type])
    return Delivery.new(
        event_id="e-1",
        event_type=event_type,
        kind=notice.kind,
        recipient="clerk@bend.example",
        member_id=notice.member_id,
        reviewer_id=notice.reviewer_id,
        locale="en",
        context={**notice.context, "recipient_name": "Bend"},
        domain="example.org",
        now=datetime(2031, 1, 1, tzinfo=UTC),
    )


def courier() -> tuple[SmtpCourier, KeepingMailer]:
    mailer = KeepingMailer()
    return SmtpCourier(Settings.from_env(), mailer), mailer  # type: ignore[arg-type]


def test_the_message_carries_its_key_and_an_unsubscribe_link_when_optional() -> None:
    post, mailer = courier()
    news = delivery("partnership_status_changed")
    assert post.deliver(news).endswith("is now active")
    message = mailer.sent[-1]
    assert message["Message-ID"] == news.message_id
    assert message["X-Notification-Kind"] == "PARTNERSHIP_NEWS"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert "/notifications/unsubscribe?token=" in link
    token = link.split("token=")[1]
    wanted = read_token(post.settings.unsubscribe_key, token)
    assert (wanted.member_id, wanted.kind) == ("m-1", Kind.PARTNERSHIP_NEWS)
    assert message.get_body(("plain",)) is not None
    assert message.get_body(("html",)) is not None
    post.deliver(delivery("payment_succeeded"))  # always sent: no link
    assert mailer.sent[-1]["List-Unsubscribe"] is None


def test_a_template_failure_is_permanent(tmp_path: Path) -> None:
    post, _ = courier()
    post.renderer = Renderer(tmp_path, "Org", "https://app.example")  # no templates
    with pytest.raises(Undeliverable) as failed:
        post.deliver(delivery("dues_invoice_issued"))
    assert failed.value.permanent


def test_names_beyond_ascii_are_encoded_and_read_back() -> None:
    post, mailer = courier()
    news = delivery("partnership_status_changed")
    news.context["partner_city"] = "Zürich"
    news.context["recipient_name"] = "Española"
    post.deliver(news)
    message = mailer.sent[-1]
    assert "your partnership with Zürich is now active" in str(message["Subject"])
    assert not str(message["Subject"]).startswith(" ")
    body = message.get_body(("plain",))
    assert body is not None and "Dear Española" in body.get_content()


def test_a_grant_round_announcement_is_optional_and_says_when() -> None:
    post, mailer = courier()
    subject = post.deliver(delivery("grant_round_published"))
    assert "Youth 2031" in subject and "February 1, 2031" in subject
    message = mailer.sent[-1]
    assert message["X-Notification-Kind"] == "GRANT_ROUND_ANNOUNCEMENT"
    link = str(message["List-Unsubscribe"]).strip().strip("<>")
    wanted = read_token(post.settings.unsubscribe_key, link.split("token=")[1])
    assert (wanted.member_id, wanted.kind) == ("m-1", Kind.GRANT_ROUND_ANNOUNCEMENT)
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "March 31, 2031" in text and "USD 5,000.00" in text
    assert "/member/grants" in text


def test_grantee_and_reviewer_reminders_say_their_dates() -> None:
    post, mailer = courier()
    assert "July 1, 2031" in post.deliver(delivery("grantee_report_due"))
    assert mailer.sent[-1]["List-Unsubscribe"] is None
    assert "accepted" in post.deliver(delivery("grantee_report_reviewed"))
    assert "April 21, 2031" in post.deliver(delivery("review_reminder_due"))
    body = mailer.sent[-1].get_body(("plain",))
    assert body is not None and "not named" in body.get_content()
