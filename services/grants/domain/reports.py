"""Grantee reports: the member tells how the money was spent; staff accept or
send back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from common.errors import BadInput, Conflict
from contracts.grants import ReportKind, ReportStatus
from services.grants.domain.application import Attachment, BudgetLine
from services.grants.domain.awards import Condition

# The instalment condition each accepted report satisfies.
SATISFIES = {
    ReportKind.INTERIM: Condition.INTERIM_REPORT_ACCEPTED,
    ReportKind.FINAL: Condition.FINAL_REPORT_ACCEPTED,
    ReportKind.RECEIPTS: Condition.RECEIPTS_ACCEPTED,
}


@dataclass
class GranteeReport:
    id: str
    award_id: str
    member_id: str
    kind: ReportKind
    narrative: str
    spending: tuple[BudgetLine, ...]
    attachments: tuple[Attachment, ...]
    status: ReportStatus
    submitted_at: datetime
    reviewed_at: datetime | None = None
    staff_comment: str = ""

    def review(self, accept: bool, comment: str, now: datetime) -> None:
        if self.status is not ReportStatus.SUBMITTED:
            raise Conflict(
                f"this report was already {self.status.value.lower()}", "reportId"
            )
        comment = comment.strip()
        if not accept and not comment:
            raise BadInput("say what the grantee must change", "comment")
        self.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
        self.staff_comment = comment
        self.reviewed_at = now


def require_can_submit(kind: ReportKind, existing: list[GranteeReport]) -> None:
    """One report of a kind at a time: a returned one may be sent again."""
    for report in existing:
        if report.kind is kind and report.status is not ReportStatus.RETURNED:
            raise Conflict(
                f"a {kind.value} report is already {report.status.value.lower()}",
                "kind",
            )
