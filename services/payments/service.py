"""nameko entrypoints of payments: they only call service-layer handlers."""

from __future__ import annotations

from common.nameko_ext.context import Caller
from common.nameko_ext.health import HealthRpc
from common.nameko_ext.storage import Storage
from services.payments.adapters.orm import metadata


class Service(HealthRpc):
    name = "payments"

    uow = Storage("payments", metadata)
    caller = Caller()
