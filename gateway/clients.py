"""Typed asyncio clients of the services, checked against contracts/rpc.py.

    page = await info.context.services.members.list_members(None, 20, None)

Each client method is declared once as `remote(<Protocol>.<method>)`: its
parameters and result are the Protocol's, awaited. So a method renamed in
the Protocol, a changed parameter, or a field read that a view type lacks
fails mypy in the gateway instead of in production. Calls go through
`gateway.rpc`'s `invoke` (the caller's identity and correlation id along).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import partial
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast

from common.identity import Identity
from contracts import rpc as contract
from gateway.errors import ServiceError
from gateway.rpc import RpcClient

P = ParamSpec("P")
R = TypeVar("R")

# gateway.rpc's BoundRpc.invoke: (service, method, args, kwargs, timeout).
Invoke = Callable[
    [str, str, Sequence[Any], Mapping[str, Any] | None, float | None],
    Awaitable[Any],
]


def camel(field: str) -> str:
    """A service's snake_case field name as the client wrote it."""
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), field)


class ServiceClient:
    """The calls to one service."""

    service: str

    def __init__(self, invoke: Invoke) -> None:
        self._invoke = invoke

    def field_name(self, field: str) -> str:
        """The name of a field in an error, as the GraphQL client wrote it."""
        return field

    async def _call(
        self, method: str, args: Sequence[Any], kwargs: Mapping[str, Any]
    ) -> Any:
        try:
            return await self._invoke(self.service, method, args, kwargs, None)
        except ServiceError as exc:
            if exc.field:
                exc.field = self.field_name(exc.field)
            raise


class remote(Generic[P, R]):
    """`list_members = remote(Members.list_members)`: an async method with
    the Protocol method's parameters, returning its result."""

    def __init__(self, method: Callable[Concatenate[Any, P], R]) -> None:
        self.name = method.__name__

    def __get__(
        self, client: ServiceClient, owner: type[ServiceClient]
    ) -> Callable[P, Awaitable[R]]:
        name = self.name

        async def call(*args: P.args, **kwargs: P.kwargs) -> R:
            # The wire's edge: the service's JSON is the Protocol's type.
            return cast(R, await client._call(name, args, kwargs))

        return call


Members = contract.Members


class MembersClient(ServiceClient):
    service = "members"

    def field_name(self, field: str) -> str:
        return camel(field)

    health = remote(Members.health)
    get_member = remote(Members.get_member)
    get_members = remote(Members.get_members)
    find_members = remote(Members.find_members)
    list_members = remote(Members.list_members)
    register_member = remote(Members.register_member)
    update_member = remote(Members.update_member)
    cancel_membership = remote(Members.cancel_membership)
    reinstate_membership = remote(Members.reinstate_membership)
    get_invoice = remote(Members.get_invoice)
    member_invoices = remote(Members.member_invoices)
    status_histories = remote(Members.status_histories)
    get_dues_schedule = remote(Members.get_dues_schedule)
    set_dues_schedule = remote(Members.set_dues_schedule)
    open_dues_year = remote(Members.open_dues_year)
    run_daily = remote(Members.run_daily)
    get_clock = remote(Members.get_clock)
    set_clock = remote(Members.set_clock)


Partnerships = contract.Partnerships


class PartnershipsClient(ServiceClient):
    service = "partnerships"

    health = remote(Partnerships.health)
    propose_partnership = remote(Partnerships.propose_partnership)
    record_agreement = remote(Partnerships.record_agreement)
    activate_partnership = remote(Partnerships.activate_partnership)
    mark_partnership_dormant = remote(Partnerships.mark_partnership_dormant)
    reactivate_partnership = remote(Partnerships.reactivate_partnership)
    terminate_partnership = remote(Partnerships.terminate_partnership)
    update_partnership = remote(Partnerships.update_partnership)
    get_partnerships = remote(Partnerships.get_partnerships)
    search_partnerships = remote(Partnerships.search_partnerships)
    partnerships_of_members = remote(Partnerships.partnerships_of_members)
    partnership_histories = remote(Partnerships.partnership_histories)
    partnership_stats = remote(Partnerships.partnership_stats)
    set_partner_preferences = remote(Partnerships.set_partner_preferences)
    get_partner_preferences = remote(Partnerships.get_partner_preferences)
    partner_suggestions = remote(Partnerships.partner_suggestions)


Payments = contract.Payments


class PaymentsClient(ServiceClient):
    service = "payments"

    health = remote(Payments.health)
    receive_stripe_webhook = remote(Payments.receive_stripe_webhook)
    create_dues_checkout = remote(Payments.create_dues_checkout)
    refund_payment = remote(Payments.refund_payment)
    get_payment = remote(Payments.get_payment)
    get_payments = remote(Payments.get_payments)
    payments_for_invoices = remote(Payments.payments_for_invoices)
    list_payments = remote(Payments.list_payments)
    held_payments = remote(Payments.held_payments)
    get_receipt = remote(Payments.get_receipt)
    mark_disbursement_paid = remote(Payments.mark_disbursement_paid)
    get_disbursement = remote(Payments.get_disbursement)
    list_disbursements = remote(Payments.list_disbursements)


Notifications = contract.Notifications


class NotificationsClient(ServiceClient):
    service = "notifications"
    # Field names in its errors, as the GraphQL arguments spell them.
    FIELDS = {"opted_out": "optedOut", "member_id": "memberId"}

    def field_name(self, field: str) -> str:
        return self.FIELDS.get(field, field)

    health = remote(Notifications.health)
    list_notifications = remote(Notifications.list_notifications)
    get_notification = remote(Notifications.get_notification)
    resend_notification = remote(Notifications.resend_notification)
    get_notification_preferences = remote(Notifications.get_notification_preferences)
    set_notification_preferences = remote(Notifications.set_notification_preferences)
    unsubscribe = remote(Notifications.unsubscribe)
    staff_digest = remote(Notifications.staff_digest)
    send_staff_digest = remote(Notifications.send_staff_digest)


Grants = contract.Grants


class GrantsClient(ServiceClient):
    service = "grants"

    health = remote(Grants.health)
    create_program = remote(Grants.create_program)
    update_program = remote(Grants.update_program)
    publish_program = remote(Grants.publish_program)
    get_program = remote(Grants.get_program)
    list_programs = remote(Grants.list_programs)
    register_reviewer = remote(Grants.register_reviewer)
    list_reviewers = remote(Grants.list_reviewers)
    save_application = remote(Grants.save_application)
    submit_application = remote(Grants.submit_application)
    withdraw_application = remote(Grants.withdraw_application)
    get_application = remote(Grants.get_application)
    list_applications = remote(Grants.list_applications)
    assign_reviewers = remote(Grants.assign_reviewers)
    my_review_assignments = remote(Grants.my_review_assignments)
    recuse = remote(Grants.recuse)
    submit_review = remote(Grants.submit_review)
    program_ranking = remote(Grants.program_ranking)
    decide_application = remote(Grants.decide_application)
    get_award = remote(Grants.get_award)
    sign_agreement = remote(Grants.sign_agreement)
    release_instalment = remote(Grants.release_instalment)
    submit_grantee_report = remote(Grants.submit_grantee_report)
    review_grantee_report = remote(Grants.review_grantee_report)
    reports_awaiting_review = remote(Grants.reports_awaiting_review)
    run_daily = remote(Grants.run_daily)


class Services:
    """Every service's typed client, for one caller."""

    def __init__(self, invoke: Invoke) -> None:
        self._invoke = invoke

    @classmethod
    def as_caller(cls, client: RpcClient, identity: Identity) -> Services:
        """Outside a GraphQL request (HTTP endpoints): calls as `identity`."""
        return cls(partial(client.invoke, identity=identity))

    @property
    def members(self) -> MembersClient:
        return MembersClient(self._invoke)

    @property
    def partnerships(self) -> PartnershipsClient:
        return PartnershipsClient(self._invoke)

    @property
    def payments(self) -> PaymentsClient:
        return PaymentsClient(self._invoke)

    @property
    def notifications(self) -> NotificationsClient:
        return NotificationsClient(self._invoke)

    @property
    def grants(self) -> GrantsClient:
        return GrantsClient(self._invoke)
