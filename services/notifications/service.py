"""nameko entrypoints of notifications: they only call service-layer handlers."""

from __future__ import annotations

from datetime import date
from functools import cache

from nameko.timer import timer

from common.clock import Clock
from common.envelope import Envelope
from common.errors import DomainError
from common.identity import SERVICE, Identity
from common.nameko_ext.clock import ServiceClock
from common.nameko_ext.context import Caller
from common.nameko_ext.events import batch_event_handler, event_handler
from common.nameko_ext.health import HealthRpc
from common.nameko_ext.rpc import rpc as nameko_rpc
from common.nameko_ext.storage import Storage
from contracts.notifications import (
    NotificationView,
    PreferencesView,
    StaffDigestView,
    UnsubscribedView,
)
from contracts.page import Page
from contracts.rpc import Json, Notifications
from services.notifications.adapters.dispatcher import Dispatcher
from services.notifications.adapters.members import Members, MembersDirectory
from services.notifications.adapters.orm import metadata
from services.notifications.adapters.settings import (
    Settings,
    digest_interval_seconds,
    production_problems,
    staff_digest_to,
)
from services.notifications.adapters.staff_desk import StaffDesk, StaffDeskProvider
from services.notifications.service_layer import digest, news, queries
from services.notifications.service_layer.shared import Addressing
from services.notifications.service_layer.unit_of_work import NotificationsUnitOfWork

rpc = nameko_rpc(expected_exceptions=DomainError)  # refusals log as warnings


@cache
def settings() -> Settings:
    # Read when first needed, not on import: common.runner imports this
    # module to ask production_problems(), which names a bad SMTP_URL.
    return Settings.from_env()


@cache
def addressing() -> Addressing:
    return Addressing(settings().message_domain, settings().locale)


__all__ = ["Service", "production_problems"]  # the latter: common.runner


class Service(HealthRpc):
    name = "notifications"

    # Nothing is announced: no outbox relay runs.
    uow = Storage("notifications", metadata, NotificationsUnitOfWork, relay=False)
    caller: Identity = Caller()
    clock: Clock = ServiceClock()
    members: MembersDirectory = Members()
    dispatcher: Dispatcher = Dispatcher()
    staff_desk: StaffDesk = StaffDeskProvider()

    def _news(self, bodies: list[Json]) -> None:
        envelopes = [Envelope.from_dict(b) for b in bodies]
        if news.event_news(self.uow, self.members, addressing(), envelopes):
            self.dispatcher.wake()

    # --- events in: members (in lists: a new year or the daily job sends many)

    @batch_event_handler("members", "dues_invoice_issued")
    def on_dues_invoice_issued(self, bodies: list[Json]) -> None:
        self._news(bodies)

    @batch_event_handler("members", "dues_reminder_due")
    def on_dues_reminder_due(self, bodies: list[Json]) -> None:
        self._news(bodies)

    @batch_event_handler("members", "membership_status_changed")
    def on_membership_status_changed(self, bodies: list[Json]) -> None:
        self._news(bodies)

    # --- payments, partnerships, grants -----------------------------------------

    @event_handler("payments", "payment_succeeded")
    def on_payment_succeeded(self, body: Json) -> None:
        self._news([body])

    @event_handler("payments", "payment_failed")
    def on_payment_failed(self, body: Json) -> None:
        self._news([body])

    @event_handler("payments", "payment_status_changed")
    def on_payment_status_changed(self, body: Json) -> None:
        self._news([body])

    @event_handler("payments", "payment_refunded")
    def on_payment_refunded(self, body: Json) -> None:
        self._news([body])

    @event_handler("partnerships", "partnership_status_changed")
    def on_partnership_status_changed(self, body: Json) -> None:
        self._news([body])

    @event_handler("grants", "application_submitted")
    def on_application_submitted(self, body: Json) -> None:
        self._news([body])

    @event_handler("grants", "application_decided")
    def on_application_decided(self, body: Json) -> None:
        self._news([body])

    @event_handler("grants", "instalment_released")
    def on_instalment_released(self, body: Json) -> None:
        self._news([body])

    @event_handler("grants", "reviewer_assigned")
    def on_reviewer_assigned(self, body: Json) -> None:
        self._news([body])

    @event_handler("grants", "grant_round_published")
    def on_grant_round_published(self, body: Json) -> None:
        self._news([body])

    @event_handler("grants", "grantee_report_reviewed")
    def on_grantee_report_reviewed(self, body: Json) -> None:
        self._news([body])

    # grants' daily job sends these in lists
    @batch_event_handler("grants", "grantee_report_due")
    def on_grantee_report_due(self, bodies: list[Json]) -> None:
        self._news(bodies)

    @batch_event_handler("grants", "review_reminder_due")
    def on_review_reminder_due(self, bodies: list[Json]) -> None:
        self._news(bodies)

    # --- reading, resending, preferences ----------------------------------------

    @rpc
    def list_notifications(
        self,
        filter: Json | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Page[NotificationView]:
        return queries.list_notifications(self.uow, self.caller, filter, first, after)

    @rpc
    def get_notification(self, notification_id: str) -> NotificationView:
        return queries.get_notification(self.uow, self.caller, notification_id)

    @rpc
    def resend_notification(self, notification_id: str) -> NotificationView:
        found = queries.resend_notification(self.uow, self.caller, notification_id)
        self.dispatcher.wake()
        return found

    @rpc
    def get_notification_preferences(self, member_id: str) -> PreferencesView:
        return queries.get_preferences(self.uow, self.caller, member_id)

    @rpc
    def set_notification_preferences(
        self, member_id: str, opted_out: list[str]
    ) -> PreferencesView:
        return queries.set_preferences(self.uow, self.caller, member_id, opted_out)

    @rpc
    def unsubscribe(self, token: str) -> UnsubscribedView:
        return queries.unsubscribe(self.uow, settings().unsubscribe_key, token)

    # --- the staff's daily digest -----------------------------------------------

    @rpc
    def staff_digest(self) -> StaffDigestView:
        return digest.staff_digest(self.staff_desk, self.caller, self.clock.now())

    @rpc
    def send_staff_digest(self, as_of: str | None = None) -> Json:
        day = digest.parse_day(as_of) if as_of else None
        return self._send_staff_digest(self.caller, day)

    @timer(interval=digest_interval_seconds(), eager=True)
    def daily(self) -> None:
        # Hourly by default: once per date, so it catches the new day promptly
        # and tries again next time if a service did not answer.
        self._send_staff_digest(SERVICE, None)

    def _send_staff_digest(self, caller: Identity, day: date | None) -> Json:
        done = digest.send_staff_digest(
            self.uow,
            self.staff_desk,
            addressing(),
            staff_digest_to(),
            caller,
            self.clock.now,
            day,
        )
        if done["recorded"]:
            self.dispatcher.wake()
        return done


# mypy checks here that the service keeps the promises of contracts/rpc.py.
_implements: type[Notifications] = Service
