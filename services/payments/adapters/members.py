"""Members over nameko RPC: the invoice being paid and the payer's name.

A call the caller makes (checkout) carries the caller's identity, so members
checks it too; work payments does on its own account (a webhook) is made as
the platform's service identity. Every call has a deadline: nameko's proxy
would otherwise wait forever on a stopped service.
"""

from __future__ import annotations

import logging
from typing import Any

import eventlet
from nameko.exceptions import RemoteError
from nameko.rpc import ServiceProxy

from common.errors import Forbidden, NotFound, Unauthenticated
from common.identity import SERVICE
from common.nameko_ext.rpc import RpcProxy
from services.payments.adapters.settings import members_rpc_timeout
from services.payments.domain.checkout import Invoice
from services.payments.service_layer.ports import MembersUnavailable

log = logging.getLogger(__name__)

_PASS_THROUGH = {"Forbidden": Forbidden, "Unauthenticated": Unauthenticated}


class _AsService:
    """A worker context whose outgoing calls carry the service identity."""

    def __init__(self, worker_ctx: Any) -> None:
        self._ctx = worker_ctx
        self.container = worker_ctx.container

    @property
    def context_data(self) -> dict[str, Any]:
        data: dict[str, Any] = self._ctx.context_data
        data["identity"] = SERVICE.to_header()
        return data


class MembersDirectory:
    def __init__(self, as_caller: Any, as_service: Any, timeout: float) -> None:
        self._as_caller = as_caller
        self._as_service = as_service
        self._timeout = timeout

    def _call(self, proxy: Any, method: str, *args: Any) -> Any:
        try:
            with eventlet.Timeout(self._timeout):
                return getattr(proxy, method).call_async(*args).result()
        except eventlet.Timeout:
            raise MembersUnavailable(f"members.{method} did not answer") from None

    def invoice(self, invoice_id: str, *, as_service: bool = False) -> Invoice:
        proxy = self._as_service if as_service else self._as_caller
        try:
            data = self._call(proxy, "get_invoice", invoice_id)
        except RemoteError as exc:
            if exc.exc_type == "NotFound":
                raise NotFound("no such invoice", "invoiceId") from None
            if exc.exc_type in _PASS_THROUGH:
                raise _PASS_THROUGH[exc.exc_type](str(exc.value)) from None
            raise
        return Invoice(
            invoice_id=str(data["invoice_id"]),
            member_id=str(data["member_id"]),
            fiscal_year=int(data["fiscal_year"]),
            amount_cents=int(data["amount_cents"]),
            currency=str(data["currency"]).upper(),
            status=str(data["status"]),
            band=str(data.get("band") or ""),
            due_date=str(data.get("due_date") or ""),
        )

    def member_name(self, member_id: str) -> str | None:
        """Best effort, for receipts: a missing name never stops a payment."""
        try:
            data = self._call(self._as_service, "get_member", member_id)
        except Exception as exc:
            log.warning("no name for member %s: %s", member_id, exc)
            return None
        return str(data.get("name")) if isinstance(data, dict) else None


class Members(RpcProxy):
    """Injects a `MembersDirectory` (the `InvoiceDirectory` port)."""

    def __init__(self) -> None:
        super().__init__("members")

    def get_dependency(self, worker_ctx: Any) -> MembersDirectory:
        listener = self.rpc_reply_listener
        return MembersDirectory(
            ServiceProxy(worker_ctx, "members", listener, **self.options),
            ServiceProxy(_AsService(worker_ctx), "members", listener, **self.options),
            members_rpc_timeout(),
        )
