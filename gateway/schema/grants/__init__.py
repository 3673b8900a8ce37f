"""The grants domain's part of the schema: programmes, applications, review,
decisions and payouts. Every rule is enforced by the grants service; these
resolvers translate."""

from __future__ import annotations

import strawberry

from gateway.clients import GrantsClient
from gateway.context import Info
from gateway.schema.decorators import field, mutation
from gateway.schema.grants.inputs import (
    ApplicationFilter,
    ApplicationInput,
    DecisionInput,
    GranteeReportInput,
    GrantProgramInput,
    RegisterReviewerInput,
    ScoreInput,
)
from gateway.schema.grants.types import (
    AssignmentRound,
    GrantApplication,
    GrantAward,
    GranteeReport,
    GrantProgram,
    GrantProgramPhase,
    ProgramRanking,
    Recusal,
    Review,
    ReviewAssignment,
    Reviewer,
)
from gateway.schema.inputs import wire
from gateway.schema.pagination import Connection


def grants(info: Info) -> GrantsClient:
    """The grants service, as the caller."""
    return info.context.services.grants


@strawberry.type
class Query:
    @field(description="A programme: published ones for everyone.")
    async def grant_program(self, info: Info, id: strawberry.ID) -> GrantProgram:
        return GrantProgram.of(await grants(info).get_program(str(id)))

    @field(description="Programmes the caller may see, by phase.")
    async def grant_programs(
        self, info: Info, status: GrantProgramPhase | None = None
    ) -> list[GrantProgram]:
        found = await grants(info).list_programs(status.value if status else None)
        return [GrantProgram.of(p) for p in found]

    @field(description="Staff, its member, or an assigned reviewer.")
    async def application(self, info: Info, id: strawberry.ID) -> GrantApplication:
        return GrantApplication.of(await grants(info).get_application(str(id)))

    @field(description="Staff: all; a member: its own; a reviewer: assigned.")
    async def applications(
        self,
        info: Info,
        filter: ApplicationFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[GrantApplication]:
        page = await grants(info).list_applications(
            wire(filter) if filter else None, first, after
        )
        return Connection.of(page, GrantApplication.of)

    @field(description="The calling reviewer's assignments.")
    async def my_review_assignments(self, info: Info) -> list[ReviewAssignment]:
        found = await grants(info).my_review_assignments()
        return [ReviewAssignment.of(a) for a in found]

    @field(description="Staff: applications by weighted score.")
    async def program_ranking(
        self, info: Info, program_id: strawberry.ID
    ) -> ProgramRanking:
        return ProgramRanking.of(await grants(info).program_ranking(str(program_id)))

    @field(description="Staff: the reviewer roster.")
    async def reviewers(self, info: Info) -> list[Reviewer]:
        return [Reviewer(**r) for r in await grants(info).list_reviewers()]

    @field(description="Staff or the grantee.")
    async def grant_award(self, info: Info, id: strawberry.ID) -> GrantAward:
        return GrantAward.of(await grants(info).get_award(str(id)))


@strawberry.type
class Mutation:
    @mutation(description="Staff: a draft programme.")
    async def create_grant_program(
        self, info: Info, input: GrantProgramInput
    ) -> GrantProgram:
        return GrantProgram.of(await grants(info).create_program(wire(input)))

    @mutation(description="Staff: replace a draft's definition.")
    async def update_grant_program(
        self, info: Info, id: strawberry.ID, input: GrantProgramInput
    ) -> GrantProgram:
        return GrantProgram.of(await grants(info).update_program(str(id), wire(input)))

    @mutation(description="Staff: publish, before it opens.")
    async def publish_grant_program(
        self, info: Info, id: strawberry.ID
    ) -> GrantProgram:
        return GrantProgram.of(await grants(info).publish_program(str(id)))

    @mutation(description="Staff: add or update a reviewer.")
    async def register_reviewer(
        self, info: Info, input: RegisterReviewerInput
    ) -> Reviewer:
        return Reviewer(**await grants(info).register_reviewer(wire(input)))

    @mutation(description="A member: create or edit a draft.")
    async def save_application(
        self, info: Info, input: ApplicationInput
    ) -> GrantApplication:
        return GrantApplication.of(await grants(info).save_application(wire(input)))

    @mutation(description="A member: submit before the deadline.")
    async def submit_application(
        self, info: Info, id: strawberry.ID
    ) -> GrantApplication:
        return GrantApplication.of(await grants(info).submit_application(str(id)))

    @mutation(description="A member: withdraw its application.")
    async def withdraw_application(
        self, info: Info, id: strawberry.ID, reason: str = ""
    ) -> GrantApplication:
        return GrantApplication.of(
            await grants(info).withdraw_application(str(id), reason)
        )

    @mutation(description="Staff: fill every application up to N reviewers.")
    async def assign_reviewers(
        self, info: Info, program_id: strawberry.ID
    ) -> AssignmentRound:
        return AssignmentRound.of(await grants(info).assign_reviewers(str(program_id)))

    @mutation(description="The assigned reviewer steps aside; reassigned.")
    async def recuse(
        self, info: Info, assignment_id: strawberry.ID, reason: str
    ) -> Recusal:
        return Recusal.of(await grants(info).recuse(str(assignment_id), reason))

    @mutation(description="The assigned reviewer scores against the rubric.")
    async def submit_review(
        self,
        info: Info,
        assignment_id: strawberry.ID,
        scores: list[ScoreInput],
        comment: str = "",
    ) -> Review:
        return Review.of(
            await grants(info).submit_review(str(assignment_id), wire(scores), comment)
        )

    @mutation(description="Staff: award within budget, or decline.")
    async def decide_application(
        self, info: Info, id: strawberry.ID, decision: DecisionInput
    ) -> GrantApplication:
        return GrantApplication.of(
            await grants(info).decide_application(str(id), wire(decision))
        )

    @mutation(description="The grantee: the grant agreement is signed.")
    async def sign_grant_agreement(
        self, info: Info, award_id: strawberry.ID
    ) -> GrantAward:
        return GrantAward.of(await grants(info).sign_agreement(str(award_id)))

    @mutation(description="Staff: hand an instalment to payments.")
    async def release_instalment(
        self, info: Info, instalment_id: strawberry.ID
    ) -> GrantAward:
        return GrantAward.of(await grants(info).release_instalment(str(instalment_id)))

    @mutation(description="The grantee: an interim, final or receipts report.")
    async def submit_grantee_report(
        self, info: Info, award_id: strawberry.ID, input: GranteeReportInput
    ) -> GranteeReport:
        return GranteeReport.of(
            await grants(info).submit_grantee_report(str(award_id), wire(input))
        )

    @mutation(description="Staff: accept a report or send it back.")
    async def review_grantee_report(
        self, info: Info, report_id: strawberry.ID, accept: bool, comment: str = ""
    ) -> GranteeReport:
        return GranteeReport.of(
            await grants(info).review_grantee_report(str(report_id), accept, comment)
        )
