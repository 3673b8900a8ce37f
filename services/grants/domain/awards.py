"""Decisions, awards within budget, and awards paid in instalments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from common.errors import BadInput, Conflict
from contracts.grants import Condition, InstalmentStatus, Outcome

# How far along an instalment is: news of an earlier stage never moves it back.
STAGE = {s: i for i, s in enumerate(InstalmentStatus)}


@dataclass(frozen=True)
class PlannedInstalment:
    amount_cents: int
    condition: Condition


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    amount_cents: int | None = None
    conditions: str = ""
    reasons: tuple[str, ...] = ()
    instalments: tuple[PlannedInstalment, ...] = ()


@dataclass
class Award:
    id: str
    application_id: str
    program_id: str
    member_id: str
    amount_cents: int
    currency: str
    conditions: str
    awarded_at: datetime
    agreement_signed_at: datetime | None = None

    def sign_agreement(self, now: datetime) -> None:
        if self.agreement_signed_at is not None:
            raise Conflict("the grant agreement is already signed", "awardId")
        self.agreement_signed_at = now


@dataclass
class Instalment:
    id: str
    award_id: str
    seq: int
    amount_cents: int
    currency: str
    condition: Condition
    status: InstalmentStatus = InstalmentStatus.PENDING
    released_at: datetime | None = None
    disbursement_id: str | None = None
    scheduled_at: datetime | None = None
    paid_at: datetime | None = None
    paid_cents: int | None = None
    reference: str = ""

    def release(
        self, condition_met: bool, earlier_released: bool, now: datetime
    ) -> None:
        if self.status is not InstalmentStatus.PENDING:
            raise Conflict(
                f"instalment {self.seq} is already {self.status.value}", "instalmentId"
            )
        if not earlier_released:
            raise Conflict(
                "release the earlier instalments of this award first", "instalmentId"
            )
        if not condition_met:
            raise Conflict(
                f"instalment {self.seq} waits for its condition: "
                f"{self.condition.value}",
                "instalmentId",
            )
        self.status = InstalmentStatus.RELEASED
        self.released_at = now

    def advance(self, to: InstalmentStatus) -> bool:
        """Payments' news; False when it is not newer than what we know."""
        if STAGE[to] <= STAGE[self.status] or self.status is InstalmentStatus.PENDING:
            return False
        self.status = to
        return True


def parse_decision(
    data: dict[str, object],
    requested_cents: int,
    max_award_cents: int,
    remaining_cents: int,
    currency: str,
) -> Decision:
    outcome = str(data.get("outcome", "")).upper()
    if outcome not in Outcome.__members__:
        raise BadInput("must be AWARD or DECLINE", "decision.outcome")
    if outcome == Outcome.DECLINE:
        reasons = data.get("reasons") or []
        if not isinstance(reasons, list | tuple) or not all(
            isinstance(r, str) for r in reasons
        ):
            raise BadInput("must be a list of text", "decision.reasons")
        cleaned = tuple(r.strip() for r in reasons if r.strip())
        if not cleaned:
            raise BadInput("a decline needs at least one reason", "decision.reasons")
        return Decision(Outcome.DECLINE, reasons=cleaned)
    amount = data.get("amount_cents")
    if amount is None:
        amount = requested_cents
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise BadInput(
            "must be a positive whole number of cents", "decision.amountCents"
        )
    if amount > max_award_cents:
        raise BadInput(
            f"is above the programme's maximum award of {max_award_cents} cents",
            "decision.amountCents",
        )
    if amount > remaining_cents:
        raise BadInput(
            f"{amount} {currency} cents is beyond the programme's remaining budget "
            f"of {remaining_cents} cents",
            "decision.amountCents",
        )
    conditions = data.get("conditions") or ""
    if not isinstance(conditions, str) or len(conditions) > 5000:
        raise BadInput("must be text of at most 5000 characters", "decision.conditions")
    return Decision(
        Outcome.AWARD,
        amount_cents=amount,
        conditions=conditions.strip(),
        instalments=_plan(data.get("instalments"), amount),
    )


def _plan(raw: object, amount: int) -> tuple[PlannedInstalment, ...]:
    if not raw:
        return (PlannedInstalment(amount, Condition.AGREEMENT_SIGNED),)
    if not isinstance(raw, list | tuple) or len(raw) > 12:
        raise BadInput("must be a list of 1 to 12 instalments", "decision.instalments")
    plan = []
    for i, item in enumerate(raw):
        where = f"decision.instalments[{i}]"
        if not isinstance(item, dict):
            raise BadInput("must be an object", where)
        cents = item.get("amount_cents")
        if isinstance(cents, bool) or not isinstance(cents, int) or cents <= 0:
            raise BadInput(
                "must be a positive whole number of cents", where + ".amountCents"
            )
        condition = str(item.get("condition", "NONE")).upper()
        if condition not in Condition.__members__:
            raise BadInput(
                f"must be one of {', '.join(Condition.__members__)}",
                where + ".condition",
            )
        plan.append(PlannedInstalment(cents, Condition(condition)))
    total = sum(p.amount_cents for p in plan)
    if total != amount:
        raise BadInput(
            f"instalments add up to {total} cents, the award is {amount} cents",
            "decision.instalments",
        )
    return tuple(plan)
