"""Tables of the members database."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    false,
)

from common.clock_control import clock_table
from common.db import BigId, infrastructure_tables

metadata = MetaData()
outbox, processed_events = infrastructure_tables(metadata)
test_clock = clock_table(metadata)  # common.clock: moved by tests only

members = Table(
    "members",
    metadata,
    Column("member_id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    # casefolded, single-spaced name: duplicates, search and sort order
    Column("name_key", String(200), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("state", String(2), nullable=False),
    Column("population", BigInteger, nullable=True),
    Column("chosen_band", String(20), nullable=True),
    Column("contact_email", String(254), nullable=False),
    Column("website", String(2048), nullable=True),
    Column("status", String(10), nullable=False),
    Column("good_standing", Boolean, nullable=False),
    Column("joined_on", Date, nullable=False),
    Column("version", Integer, nullable=False),
    # taken over from earlier records in good standing (migration 0004)
    Column("imported", Boolean, nullable=False, server_default=false()),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("name_key", "kind", "state", name="uq_members_identity"),
    Index("ix_members_order", "name_key", "member_id"),
    Index("ix_members_state", "state"),
    Index("ix_members_status", "status"),
)

dues_schedules = Table(
    "dues_schedules",
    metadata,
    Column("fiscal_year", Integer, primary_key=True, autoincrement=False),
    Column("amounts", JSON, nullable=False),  # {band: cents}
    Column("currency", String(3), nullable=False),
    Column("grace_days", Integer, nullable=False),
    Column("set_at", DateTime(timezone=True), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=True),
)

invoices = Table(
    "invoices",
    metadata,
    Column("invoice_id", String(36), primary_key=True),
    Column("member_id", String(36), ForeignKey("members.member_id"), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("band", String(20), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("full_amount_cents", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(10), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("grace_days", Integer, nullable=False),
    Column("covered_days", Integer, nullable=True),
    Column("year_days", Integer, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("member_id", "fiscal_year", name="uq_invoices_member_year"),
    Index("ix_invoices_status_due", "status", "due_date"),
    Index("ix_invoices_year", "fiscal_year"),
)

invoice_payments = Table(
    "invoice_payments",
    metadata,
    Column(
        "invoice_id",
        String(36),
        ForeignKey("invoices.invoice_id"),
        primary_key=True,
    ),
    Column("payment_id", String(100), primary_key=True),
    Column("succeeded", Boolean, nullable=False),
    Column("fully_refunded", Boolean, nullable=False),
    Column("amount_cents", BigInteger, nullable=True),
    Column("amount_refunded_cents", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

status_changes = Table(
    "status_changes",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column(
        "member_id",
        String(36),
        ForeignKey("members.member_id"),
        nullable=False,
        index=True,
    ),
    Column("old_status", String(10), nullable=True),
    Column("new_status", String(10), nullable=False),
    Column("good_standing", Boolean, nullable=False),
    Column("reason", String(500), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    # the business date of the change (the clock's today, which tests move)
    Column("effective_on", Date, nullable=False),
)

reminders_sent = Table(
    "reminders_sent",
    metadata,
    Column(
        "invoice_id", String(36), ForeignKey("invoices.invoice_id"), primary_key=True
    ),
    Column("reminder", String(20), primary_key=True),
    Column("sent_on", Date, nullable=False),
)
