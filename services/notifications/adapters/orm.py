"""Tables of the notifications database."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from common.clock_control import clock_table
from common.db import infrastructure_tables

metadata = MetaData()
# The outbox stays empty (notifications announces nothing); the unit of work
# and the migrations check carry it like every service's.
outbox, processed_events = infrastructure_tables(metadata)
test_clock = clock_table(metadata)  # common.clock: moved by tests only

ID = String(36)
When = DateTime(timezone=True)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", ID, primary_key=True),  # derived from (event_id, recipient)
    Column("event_id", ID, nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("recipient", String(254), nullable=False),
    Column("member_id", String(64), nullable=True, index=True),
    Column("reviewer_id", String(64), nullable=True, index=True),
    Column("locale", String(16), nullable=False),
    Column("context", JSON, nullable=False),
    Column("message_id", String(200), nullable=False),
    Column("status", String(10), nullable=False),
    Column("subject", String(500), nullable=False, default=""),
    Column("last_error", Text, nullable=False, default=""),
    Column("failures", Integer, nullable=False, default=0),
    Column("attempt_count", Integer, nullable=False, default=0),
    Column("created_at", When, nullable=False),
    # When a sender may take it next: due, retried later, or taken and leased.
    Column("next_attempt_at", When, nullable=True),
    Column("sent_at", When, nullable=True),
    # An optional kind sent to many at once (a round announced to every
    # member): taken after every due transactional mail, so no receipt waits
    # behind thousands of announcements.
    Column("bulk", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("event_id", "recipient", name="uq_deliveries_event_recipient"),
)
PENDING = deliveries.c.status == "PENDING"
Index(
    "ix_deliveries_due",
    deliveries.c.bulk,
    deliveries.c.next_attempt_at,
    postgresql_where=PENDING,
    sqlite_where=PENDING,
)
Index("ix_deliveries_created", deliveries.c.created_at, deliveries.c.id)
Index("ix_deliveries_recipient", deliveries.c.recipient)

delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("delivery_id", ID, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("at", When, nullable=False),
    Column("outcome", String(10), nullable=False),
    Column("error", Text, nullable=False, default=""),
)

preferences = Table(
    "preferences",
    metadata,
    Column("member_id", String(64), primary_key=True),
    Column("opted_out", JSON, nullable=False),  # sorted kind names
    Column("updated_at", When, nullable=False),
)
