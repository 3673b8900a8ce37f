"""Eligibility: every reason an application cannot be considered, at once."""

from __future__ import annotations

from datetime import datetime

from services.grants.domain.application import Application
from services.grants.domain.facts import MemberFacts, PartnershipFacts
from services.grants.domain.program import PartnershipRequirement, Program


def ineligibility_reasons(
    app: Application,
    program: Program,
    member: MemberFacts | None,
    partnership: PartnershipFacts | None,
    last_award_at: datetime | None,
    now: datetime,
) -> list[str]:
    """An empty list means eligible. Checks all rules; stops at none."""
    rules = program.eligibility
    reasons: list[str] = []
    if member is None or member.standing_at is None:
        if rules.good_standing_required:
            reasons.append("the member community's standing is not known yet")
    elif rules.good_standing_required and not member.good_standing:
        reasons.append(
            "the member community is not in good standing "
            f"(membership {member.status or 'unknown'})"
        )
    if rules.max_population is not None:
        population = member.population if member else None
        if population is None:
            reasons.append(
                "the community's population is not known, and the programme is "
                f"limited to {rules.max_population:,} people"
            )
        elif population > rules.max_population:
            reasons.append(
                f"the community's population of {population:,} is above the "
                f"programme's maximum of {rules.max_population:,}"
            )
    reasons.extend(_partnership_reasons(app, program, partnership))
    if rules.cooling_off_years and last_award_at is not None:
        wait_until = _add_years(last_award_at, rules.cooling_off_years)
        if now < wait_until:
            reasons.append(
                f"a grant was awarded on {last_award_at.date().isoformat()}; the "
                f"programme asks past grantees to wait {rules.cooling_off_years} "
                f"year(s), until {wait_until.date().isoformat()}"
            )
    return reasons


def _partnership_reasons(
    app: Application, program: Program, partnership: PartnershipFacts | None
) -> list[str]:
    rules = program.eligibility
    if partnership is None or not partnership.member_id:
        return ["the partnership named is not known"]
    if partnership.member_id != app.member_id:
        return ["the partnership named belongs to another member community"]
    reasons = []
    requirement = rules.partnership_requirement
    if requirement is PartnershipRequirement.ACTIVE and partnership.status != "ACTIVE":
        reasons.append(
            f"the partnership is {partnership.status or 'of unknown status'}, "
            "and the programme requires an ACTIVE partnership"
        )
    if requirement is PartnershipRequirement.RECOGNIZED and not partnership.recognized:
        reasons.append(
            "the partnership is not recognized (ACTIVE with the member in good "
            "standing), and the programme requires a recognized partnership"
        )
    if rules.allowed_countries and partnership.country not in rules.allowed_countries:
        reasons.append(
            f"the partner country {partnership.country or '(unknown)'} is not one "
            f"of the programme's countries: {', '.join(rules.allowed_countries)}"
        )
    return reasons


def _add_years(at: datetime, years: int) -> datetime:
    try:
        return at.replace(year=at.year + years)
    except ValueError:  # 29 February
        return at.replace(year=at.year + years, day=28)
