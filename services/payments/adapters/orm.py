"""Tables of the payments database."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from common.clock_control import clock_table
from common.db import BigId, infrastructure_tables

metadata = MetaData()
outbox, processed_events = infrastructure_tables(metadata)
test_clock = clock_table(metadata)  # common.clock: moved by tests only

Money = BigInteger().with_variant(Integer(), "sqlite")
When = DateTime(timezone=True)

payments = Table(
    "payments",
    metadata,
    Column("payment_id", String(36), primary_key=True),
    Column("purpose", String(20), nullable=False),
    Column("invoice_id", String(64), nullable=False),
    Column("member_id", String(64), nullable=False, index=True),
    Column("fiscal_year", Integer, nullable=False),
    Column("band", String(50), nullable=False),
    Column("amount_cents", Money, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("checkout_session_id", String(255), nullable=True, unique=True),
    Column("checkout_url", Text, nullable=True),
    Column("session_expires_at", When, nullable=True),
    Column("success_url", Text, nullable=False),
    Column("cancel_url", Text, nullable=False),
    Column("payment_intent_id", String(255), nullable=True, index=True),
    Column("amount_paid_cents", Money, nullable=True),
    Column("paid_currency", String(3), nullable=True),
    Column("amount_refunded_cents", Money, nullable=False, default=0),
    Column("paid_at", When, nullable=True, index=True),
    Column("payer_name", String(300), nullable=True),
    Column("payer_email", String(300), nullable=True),
    Column("flag", String(30), nullable=True),
    Column("flag_detail", Text, nullable=True),
    Column("failure_reason", Text, nullable=True),
    Column("created_at", When, nullable=False, index=True),
    Column("updated_at", When, nullable=False),
    # One Stripe session per (invoice, attempt): the idempotency key's source.
    # Its index also serves lookups by invoice.
    UniqueConstraint("invoice_id", "attempt", name="uq_payments_invoice_attempt"),
)

payment_history = Table(
    "payment_history",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column(
        "payment_id",
        String(36),
        ForeignKey("payments.payment_id"),
        nullable=False,
        index=True,
    ),
    Column("old_status", String(20), nullable=True),
    Column("new_status", String(20), nullable=False),
    Column("changed_at", When, nullable=False),
    Column("source", String(300), nullable=False),
    Column("note", Text, nullable=False, default=""),
)

# Every verified Stripe event, keyed by its id, written with its effect.
stripe_events = Table(
    "stripe_events",
    metadata,
    Column("event_id", String(255), primary_key=True),
    Column("event_type", String(100), nullable=False),
    Column("created", When, nullable=False),
    Column("received_at", When, nullable=False),
    Column("payment_id", String(36), nullable=True, index=True),
    Column("outcome", String(30), nullable=False),
)

refunds = Table(
    "refunds",
    metadata,
    Column("refund_id", String(36), primary_key=True),
    Column(
        "payment_id",
        String(36),
        ForeignKey("payments.payment_id"),
        nullable=False,
        index=True,
    ),
    Column("sequence", Integer, nullable=False),
    Column("amount_cents", Money, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("reason", Text, nullable=False),
    Column("requested_by", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("stripe_refund_id", String(255), nullable=True),
    Column("failure", Text, nullable=True),
    Column("created_at", When, nullable=False),
    Column("updated_at", When, nullable=False),
    UniqueConstraint("payment_id", "sequence", name="uq_refunds_payment_sequence"),
)

receipts = Table(
    "receipts",
    metadata,
    Column("number", String(30), primary_key=True),
    Column(
        "payment_id",
        String(36),
        ForeignKey("payments.payment_id"),
        nullable=False,
        unique=True,
    ),
    Column("issued_at", When, nullable=False),
    Column("member_id", String(64), nullable=False, index=True),
    Column("payer_name", String(300), nullable=True),
    Column("payer_email", String(300), nullable=True),
    Column("amount_cents", Money, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("invoice_id", String(64), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
)

# Receipt numbers. PostgreSQL: a sequence, so concurrent payments never queue
# on a counter row (a failed transaction may leave a gap). SQLite, which has
# one writer anyway: the last number used per calendar year, gapless.
receipt_number_seq = Sequence("receipt_number_seq", metadata=metadata)
receipt_counters = Table(
    "receipt_counters",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("last_number", Integer, nullable=False),
)

disbursements = Table(
    "disbursements",
    metadata,
    Column("disbursement_id", String(36), primary_key=True),
    Column("instalment_id", String(64), nullable=False, unique=True),
    Column("award_id", String(64), nullable=False, index=True),
    Column("member_id", String(64), nullable=False, index=True),
    Column("amount_cents", Money, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("reference", String(200), nullable=True),
    Column("scheduled_at", When, nullable=False),
    Column("paid_at", When, nullable=True),
    Column("paid_by", String(200), nullable=True),
)
