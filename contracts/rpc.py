"""Every RPC method that crosses a service boundary, as typed signatures.

The gateway and other services call these over nameko RPC
(`<service>.<method>`), JSON in and out. Every method also receives the
caller's identity in the `nameko.identity` context header and checks it.
Each service's `service.py` implements its Protocol; `tests/unit` checks that
the two agree.
"""

from __future__ import annotations

from typing import Any, Protocol

Json = dict[str, Any]


class Health(Protocol):
    def health(self) -> Json:
        """{"service": name, "status": "UP", "version": str}"""


class Members(Health, Protocol):
    def get_member(self, member_id: str) -> Json: ...
    def get_members(self, member_ids: list[str]) -> list[Json | None]: ...
    def get_invoice(self, invoice_id: str) -> Json: ...


class Partnerships(Health, Protocol):
    """Partnership dicts: see services/partnerships/service_layer/views.py."""

    def propose_partnership(self, data: Json) -> Json: ...
    def record_agreement(self, partnership_id: str, data: Json) -> Json: ...
    def activate_partnership(self, partnership_id: str) -> Json: ...
    def mark_partnership_dormant(self, partnership_id: str, reason: str) -> Json: ...
    def reactivate_partnership(self, partnership_id: str, signed_on: str) -> Json: ...
    def terminate_partnership(self, partnership_id: str, reason: str) -> Json: ...
    def update_partnership(self, partnership_id: str, data: Json) -> Json: ...
    def get_partnerships(self, ids: list[str]) -> list[Json | None]: ...
    def search_partnerships(
        self,
        filter: Json | None = None,
        first: int | None = None,
        offset: int | None = None,
        order_by: str | None = None,
    ) -> Json:
        """{"items": [partnership], "total": int, "offset": int}"""

    def partnerships_of_members(self, member_ids: list[str]) -> list[list[Json]]: ...
    def partnership_histories(self, ids: list[str]) -> list[list[Json]]: ...
    def partnership_stats(self, filter: Json | None = None) -> Json: ...
    def set_partner_preferences(self, member_id: str, data: Json) -> Json: ...
    def get_partner_preferences(self, member_id: str) -> Json | None: ...
    def partner_suggestions(
        self, member_id: str, first: int | None = None
    ) -> list[Json]: ...


class Grants(Health, Protocol):
    """Methods are added as the grants service grows."""


class Payments(Health, Protocol):
    def receive_stripe_webhook(self, payload: str, signature: str) -> Json:
        """Verify and store a Stripe event; {"ok": true} or BadInput (-> HTTP 400)."""


SERVICES: dict[str, type] = {
    "members": Members,
    "partnerships": Partnerships,
    "grants": Grants,
    "payments": Payments,
}
