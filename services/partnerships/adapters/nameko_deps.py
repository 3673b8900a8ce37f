"""nameko glue for outside-world adapters: the gazetteer and members' RPC."""

from __future__ import annotations

from typing import Any, cast

import eventlet
from eventlet import tpool
from nameko.extensions import DependencyProvider

from services.partnerships.adapters import gazetteer

MEMBERS_TIMEOUT_SECONDS = 5


class Gazetteer(DependencyProvider):
    """The world's communities, loaded in the background as the service starts."""

    def start(self) -> None:
        # A second of CPU: in a real thread, so the hub keeps answering.
        self.container.spawn_managed_thread(lambda: tpool.execute(gazetteer.places))

    def get_dependency(self, worker_ctx: Any) -> Any:
        return gazetteer.places


class MembersRpc:
    """members.get_members with a timeout (nameko's RpcProxy has none).

    Used on the write path only, when the read model does not know a member.
    """

    def __init__(self, proxy: Any) -> None:
        self.proxy = proxy

    def get_members(self, member_ids: list[str]) -> list[dict[str, Any] | None]:
        with eventlet.Timeout(MEMBERS_TIMEOUT_SECONDS):
            reply = self.proxy.get_members.call_async(member_ids)
            return cast(list[dict[str, Any] | None], reply.result())
