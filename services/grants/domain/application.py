"""Applications: a member community's request for a grant, and its life cycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from common.errors import BadInput, Conflict
from contracts.grants import ApplicationStatus
from services.grants.domain.program import Program

EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.INELIGIBLE)
WITHDRAWABLE = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.INELIGIBLE,
    ApplicationStatus.IN_REVIEW,
)
DECIDABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)
# Still in the running: one of these per member community and programme.
LIVE = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.INELIGIBLE,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.AWARDED,
)


@dataclass(frozen=True)
class BudgetLine:
    item: str
    amount_cents: int


@dataclass(frozen=True)
class Attachment:
    """A document kept elsewhere (document store, shared drive): by reference."""

    name: str
    ref: str


@dataclass
class Application:
    id: str
    program_id: str
    member_id: str
    partnership_id: str
    area: str
    title: str
    amount_requested_cents: int
    currency: str
    narrative: str
    budget: tuple[BudgetLine, ...]
    attachments: tuple[Attachment, ...]
    status: ApplicationStatus
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None = None
    ineligibility_reasons: tuple[str, ...] = ()
    decided_at: datetime | None = None
    decline_reasons: tuple[str, ...] = ()
    withdrawn_at: datetime | None = None
    withdrawal_reason: str = ""
    version: int = 1

    def edit(self, draft: ApplicationDraft, now: datetime) -> None:
        if self.status not in EDITABLE:
            raise Conflict(
                f"a {self.status.value} application can no longer be edited", "id"
            )
        if draft.program_id != self.program_id:
            raise BadInput(
                "an application cannot move to another programme", "programId"
            )
        self.partnership_id = draft.partnership_id
        self.area = draft.area
        self.title = draft.title
        self.amount_requested_cents = draft.amount_requested_cents
        self.narrative = draft.narrative
        self.budget = draft.budget
        self.attachments = draft.attachments
        self.updated_at = now
        self.version += 1

    def submit(self, program: Program, reasons: list[str], now: datetime) -> None:
        """Record the submission; `reasons` are the eligibility failures, if any."""
        if self.status not in EDITABLE:
            raise Conflict(
                f"a {self.status.value} application cannot be submitted", "id"
            )
        program.require_open(now)
        complete_for_submission(self)
        self.submitted_at = now
        self.updated_at = now
        self.ineligibility_reasons = tuple(reasons)
        self.status = (
            ApplicationStatus.INELIGIBLE if reasons else ApplicationStatus.SUBMITTED
        )
        self.version += 1

    def withdraw(self, reason: str, now: datetime) -> None:
        if self.status not in WITHDRAWABLE:
            raise Conflict(
                f"a {self.status.value} application cannot be withdrawn", "id"
            )
        self.status = ApplicationStatus.WITHDRAWN
        self.withdrawn_at = now
        self.withdrawal_reason = reason
        self.updated_at = now
        self.version += 1

    def start_review(self, now: datetime) -> None:
        if self.status is ApplicationStatus.SUBMITTED:
            self.status = ApplicationStatus.IN_REVIEW
            self.updated_at = now
            self.version += 1

    def require_decidable(self) -> None:
        if self.status not in DECIDABLE:
            raise Conflict(f"a {self.status.value} application cannot be decided", "id")

    def award(self, now: datetime) -> None:
        self.require_decidable()
        self.status = ApplicationStatus.AWARDED
        self.decided_at = now
        self.updated_at = now
        self.version += 1

    def decline(self, reasons: tuple[str, ...], now: datetime) -> None:
        self.require_decidable()
        self.status = ApplicationStatus.DECLINED
        self.decline_reasons = reasons
        self.decided_at = now
        self.updated_at = now
        self.version += 1

    @property
    def budget_total_cents(self) -> int:
        return sum(line.amount_cents for line in self.budget)


@dataclass(frozen=True)
class ApplicationDraft:
    """What a member may write into an application (validated, not yet checked
    for eligibility)."""

    program_id: str
    partnership_id: str
    area: str
    title: str
    amount_requested_cents: int
    narrative: str
    budget: tuple[BudgetLine, ...]
    attachments: tuple[Attachment, ...]


def _text(value: object, name: str, max_len: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadInput("must be text", name)
    value = value.strip()
    if len(value) > max_len:
        raise BadInput(f"must be at most {max_len} characters", name)
    return value


def parse_draft(data: dict[str, object], program: Program) -> ApplicationDraft:
    """Validate an application's fields against its programme.

    A draft may be incomplete (narrative, budget); the amount, area and the
    partnership are checked now because they shape everything after.
    """
    partnership_id = _text(data.get("partnership_id"), "partnershipId", 64)
    if not partnership_id:
        raise BadInput("name the partnership this application is for", "partnershipId")
    area = _text(data.get("area"), "area", 40)
    if area not in program.areas:
        raise BadInput(
            f"must be one of the programme's areas: {', '.join(program.areas)}",
            "area",
        )
    amount = data.get("amount_requested_cents")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise BadInput(
            "must be a positive whole number of cents", "amountRequestedCents"
        )
    if amount > program.max_award_cents:
        raise BadInput(
            f"is above the programme's maximum award of {program.max_award_cents} "
            f"{program.currency} cents",
            "amountRequestedCents",
        )
    budget = parse_lines(data.get("budget"), "budget")
    attachments = parse_attachments(data.get("attachments"))
    return ApplicationDraft(
        program_id=program.id,
        partnership_id=partnership_id,
        area=area,
        title=_text(data.get("title"), "title", 200),
        amount_requested_cents=amount,
        narrative=_text(data.get("narrative"), "narrative", 20000),
        budget=budget,
        attachments=attachments,
    )


def parse_lines(raw: object, name: str) -> tuple[BudgetLine, ...]:
    """A budget or spending table: items with whole cents, 0 or more."""
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple):
        raise BadInput("must be a list of lines", name)
    lines = []
    for i, line in enumerate(raw):
        if not isinstance(line, dict):
            raise BadInput("must be an object", f"{name}[{i}]")
        item = _text(line.get("item"), f"{name}[{i}].item", 200)
        if not item:
            raise BadInput("is required", f"{name}[{i}].item")
        cents = line.get("amount_cents")
        if isinstance(cents, bool) or not isinstance(cents, int) or cents < 0:
            raise BadInput(
                "must be a whole number of cents, 0 or more", f"{name}[{i}].amountCents"
            )
        lines.append(BudgetLine(item, cents))
    return tuple(lines)


def parse_attachments(raw: object) -> tuple[Attachment, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple):
        raise BadInput("must be a list", "attachments")
    found = []
    for i, att in enumerate(raw):
        if not isinstance(att, dict):
            raise BadInput("must be an object", f"attachments[{i}]")
        name = _text(att.get("name"), f"attachments[{i}].name", 200)
        ref = _text(att.get("ref"), f"attachments[{i}].ref", 1000)
        if not name or not ref:
            raise BadInput("needs a name and a reference", f"attachments[{i}]")
        found.append(Attachment(name, ref))
    return tuple(found)


def complete_for_submission(app: Application) -> None:
    """What a draft may lack but a submission may not."""
    if not app.title:
        raise BadInput("a submitted application needs a title", "title")
    if not app.narrative:
        raise BadInput("a submitted application needs a narrative", "narrative")
    if not app.budget:
        raise BadInput("a submitted application needs a budget table", "budget")
    if app.budget_total_cents < app.amount_requested_cents:
        raise BadInput(
            "the budget table must cover at least the amount requested "
            f"({app.budget_total_cents} < {app.amount_requested_cents} cents)",
            "budget",
        )


def new_application(
    application_id: str,
    member_id: str,
    draft: ApplicationDraft,
    currency: str,
    now: datetime,
) -> Application:
    return Application(
        id=application_id,
        program_id=draft.program_id,
        member_id=member_id,
        partnership_id=draft.partnership_id,
        area=draft.area,
        title=draft.title,
        amount_requested_cents=draft.amount_requested_cents,
        currency=currency,
        narrative=draft.narrative,
        budget=draft.budget,
        attachments=draft.attachments,
        status=ApplicationStatus.DRAFT,
        created_at=now,
        updated_at=now,
    )
