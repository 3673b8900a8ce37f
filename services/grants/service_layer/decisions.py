"""Use cases: staff decide applications, within the programme's budget."""

from __future__ import annotations

from common.identity import Identity
from contracts.grants import ApplicationView
from contracts.rpc import Json
from services.grants.domain.awards import Award, Instalment, Outcome, parse_decision
from services.grants.domain.letters import decision_letter
from services.grants.service_layer.applications import render
from services.grants.service_layer.shared import clean_input, found, new_id
from services.grants.service_layer.unit_of_work import UowFactory


@clean_input
def decide_application(
    uow_factory: UowFactory, caller: Identity, application_id: str, decision: Json
) -> ApplicationView:
    """Award (amount, conditions, instalments) or decline (reasons).

    The programme row is locked so two awards cannot both spend the last of
    its budget.
    """
    caller.require_staff()
    with uow_factory() as uow:
        app = found(uow.applications.get(application_id), "application")
        program = found(uow.programs.get(app.program_id, lock=True), "programme")
        app.require_decidable()
        remaining = program.budget_cents - uow.awards.awarded_total(program.id)
        parsed = parse_decision(
            decision,
            app.amount_requested_cents,
            program.max_award_cents,
            remaining,
            program.currency,
        )
        now = uow.clock.now()
        award: Award | None = None
        instalments: list[Instalment] = []
        if parsed.outcome is Outcome.DECLINE:
            app.decline(parsed.reasons, now)
        else:
            assert parsed.amount_cents is not None
            app.award(now)
            award = Award(
                id=new_id(),
                application_id=app.id,
                program_id=program.id,
                member_id=app.member_id,
                amount_cents=parsed.amount_cents,
                currency=program.currency,
                conditions=parsed.conditions,
                awarded_at=now,
            )
            uow.awards.add(award)
            for seq, planned in enumerate(parsed.instalments, start=1):
                instalment = Instalment(
                    id=new_id(),
                    award_id=award.id,
                    seq=seq,
                    amount_cents=planned.amount_cents,
                    currency=program.currency,
                    condition=planned.condition,
                )
                uow.awards.add_instalment(instalment)
                instalments.append(instalment)
            uow.emit(
                "grant_awarded",
                {
                    "award_id": award.id,
                    "application_id": app.id,
                    "program_id": program.id,
                    "member_id": app.member_id,
                    "amount_cents": award.amount_cents,
                    "currency": award.currency,
                },
            )
        member = uow.facts.member(app.member_id)
        uow.emit(
            "application_decided",
            {
                "application_id": app.id,
                "program_id": program.id,
                "member_id": app.member_id,
                "decision": app.status.value,
                "amount_cents": parsed.amount_cents,
                # The letter as the applicant reads it (notifications mails it).
                "letter": decision_letter(
                    program, app, member.name if member else "", award, instalments
                )
                or "",
            },
        )
        uow.commit()
        return render(uow, caller, [app])[0]
