"""Rules for starting a dues checkout: which invoices can be paid, which URLs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from common.errors import BadInput, Conflict
from services.payments.domain.text import check_text

MAX_URL_LENGTH = 2048


@dataclass(frozen=True)
class Invoice:
    """What members tells us about a dues invoice (`members.get_invoice`)."""

    invoice_id: str
    member_id: str
    fiscal_year: int
    amount_cents: int
    currency: str
    status: str  # OPEN | PAID | REFUNDED | VOID
    band: str
    due_date: str = ""


def require_payable(invoice: Invoice) -> None:
    if invoice.status == "OPEN":
        if invoice.amount_cents <= 0:
            raise Conflict("this invoice has nothing to pay", "invoiceId")
        return
    reasons = {
        "PAID": "this invoice is already paid",
        "VOID": "this invoice was voided and cannot be paid",
        "REFUNDED": "this invoice was refunded and cannot be paid again",
    }
    raise Conflict(
        reasons.get(invoice.status, f"invoice is {invoice.status}"), "invoiceId"
    )


def check_return_url(url: str, field: str) -> str:
    """Stripe sends the payer back here; only absolute http(s) URLs make sense."""
    if not isinstance(url, str) or not url.strip():
        raise BadInput("a URL is required", field)
    url = check_text(url, field, MAX_URL_LENGTH)
    if any(c.isspace() for c in url):
        raise BadInput("a URL has no spaces", field)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadInput("must be an absolute http(s) URL", field)
    return url


def product_name(invoice: Invoice) -> str:
    return f"Membership dues FY{invoice.fiscal_year} (band {invoice.band})"


@dataclass(frozen=True)
class SessionRequest:
    """Everything Stripe needs to open a Checkout Session for one attempt.

    Stored with the payment before Stripe is called, so a retried attempt sends
    exactly the same parameters with the same idempotency key.
    """

    payment_id: str
    invoice: Invoice
    success_url: str
    cancel_url: str
    expires_at: datetime
    idempotency_key: str


@dataclass(frozen=True)
class OpenedSession:
    session_id: str
    url: str | None
    expires_at: datetime | None
    status: str  # Stripe's: open | complete | expired
