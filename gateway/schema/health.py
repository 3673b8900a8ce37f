"""`health`: is each service answering, and which version runs."""

from __future__ import annotations

import asyncio
import logging
from enum import Enum

import strawberry

from common.config import SERVICES
from gateway.context import Info
from gateway.errors import ServiceError
from gateway.schema.decorators import field

log = logging.getLogger(__name__)

# A service that does not answer in this time is reported DOWN.
HEALTH_TIMEOUT_SECONDS = 2.0


@strawberry.enum
class ServiceStatus(Enum):
    UP = "UP"
    DOWN = "DOWN"


@strawberry.type
class ServiceHealth:
    service: str
    status: ServiceStatus
    version: str | None = None


async def check(info: Info, service: str) -> ServiceHealth:
    try:
        reply = await info.context.rpc.call(
            service, "health", timeout=HEALTH_TIMEOUT_SECONDS
        )
    except ServiceError as exc:
        log.warning("health: %s is down: %s", service, exc)
        return ServiceHealth(service=service, status=ServiceStatus.DOWN)
    up = isinstance(reply, dict) and reply.get("status") == "UP"
    return ServiceHealth(
        service=service,
        status=ServiceStatus.UP if up else ServiceStatus.DOWN,
        version=str(reply.get("version")) if isinstance(reply, dict) else None,
    )


@strawberry.type
class Query:
    @field(description="Each service's status, checked concurrently.")
    async def health(self, info: Info) -> list[ServiceHealth]:
        return list(await asyncio.gather(*(check(info, s) for s in SERVICES)))


@strawberry.type
class Mutation:
    pass
