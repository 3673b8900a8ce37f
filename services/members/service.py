"""nameko entrypoints of members: they only call service-layer handlers."""

from __future__ import annotations

from common.nameko_ext.context import Caller
from common.nameko_ext.health import HealthRpc
from common.nameko_ext.storage import Storage
from services.members.adapters.orm import metadata


class Service(HealthRpc):
    name = "members"

    uow = Storage("members", metadata)
    caller = Caller()
