"""nameko entrypoints of partnerships: they only call service-layer handlers."""

from __future__ import annotations

from common.nameko_ext.context import Caller
from common.nameko_ext.health import HealthRpc
from common.nameko_ext.storage import Storage
from services.partnerships.adapters.orm import metadata


class Service(HealthRpc):
    name = "partnerships"

    uow = Storage("partnerships", metadata)
    caller = Caller()
