"""What each event tells whom: the notices an event causes, before rendering.

A notice names its kind, its audience (a member community's contact, or a
reviewer with the address the event carries) and the facts its template
shows, as plain JSON values. Links are paths into the web app; the renderer
puts `APP_BASE_URL` in front. An event that concerns nobody causes none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from contracts.rpc import Json
from services.notifications.domain.kinds import Kind


@dataclass(frozen=True)
class Contact:
    """Where a member community's messages go (from the members service)."""

    member_id: str
    name: str
    email: str


@dataclass(frozen=True)
class Notice:
    kind: Kind
    context: Json
    member_id: str | None = None  # to this member community's contact
    reviewer_id: str | None = None  # or to this reviewer,
    reviewer_email: str | None = None  # at this address


def notices(event_type: str, payload: Json) -> list[Notice]:
    rule = RULES.get(event_type)
    return rule(payload) if rule else []


def _member(kind: Kind, p: Json, **context: Any) -> list[Notice]:
    return [Notice(kind, context, member_id=str(p["member_id"]))]


def _invoice_issued(p: Json) -> list[Notice]:
    return _member(
        Kind.INVOICE_ISSUED,
        p,
        invoice_id=p["invoice_id"],
        fiscal_year=p["fiscal_year"],
        amount_cents=p["amount_cents"],
        currency=p["currency"],
        due_date=p["due_date"],
        link="/member/invoices",
    )


def _reminder(p: Json) -> list[Notice]:
    return _member(
        Kind.DUES_REMINDER,
        p,
        invoice_id=p["invoice_id"],
        reminder=p["reminder"],
        fiscal_year=p["fiscal_year"],
        amount_cents=p["amount_cents"],
        currency=p.get("currency", "USD"),
        due_date=p["due_date"],
        grace_ends_on=p.get("grace_ends_on"),
        link="/member/invoices",
    )


def _payment_succeeded(p: Json) -> list[Notice]:
    # Disbursements are the grant's news (instalment released); money held
    # for staff (flagged) was not applied to the invoice: no receipt yet.
    if p.get("purpose") != "DUES" or not p.get("member_id") or p.get("flag"):
        return []
    number = p.get("receipt_number")
    return _member(
        Kind.PAYMENT_RECEIPT,
        p,
        payment_id=p["payment_id"],
        invoice_id=p.get("invoice_id"),
        receipt_number=number,
        amount_cents=p["amount_cents"],
        currency=p["currency"],
        paid_at=p["paid_at"],
        link=f"/member/receipts/{number}" if number else "/member/invoices",
    )


def _payment_failed(p: Json) -> list[Notice]:
    if p.get("purpose") != "DUES" or not p.get("member_id"):
        return []
    return _member(
        Kind.PAYMENT_FAILED,
        p,
        payment_id=p["payment_id"],
        invoice_id=p.get("invoice_id"),
        reason=p.get("reason") or "",
        link="/member/invoices",
    )


def _payment_status_changed(p: Json) -> list[Notice]:
    if p.get("new_status") != "EXPIRED" or not p.get("member_id"):
        return []
    return _member(
        Kind.CHECKOUT_EXPIRED,
        p,
        payment_id=p["payment_id"],
        invoice_id=p.get("invoice_id"),
        link="/member/invoices",
    )


def _payment_refunded(p: Json) -> list[Notice]:
    if p.get("purpose") != "DUES" or not p.get("member_id"):
        return []
    return _member(
        Kind.REFUND_ISSUED,
        p,
        payment_id=p["payment_id"],
        invoice_id=p.get("invoice_id"),
        amount_refunded_cents=p["amount_refunded_cents"],
        currency=p.get("currency", "USD"),
        fully_refunded=bool(p.get("fully_refunded")),
        link="/member/invoices",
    )


def _membership_status_changed(p: Json) -> list[Notice]:
    if p.get("new_status") != "LAPSED" or p.get("old_status") == "LAPSED":
        return []
    return _member(
        Kind.MEMBERSHIP_LAPSED,
        p,
        reason=p.get("reason") or "",
        link="/member/invoices",
    )


def _partnership_status_changed(p: Json) -> list[Notice]:
    if p.get("old_status") is None:  # the registration itself, not news
        return []
    return _member(
        Kind.PARTNERSHIP_NEWS,
        p,
        partnership_id=p["partnership_id"],
        partner_city=p.get("partner_city") or "",
        country=p.get("country") or "",
        old_status=p["old_status"],
        new_status=p["new_status"],
        reason=p.get("reason") or "",
        link=f"/member/partnerships/{p['partnership_id']}",
    )


def _application_submitted(p: Json) -> list[Notice]:
    return _member(
        Kind.APPLICATION_SUBMITTED,
        p,
        application_id=p["application_id"],
        program_id=p["program_id"],
        amount_requested_cents=p.get("amount_requested_cents"),
        eligible=bool(p.get("eligible", True)),
        link=f"/member/grants/applications/{p['application_id']}",
    )


def _application_decided(p: Json) -> list[Notice]:
    return _member(
        Kind.APPLICATION_DECIDED,
        p,
        application_id=p["application_id"],
        decision=p["decision"],
        amount_cents=p.get("amount_cents"),
        letter=p.get("letter") or "",
        link=f"/member/grants/applications/{p['application_id']}",
    )


def _instalment_released(p: Json) -> list[Notice]:
    return _member(
        Kind.INSTALMENT_RELEASED,
        p,
        instalment_id=p["instalment_id"],
        award_id=p["award_id"],
        amount_cents=p["amount_cents"],
        currency=p["currency"],
        link=f"/member/grants/awards/{p['award_id']}",
    )


def _grant_round_published(p: Json) -> list[Notice]:
    # One notice per member community grants names as the round's audience.
    context = {
        "program_id": p["program_id"],
        "program_name": p.get("program_name") or "",
        "description": p.get("description") or "",
        "areas": list(p.get("areas") or []),
        "opens_at": p["opens_at"],
        "closes_at": p["closes_at"],
        "max_award_cents": p.get("max_award_cents"),
        "currency": p.get("currency") or "USD",
        "link": "/member/grants",
    }
    members = dict.fromkeys(str(m) for m in p.get("member_ids") or [])
    return [
        Notice(Kind.GRANT_ROUND_ANNOUNCEMENT, context, member_id=m) for m in members
    ]


def _grantee_report_due(p: Json) -> list[Notice]:
    return _member(
        Kind.GRANTEE_REPORT_DUE,
        p,
        award_id=p["award_id"],
        program_name=p.get("program_name") or "",
        report_kind=p["report_kind"],
        due_on=p["due_on"],
        link=f"/member/grants/awards/{p['award_id']}",
    )


def _grantee_report_reviewed(p: Json) -> list[Notice]:
    if p.get("status") != "ACCEPTED":
        return []  # a returned report: staff's comment is on the award's page
    return _member(
        Kind.GRANTEE_REPORT_ACCEPTED,
        p,
        report_id=p["report_id"],
        award_id=p["award_id"],
        report_kind=p["report_kind"],
        staff_comment=p.get("staff_comment") or "",
        link=f"/member/grants/awards/{p['award_id']}",
    )


def _reviewer_assigned(p: Json) -> list[Notice]:
    return _to_reviewer(Kind.REVIEW_ASSIGNED, p)


def _review_reminder_due(p: Json) -> list[Notice]:
    return _to_reviewer(Kind.REVIEW_REMINDER, p, review_deadline=p["review_deadline"])


def _to_reviewer(kind: Kind, p: Json, **extra: Any) -> list[Notice]:
    email = p.get("reviewer_email")
    if not email:
        return []  # a reviewer registered without an address
    context = {
        **extra,
        "assignment_id": p["assignment_id"],
        "reviewer_name": p.get("reviewer_name") or "",
        "program_name": p.get("program_name") or "",
        "application_title": p.get("application_title") or "",
        "blind": bool(p.get("blind")),
        "link": f"/review/assignments/{p['assignment_id']}",
    }
    # Grants leaves the applicant out of a blind programme's event; checked
    # again here, so a blind review's message can never name it.
    if not context["blind"]:
        context["applicant_name"] = p.get("applicant_name") or ""
    return [
        Notice(
            kind,
            context,
            reviewer_id=str(p["reviewer_id"]),
            reviewer_email=str(email),
        )
    ]


RULES: dict[str, Callable[[Json], list[Notice]]] = {
    "dues_invoice_issued": _invoice_issued,
    "dues_reminder_due": _reminder,
    "payment_succeeded": _payment_succeeded,
    "payment_failed": _payment_failed,
    "payment_status_changed": _payment_status_changed,
    "payment_refunded": _payment_refunded,
    "membership_status_changed": _membership_status_changed,
    "partnership_status_changed": _partnership_status_changed,
    "application_submitted": _application_submitted,
    "application_decided": _application_decided,
    "instalment_released": _instalment_released,
    "reviewer_assigned": _reviewer_assigned,
    "grant_round_published": _grant_round_published,
    "grantee_report_due": _grantee_report_due,
    "grantee_report_reviewed": _grantee_report_reviewed,
    "review_reminder_due": _review_reminder_due,
}
