"""Reviews: independent scoring against the rubric, and what the scores say.

A reviewer's total, in points out of 100:

    total = sum(score_i / max_i * weight_i) / sum(weight_i) * 100

over every criterion i of the rubric (each must be scored). An application's
score is the mean of its submitted reviews' totals; its spread is the highest
total minus the lowest; reviewers disagree when the spread is above the
programme's threshold (points).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from common.errors import BadInput, Conflict, NotFound
from contracts.grants import AssignmentStatus
from services.grants.domain.program import Criterion

ACTIVE = (AssignmentStatus.ASSIGNED, AssignmentStatus.SUBMITTED)


@dataclass
class Assignment:
    id: str
    program_id: str
    application_id: str
    reviewer_id: str
    status: AssignmentStatus
    assigned_at: datetime
    scores: dict[str, int]
    comment: str = ""
    total: float | None = None
    submitted_at: datetime | None = None
    recusal_reason: str = ""
    ended_at: datetime | None = None

    def require_reviewer(self, reviewer_id: str) -> None:
        # Another reviewer's assignment does not exist for this one.
        if self.reviewer_id != reviewer_id:
            raise NotFound("no such assignment", "assignmentId")

    def recuse(self, reason: str, now: datetime) -> None:
        if self.status is not AssignmentStatus.ASSIGNED:
            raise Conflict(
                f"a {self.status.value} assignment cannot be recused from",
                "assignmentId",
            )
        reason = reason.strip()
        if not reason:
            raise BadInput("say why you recuse yourself", "reason")
        if len(reason) > 2000:
            raise BadInput("must be at most 2000 characters", "reason")
        self.status = AssignmentStatus.RECUSED
        self.recusal_reason = reason
        self.ended_at = now

    def remove_for_conflict(self, reasons: list[str], now: datetime) -> None:
        self.status = AssignmentStatus.REMOVED
        self.recusal_reason = "; ".join(reasons)
        self.ended_at = now

    def submit(
        self,
        rubric: tuple[Criterion, ...],
        scores: dict[str, int],
        comment: str,
        now: datetime,
    ) -> None:
        if self.status is not AssignmentStatus.ASSIGNED:
            raise Conflict(
                f"a {self.status.value} review cannot be submitted", "assignmentId"
            )
        if len(comment) > 10000:
            raise BadInput("must be at most 10000 characters", "comment")
        self.scores = scores
        self.comment = comment.strip()
        self.total = weighted_total(rubric, scores)
        self.status = AssignmentStatus.SUBMITTED
        self.submitted_at = now


def validate_scores(
    rubric: tuple[Criterion, ...], scores: dict[str, object]
) -> dict[str, int]:
    """Every criterion scored once, with a whole number from 0 to its maximum."""
    keys = {c.key for c in rubric}
    unknown = sorted(set(scores) - keys)
    if unknown:
        raise BadInput(f"not in the rubric: {', '.join(unknown)}", "scores")
    clean: dict[str, int] = {}
    for criterion in rubric:
        if criterion.key not in scores:
            raise BadInput(f"criterion {criterion.key!r} is not scored", "scores")
        value = scores[criterion.key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadInput(
                f"criterion {criterion.key!r} needs a whole number", "scores"
            )
        if not 0 <= value <= criterion.max_score:
            raise BadInput(
                f"criterion {criterion.key!r} is scored from 0 to "
                f"{criterion.max_score}, not {value}",
                "scores",
            )
        clean[criterion.key] = value
    return clean


def weighted_total(rubric: tuple[Criterion, ...], scores: dict[str, int]) -> float:
    weights = sum(c.weight for c in rubric)
    points = sum(scores[c.key] / c.max_score * c.weight for c in rubric)
    return round(points / weights * 100, 4)


@dataclass(frozen=True)
class ScoreSummary:
    reviews: int
    score: float | None  # mean of totals
    spread: float | None  # max - min
    disagreement: bool


def summarize(totals: list[float], threshold: float) -> ScoreSummary:
    if not totals:
        return ScoreSummary(0, None, None, False)
    spread = round(max(totals) - min(totals), 4)
    return ScoreSummary(
        reviews=len(totals),
        score=round(sum(totals) / len(totals), 4),
        spread=spread,
        disagreement=spread > threshold,
    )
