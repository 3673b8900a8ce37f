"""Tables of the grants database, and how the domain's objects map onto them."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import registry

from common.clock_control import clock_table
from common.db import infrastructure_tables
from services.grants.adapters.types import (
    Attachments,
    BudgetLines,
    EligibilityRules,
    Rubric,
    ScoreMap,
    StrTuple,
    UtcDateTime,
)
from services.grants.domain.application import Application, ApplicationStatus
from services.grants.domain.awards import (
    Award,
    Condition,
    Instalment,
    InstalmentStatus,
)
from services.grants.domain.conflicts import Reviewer
from services.grants.domain.facts import MemberFacts, PartnershipFacts
from services.grants.domain.program import Program, ProgramStatus
from services.grants.domain.reports import GranteeReport, ReportKind, ReportStatus
from services.grants.domain.review import Assignment, AssignmentStatus

metadata = MetaData()
outbox, processed_events = infrastructure_tables(metadata)
test_clock = clock_table(metadata)  # common.clock: moved by tests only


def _enum(cls: type[StrEnum]) -> Enum:
    # Plain strings in the database: no PostgreSQL enum type to migrate.
    return Enum(cls, native_enum=False, create_constraint=False, length=30)


ID = String(36)

programs = Table(
    "programs",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("areas", StrTuple, nullable=False),
    Column("opens_at", UtcDateTime, nullable=False),
    Column("closes_at", UtcDateTime, nullable=False),
    Column("budget_cents", BigInteger, nullable=False),
    Column("max_award_cents", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("eligibility", EligibilityRules, nullable=False),
    Column("rubric", Rubric, nullable=False),
    Column("reviewers_per_application", Integer, nullable=False),
    Column("blind_review", Boolean, nullable=False),
    Column("disagreement_threshold", Float, nullable=False),
    Column("status", _enum(ProgramStatus), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime, nullable=True),
    Column("panel", StrTuple, nullable=False),
)

applications = Table(
    "applications",
    metadata,
    Column("id", ID, primary_key=True),
    Column("program_id", ID, ForeignKey("programs.id"), nullable=False, index=True),
    Column("member_id", String(64), nullable=False, index=True),
    Column("partnership_id", String(64), nullable=False),
    Column("area", String(40), nullable=False),
    Column("title", String(200), nullable=False),
    Column("amount_requested_cents", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("narrative", Text, nullable=False),
    Column("budget", BudgetLines, nullable=False),
    Column("attachments", Attachments, nullable=False),
    Column("status", _enum(ApplicationStatus), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("submitted_at", UtcDateTime, nullable=True),
    Column("ineligibility_reasons", StrTuple, nullable=False),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("decline_reasons", StrTuple, nullable=False),
    Column("withdrawn_at", UtcDateTime, nullable=True),
    Column("withdrawal_reason", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Index("ix_applications_created", "created_at", "id"),
)

reviewers = Table(
    "reviewers",
    metadata,
    Column("reviewer_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("home_member_id", String(64), nullable=False, index=True),
    Column("active", Boolean, nullable=False),
    Column("email", String(254), nullable=True),
)

assignments = Table(
    "review_assignments",
    metadata,
    Column("id", ID, primary_key=True),
    Column("program_id", ID, nullable=False, index=True),
    Column(
        "application_id",
        ID,
        ForeignKey("applications.id"),
        nullable=False,
        index=True,
    ),
    Column("reviewer_id", String(64), nullable=False, index=True),
    Column("status", _enum(AssignmentStatus), nullable=False),
    Column("assigned_at", UtcDateTime, nullable=False),
    Column("scores", ScoreMap, nullable=False),
    Column("comment", Text, nullable=False),
    Column("total", Float, nullable=True),
    Column("submitted_at", UtcDateTime, nullable=True),
    Column("recusal_reason", Text, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),
    # A reviewer who left an application (recused, conflict) never returns to it.
    UniqueConstraint("application_id", "reviewer_id", name="uq_assignment_reviewer"),
)

awards = Table(
    "awards",
    metadata,
    Column("id", ID, primary_key=True),
    Column(
        "application_id",
        ID,
        ForeignKey("applications.id"),
        nullable=False,
        unique=True,
    ),
    Column("program_id", ID, nullable=False, index=True),
    Column("member_id", String(64), nullable=False, index=True),
    Column("amount_cents", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("conditions", Text, nullable=False),
    Column("awarded_at", UtcDateTime, nullable=False),
    Column("agreement_signed_at", UtcDateTime, nullable=True),
)

instalments = Table(
    "instalments",
    metadata,
    Column("id", ID, primary_key=True),
    Column("award_id", ID, ForeignKey("awards.id"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("condition", _enum(Condition), nullable=False),
    Column("status", _enum(InstalmentStatus), nullable=False),
    Column("released_at", UtcDateTime, nullable=True),
    Column("disbursement_id", String(64), nullable=True),
    Column("scheduled_at", UtcDateTime, nullable=True),
    Column("paid_at", UtcDateTime, nullable=True),
    Column("paid_cents", BigInteger, nullable=True),
    Column("reference", String(200), nullable=False),
    UniqueConstraint("award_id", "seq", name="uq_instalment_seq"),
)

grantee_reports = Table(
    "grantee_reports",
    metadata,
    Column("id", ID, primary_key=True),
    Column("award_id", ID, ForeignKey("awards.id"), nullable=False, index=True),
    Column("member_id", String(64), nullable=False),
    Column("kind", _enum(ReportKind), nullable=False),
    Column("narrative", Text, nullable=False),
    Column("spending", BudgetLines, nullable=False),
    Column("attachments", Attachments, nullable=False),
    Column("status", _enum(ReportStatus), nullable=False),
    Column("submitted_at", UtcDateTime, nullable=False),
    Column("reviewed_at", UtcDateTime, nullable=True),
    Column("staff_comment", Text, nullable=False),
)

member_facts = Table(
    "member_facts",
    metadata,
    Column("member_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("state", String(10), nullable=False),
    Column("population", BigInteger, nullable=True),
    Column("status", String(30), nullable=False),
    Column("good_standing", Boolean, nullable=False),
    Column("profile_at", UtcDateTime, nullable=True),
    Column("standing_at", UtcDateTime, nullable=True),
    Column("profile_version", Integer, nullable=True),
    Column("standing_version", Integer, nullable=True),
)

partnership_facts = Table(
    "partnership_facts",
    metadata,
    Column("partnership_id", String(64), primary_key=True),
    Column("member_id", String(64), nullable=False, index=True),
    Column("partner_city", String(200), nullable=False),
    Column("country", String(10), nullable=False),
    Column("status", String(30), nullable=False),
    Column("recognized", Boolean, nullable=False),
    Column("status_at", UtcDateTime, nullable=True),
    Column("recognition_at", UtcDateTime, nullable=True),
)

# Reminders the daily job sent (a report due, a review deadline near): one
# row per reminder, written with its event, so each is sent once.
reminders_sent = Table(
    "reminders_sent",
    metadata,
    Column("key", String(120), primary_key=True),  # domain.reminders.*_key
    Column("sent_on", Date, nullable=False),
)

mapper_registry = registry(metadata=metadata)
for cls, table in (
    (Program, programs),
    (Application, applications),
    (Reviewer, reviewers),
    (Assignment, assignments),
    (Award, awards),
    (Instalment, instalments),
    (GranteeReport, grantee_reports),
    (MemberFacts, member_facts),
    (PartnershipFacts, partnership_facts),
):
    mapper_registry.map_imperatively(cls, table)
