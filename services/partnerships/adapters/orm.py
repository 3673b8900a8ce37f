"""Tables of the partnerships database."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
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
    Text,
    text,
)

from common.clock_control import clock_table
from common.db import BigId, infrastructure_tables

metadata = MetaData()
outbox, processed_events = infrastructure_tables(metadata)
test_clock = clock_table(metadata)  # common.clock: moved by tests only

partnerships = Table(
    "partnerships",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("member_id", String(64), nullable=False, index=True),
    Column("partner_city", String(200), nullable=False),
    Column("partner_region", String(200), nullable=True),
    Column("country", String(2), nullable=False),
    Column("continent", String(2), nullable=False),
    Column("type", String(20), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    # One bit per programme area (see adapters.repository.AREA_BITS): filters
    # with `&` on PostgreSQL and SQLite alike.
    Column("program_areas", Integer, nullable=False, default=0),
    Column("council_resolution", String(200), nullable=True),
    Column("agreement_signed_on", Date, nullable=True),
    Column("us_signatory", String(200), nullable=True),
    Column("partner_signatory", String(200), nullable=True),
    Column("document_reference", String(200), nullable=True),
    Column("signed_on", Date, nullable=True),
    Column("established_year", Integer, nullable=True, index=True),
    # Copied from the member read model so the directory reads one table.
    Column("member_name", String(200), nullable=True),
    Column("member_state", String(2), nullable=True),
    Column("recognized", Boolean, nullable=False, default=False, index=True),
    # Normalized (accent- and case-free) partner name: identity and sort key.
    Column("partner_key", String(200), nullable=False),
    # Normalized partner, region, country and member names, for text search.
    Column("search_text", Text, nullable=False),
    Column("source", String(20), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # One live (non-terminated) partnership per member and partner community.
    Index(
        "uq_partnerships_live_partner",
        "member_id",
        "country",
        "partner_key",
        unique=True,
        postgresql_where=text("status <> 'TERMINATED'"),
        sqlite_where=text("status <> 'TERMINATED'"),
    ),
    Index("ix_partnerships_partner_key_id", "partner_key", "id"),
    Index("ix_partnerships_recognized_partner_key", "recognized", "partner_key", "id"),
    # The directory's usual filters: a page in name order straight from the
    # index, and counts from the index alone.
    *(
        Index(f"ix_partnerships_{c}_recognized", c, "recognized", "partner_key", "id")
        for c in ("country", "continent", "member_state")
    ),
)

# One number that changes with every write the directory can see: cached
# counts are keyed by it (see adapters/directory.py), so they are never stale.
directory_version = Table(
    "directory_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", BigId, nullable=False),
)

# PostgreSQL only, so created by the migrations rather than declared here
# (autogenerate runs on SQLite): a pg_trgm GIN index on search_text, so that
# `LIKE '%word%'` uses an index (0002), and the date orders' indexes,
# `(recognized, established_year, signed_on, partner_key, id)` with NULLS LAST,
# ascending and descending (0004): SQLite cannot index NULLS LAST. SQLite
# scans and sorts, which is fine at its sizes.

partnership_history = Table(
    "partnership_history",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column(
        "partnership_id",
        String(36),
        ForeignKey("partnerships.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("action", String(30), nullable=False),
    Column("from_status", String(20), nullable=True),
    Column("to_status", String(20), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_sub", String(200), nullable=True),
    Column("actor_role", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("details", JSON, nullable=False),
)

# The read model of member communities (from members' events).
members = Table(
    "members",
    metadata,
    Column("member_id", String(64), primary_key=True),
    Column("name", String(200), nullable=True),
    Column("kind", String(20), nullable=True),
    Column("state", String(2), nullable=True),
    Column("population", Integer, nullable=True),
    Column("status", String(20), nullable=True),
    Column("good_standing", Boolean, nullable=False, default=False),
    # The news each part came from (contracts.member_facts.Stamp): the
    # member's version, else the time it was published.
    Column("profile_as_of", DateTime(timezone=True), nullable=True),
    Column("standing_as_of", DateTime(timezone=True), nullable=True),
    Column("profile_version", Integer, nullable=True),
    Column("standing_version", Integer, nullable=True),
)

partner_preferences = Table(
    "partner_preferences",
    metadata,
    Column("member_id", String(64), primary_key=True),
    Column("countries", JSON, nullable=False),
    Column("continents", JSON, nullable=False),
    Column("program_areas", JSON, nullable=False),
    Column("population_min", Integer, nullable=True),
    Column("population_max", Integer, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(200), nullable=True),
)
