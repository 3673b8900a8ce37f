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
    """Methods are added as the partnerships service grows."""


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
