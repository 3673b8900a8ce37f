"""nameko entrypoints of grants: they only call service-layer handlers."""

from __future__ import annotations

from nameko.timer import timer

from common.envelope import Envelope
from common.errors import DomainError
from common.identity import SERVICE
from common.nameko_ext.context import Caller
from common.nameko_ext.events import event_handler
from common.nameko_ext.health import HealthRpc
from common.nameko_ext.rpc import rpc as nameko_rpc
from common.nameko_ext.storage import Storage
from contracts.grants import (
    ApplicationView,
    AssignmentRoundView,
    AssignmentView,
    AwardView,
    DailyRun,
    ProgramView,
    RankingView,
    RecusalView,
    ReportView,
    ReviewerView,
    SubmittedReviewView,
)
from contracts.page import Page, Sample
from contracts.rpc import Grants, Json
from services.grants.adapters import settings
from services.grants.adapters.orm import metadata
from services.grants.domain.awards import InstalmentStatus
from services.grants.service_layer import applications as apps
from services.grants.service_layer import (
    decisions,
    grantees,
    programs,
    read_models,
    reminders,
    review,
)
from services.grants.service_layer.unit_of_work import GrantsUnitOfWork

SCHEDULED, PAID = InstalmentStatus.SCHEDULED, InstalmentStatus.PAID
rpc = nameko_rpc(expected_exceptions=DomainError)  # refusals log as warnings
POLICY = settings.reminder_policy()


class Service(HealthRpc):
    name = "grants"

    uow = Storage("grants", metadata, uow_class=GrantsUnitOfWork)
    caller = Caller()

    @rpc
    def create_program(self, data: Json) -> ProgramView:
        return programs.create_program(self.uow, self.caller, data)

    @rpc
    def update_program(self, program_id: str, data: Json) -> ProgramView:
        return programs.update_program(self.uow, self.caller, program_id, data)

    @rpc
    def publish_program(self, program_id: str) -> ProgramView:
        return programs.publish_program(self.uow, self.caller, program_id)

    @rpc
    def get_program(self, program_id: str) -> ProgramView:
        return programs.get_program(self.uow, self.caller, program_id)

    @rpc
    def list_programs(
        self, status: str | None = None, ids: list[str] | None = None
    ) -> list[ProgramView]:
        return programs.list_programs(self.uow, self.caller, status, ids)

    @rpc
    def register_reviewer(self, data: Json) -> ReviewerView:
        return programs.register_reviewer(self.uow, self.caller, data)

    @rpc
    def list_reviewers(self) -> list[ReviewerView]:
        return programs.list_reviewers(self.uow, self.caller)

    @rpc
    def save_application(self, data: Json) -> ApplicationView:
        return apps.save_application(self.uow, self.caller, data)

    @rpc
    def submit_application(self, application_id: str) -> ApplicationView:
        return apps.submit_application(self.uow, self.caller, application_id)

    @rpc
    def withdraw_application(
        self, application_id: str, reason: str = ""
    ) -> ApplicationView:
        return apps.withdraw_application(self.uow, self.caller, application_id, reason)

    @rpc
    def get_application(self, application_id: str) -> ApplicationView:
        return apps.get_application(self.uow, self.caller, application_id)

    @rpc
    def list_applications(
        self, filters: Json | None = None, first: int = 20, after: str | None = None
    ) -> Page[ApplicationView]:
        return apps.list_applications(self.uow, self.caller, filters, first, after)

    @rpc
    def assign_reviewers(self, program_id: str) -> AssignmentRoundView:
        return review.assign_reviewers(self.uow, self.caller, program_id)

    @rpc
    def my_review_assignments(self) -> list[AssignmentView]:
        return review.my_review_assignments(self.uow, self.caller)

    @rpc
    def recuse(self, assignment_id: str, reason: str) -> RecusalView:
        return review.recuse(self.uow, self.caller, assignment_id, reason)

    @rpc
    def submit_review(
        self, assignment_id: str, scores: list[Json], comment: str = ""
    ) -> SubmittedReviewView:
        return review.submit_review(
            self.uow, self.caller, assignment_id, scores, comment
        )

    @rpc
    def program_ranking(self, program_id: str) -> RankingView:
        return review.program_ranking(self.uow, self.caller, program_id)

    @rpc
    def decide_application(
        self, application_id: str, decision: Json
    ) -> ApplicationView:
        return decisions.decide_application(
            self.uow, self.caller, application_id, decision
        )

    @rpc
    def get_award(self, award_id: str) -> AwardView:
        return grantees.get_award(self.uow, self.caller, award_id)

    @rpc
    def sign_agreement(self, award_id: str) -> AwardView:
        return grantees.sign_agreement(self.uow, self.caller, award_id)

    @rpc
    def release_instalment(self, instalment_id: str) -> AwardView:
        return grantees.release_instalment(self.uow, self.caller, instalment_id)

    @rpc
    def submit_grantee_report(self, award_id: str, data: Json) -> ReportView:
        return grantees.submit_grantee_report(self.uow, self.caller, award_id, data)

    @rpc
    def review_grantee_report(
        self, report_id: str, accept: bool, comment: str = ""
    ) -> ReportView:
        return grantees.review_grantee_report(
            self.uow, self.caller, report_id, accept, comment
        )

    @rpc
    def reports_awaiting_review(self, first: int = 5) -> Sample[ReportView]:
        return grantees.reports_awaiting_review(self.uow, self.caller, first)

    # --- the daily job: reminders ---------------------------------------------------

    @rpc
    def run_daily(self, as_of: str | None = None) -> DailyRun:
        return reminders.run_daily(self.uow, self.caller, POLICY, as_of)

    @timer(interval=settings.daily_interval_seconds(), eager=True)
    def daily(self) -> None:
        # Hourly by default: idempotent, so it catches the new day promptly.
        reminders.run_daily(self.uow, SERVICE, POLICY)

    @event_handler("members", "member_registered")
    def on_member_registered(self, body: Json) -> None:
        read_models.member_news(self.uow, Envelope.from_dict(body))

    @event_handler("members", "member_updated")
    def on_member_updated(self, body: Json) -> None:
        read_models.member_news(self.uow, Envelope.from_dict(body))

    @event_handler("members", "membership_status_changed")
    def on_membership_status_changed(self, body: Json) -> None:
        read_models.member_news(self.uow, Envelope.from_dict(body))

    @event_handler("partnerships", "partnership_registered")
    def on_partnership_registered(self, body: Json) -> None:
        read_models.partnership_news(self.uow, Envelope.from_dict(body))

    @event_handler("partnerships", "partnership_status_changed")
    def on_partnership_status_changed(self, body: Json) -> None:
        read_models.partnership_news(self.uow, Envelope.from_dict(body))

    @event_handler("partnerships", "partnership_recognition_changed")
    def on_partnership_recognition_changed(self, body: Json) -> None:
        read_models.partnership_news(self.uow, Envelope.from_dict(body))

    @event_handler("payments", "disbursement_scheduled")
    def on_disbursement_scheduled(self, body: Json) -> None:
        grantees.disbursement_news(self.uow, Envelope.from_dict(body), SCHEDULED)

    @event_handler("payments", "disbursement_paid")
    def on_disbursement_paid(self, body: Json) -> None:
        grantees.disbursement_news(self.uow, Envelope.from_dict(body), PAID)


# mypy checks here that the service keeps the promises of contracts/rpc.py.
_implements: type[Grants] = Service
