"""Members over nameko RPC: the name and contact address of member communities.

Asked as the platform's service identity (event handlers have no caller),
with a deadline: nameko's proxy would otherwise wait forever on a stopped
service. Asked at the moment an event is handled, so a message goes to the
address the community has now.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import eventlet
from nameko.rpc import ServiceProxy

from common.errors import Unavailable
from common.identity import SERVICE
from common.nameko_ext.rpc import RpcProxy
from services.notifications.adapters.settings import Settings
from services.notifications.domain.notices import Contact


class _AsService:
    """A worker context whose outgoing calls carry the service identity."""

    def __init__(self, worker_ctx: Any) -> None:
        self._ctx = worker_ctx
        self.container = worker_ctx.container

    @property
    def context_data(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self._ctx.context_data)
        data["identity"] = SERVICE.to_header()
        return data


class MembersDirectory:
    # members.get_members takes at most this many ids per call.
    PAGE = 100

    def __init__(self, proxy: Any, timeout: float) -> None:
        self._proxy = proxy
        self._timeout = timeout

    def contacts(self, member_ids: Iterable[str]) -> dict[str, Contact]:
        """Contacts of the members that exist (an unknown id is left out)."""
        wanted = sorted(set(member_ids))
        found: dict[str, Contact] = {}
        for start in range(0, len(wanted), self.PAGE):
            page = wanted[start : start + self.PAGE]
            try:
                with eventlet.Timeout(self._timeout):
                    replies = self._proxy.get_members.call_async(page).result()
            except eventlet.Timeout:
                raise Unavailable("members.get_members did not answer") from None
            for reply in replies:
                if reply and reply.get("contact_email"):
                    found[str(reply["member_id"])] = Contact(
                        str(reply["member_id"]),
                        str(reply.get("name") or ""),
                        str(reply["contact_email"]),
                    )
        return found


class Members(RpcProxy):
    """Injects a `MembersDirectory`."""

    def __init__(self) -> None:
        super().__init__("members")

    def setup(self) -> None:
        super().setup()
        self.timeout = Settings.from_env().members_timeout

    def get_dependency(self, worker_ctx: Any) -> MembersDirectory:
        proxy = ServiceProxy(
            _AsService(worker_ctx), "members", self.rpc_reply_listener, **self.options
        )
        return MembersDirectory(proxy, self.timeout)
