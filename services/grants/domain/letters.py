"""Decision letters, rendered from the decision itself (never typed by hand)."""

from __future__ import annotations

from datetime import datetime

from services.grants.domain.application import Application, ApplicationStatus
from services.grants.domain.awards import Award, Instalment
from services.grants.domain.program import Program

CONDITION_TEXT = {
    "NONE": "on release",
    "AGREEMENT_SIGNED": "once the grant agreement is signed",
    "INTERIM_REPORT_ACCEPTED": "once the interim report is accepted",
    "FINAL_REPORT_ACCEPTED": "once the final report is accepted",
    "RECEIPTS_ACCEPTED": "once the receipts are accepted",
}


def money(cents: int, currency: str) -> str:
    return f"{currency} {cents // 100:,}.{cents % 100:02d}"


def decision_letter(
    program: Program,
    app: Application,
    applicant_name: str,
    award: Award | None,
    instalments: list[Instalment],
) -> str | None:
    """The letter for a decided application, or None while undecided."""
    if app.status not in (ApplicationStatus.AWARDED, ApplicationStatus.DECLINED):
        return None
    decided: datetime = app.decided_at or app.updated_at
    title = app.title or "your application"
    lines = [
        decided.date().isoformat(),
        "",
        f"To: {applicant_name or 'the applicant'}",
        f"Re: {program.name} - {title} (application {app.id})",
        "",
    ]
    if app.status is ApplicationStatus.AWARDED and award is not None:
        requested = money(app.amount_requested_cents, app.currency)
        lines += [
            f"We are pleased to award {money(award.amount_cents, award.currency)} "
            f"towards {title}, against the {requested} requested.",
            "",
            "The grant is paid in instalments:",
        ]
        for inst in sorted(instalments, key=lambda i: i.seq):
            lines.append(
                f"  {inst.seq}. {money(inst.amount_cents, inst.currency)}, "
                f"{CONDITION_TEXT[inst.condition.value]}"
            )
        if award.conditions:
            lines += ["", "Conditions of the award:", award.conditions]
        lines += [
            "",
            "Interim and final reports, with spending, are due as the grant "
            "agreement sets out.",
        ]
    else:
        lines += [
            f"We regret that we cannot fund {title} in this round of "
            f"{program.name}, for these reasons:",
        ]
        lines += [f"  - {reason}" for reason in app.decline_reasons]
    lines += ["", "With kind regards,", "The grants team"]
    return "\n".join(lines)
