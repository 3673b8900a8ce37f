"""nameko entrypoints of partnerships: they only call service-layer handlers."""

from __future__ import annotations

from typing import cast

from common.clock import Clock
from common.envelope import Envelope
from common.identity import Identity
from common.nameko_ext.clock import ServiceClock
from common.nameko_ext.context import Caller
from common.nameko_ext.events import event_handler
from common.nameko_ext.health import HealthRpc
from common.nameko_ext.rpc import RpcProxy, rpc
from common.nameko_ext.storage import Storage
from contracts.page import Page
from contracts.partnerships import (
    PartnershipView,
    PreferencesView,
    StatisticsView,
    SuggestionView,
    TransitionView,
)
from contracts.rpc import Json, Partnerships
from services.partnerships.adapters.nameko_deps import Gazetteer, MembersRpc
from services.partnerships.adapters.orm import metadata
from services.partnerships.service_layer import (
    directory,
    matching,
    member_events,
    registry,
)
from services.partnerships.service_layer.unit_of_work import (
    PartnershipsUnitOfWork,
    UowFactory,
)


class Service(HealthRpc):
    name = "partnerships"

    uow = Storage("partnerships", metadata, uow_class=PartnershipsUnitOfWork)
    caller: Identity = Caller()
    clock: Clock = ServiceClock()
    members = RpcProxy("members")
    places = Gazetteer()

    @property
    def _uow(self) -> UowFactory:
        return cast(UowFactory, self.uow)

    # --- the registry --------------------------------------------------------

    @rpc
    def propose_partnership(self, data: Json) -> PartnershipView:
        return registry.propose(
            self._uow, self.caller, data, MembersRpc(self.members), self.clock.now()
        )

    @rpc
    def record_agreement(self, partnership_id: str, data: Json) -> PartnershipView:
        now = self.clock.now()
        return registry.record_agreement(
            self._uow, self.caller, partnership_id, data, now, now.date()
        )

    @rpc
    def activate_partnership(self, partnership_id: str) -> PartnershipView:
        return registry.activate(
            self._uow, self.caller, partnership_id, self.clock.now()
        )

    @rpc
    def mark_partnership_dormant(
        self, partnership_id: str, reason: str
    ) -> PartnershipView:
        return registry.mark_dormant(
            self._uow, self.caller, partnership_id, reason, self.clock.now()
        )

    @rpc
    def reactivate_partnership(
        self, partnership_id: str, signed_on: str
    ) -> PartnershipView:
        return registry.reactivate(
            self._uow,
            self.caller,
            partnership_id,
            signed_on,
            self.clock.now(),
            self.clock.today(),
        )

    @rpc
    def terminate_partnership(
        self, partnership_id: str, reason: str
    ) -> PartnershipView:
        return registry.terminate(
            self._uow, self.caller, partnership_id, reason, self.clock.now()
        )

    @rpc
    def update_partnership(self, partnership_id: str, data: Json) -> PartnershipView:
        return registry.update(
            self._uow, self.caller, partnership_id, data, self.clock.now()
        )

    # --- the directory -------------------------------------------------------

    @rpc
    def get_partnerships(self, ids: list[str]) -> list[PartnershipView | None]:
        return directory.get_partnerships(self._uow, self.caller, ids)

    @rpc
    def search_partnerships(
        self,
        filter: Json | None = None,
        first: int | None = None,
        after: str | None = None,
        order_by: str | None = None,
    ) -> Page[PartnershipView]:
        return directory.search(self._uow, self.caller, filter, first, after, order_by)

    @rpc
    def partnerships_of_members(
        self, member_ids: list[str]
    ) -> list[list[PartnershipView]]:
        return directory.of_members(self._uow, self.caller, member_ids)

    @rpc
    def partnership_histories(self, ids: list[str]) -> list[list[TransitionView]]:
        return directory.histories(self._uow, self.caller, ids)

    @rpc
    def partnership_stats(self, filter: Json | None = None) -> StatisticsView:
        return directory.statistics(self._uow, self.caller, filter)

    # --- partner matching ----------------------------------------------------

    @rpc
    def set_partner_preferences(self, member_id: str, data: Json) -> PreferencesView:
        return matching.set_preferences(
            self._uow, self.caller, member_id, data, self.clock.now()
        )

    @rpc
    def get_partner_preferences(self, member_id: str) -> PreferencesView | None:
        return matching.get_preferences(self._uow, self.caller, member_id)

    @rpc
    def partner_suggestions(
        self, member_id: str, first: int | None = None
    ) -> list[SuggestionView]:
        return matching.suggestions(
            self._uow, self.caller, member_id, first, self.places
        )

    # --- the members' news ---------------------------------------------------

    @event_handler("members", "member_registered")
    def on_member_registered(self, body: Json) -> None:
        member_events.member_registered(self._uow, Envelope.from_dict(body))

    @event_handler("members", "member_updated")
    def on_member_updated(self, body: Json) -> None:
        member_events.member_updated(self._uow, Envelope.from_dict(body))

    @event_handler("members", "membership_status_changed")
    def on_membership_status_changed(self, body: Json) -> None:
        member_events.membership_status_changed(self._uow, Envelope.from_dict(body))


# mypy checks here that the service keeps the promises of contracts/rpc.py.
_implements: type[Partnerships] = Service
