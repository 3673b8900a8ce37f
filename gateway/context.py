"""The per-request context every resolver gets as `info.context`.

    async def member(self, info: Info, id: strawberry.ID) -> Member | None:
        return await info.context.loader(members_by_id).load(id)

`info.context.services.<service>.<method>(...)` calls a service as the
request's caller, typed by contracts/rpc.py; `info.context.rpc` is the
untyped call underneath. Either calls as the request's caller (identity and
correlation id travel as nameko context headers); `loader(factory)` gives the
request's own DataLoader built by `factory(context)`, so batching and caching
never leak between requests or callers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.dataloader import DataLoader

from common.identity import ANONYMOUS, Identity
from gateway.clients import Services
from gateway.rpc import BoundRpc, RpcClient

K = TypeVar("K")
V = TypeVar("V")


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    client: RpcClient
    correlation_id: str
    identity: Identity = ANONYMOUS
    # Set when the request carried a bad token; the Authentication extension
    # turns it into an UNAUTHENTICATED error before anything runs.
    auth_error: Exception | None = None
    # graphql-transport-ws: the connection_init payload (see app.GraphQLView).
    connection_params: dict[str, Any] | None = None
    _loaders: dict[Callable[..., Any], DataLoader[Any, Any]] = field(
        default_factory=dict, repr=False
    )

    @property
    def rpc(self) -> BoundRpc:
        return self.client.bind(self.identity, self.correlation_id)

    @property
    def services(self) -> Services:
        """The services' typed clients (gateway.clients), as this caller."""
        return Services(self.rpc.invoke)

    def loader(
        self, factory: Callable[[Context], DataLoader[K, V]]
    ) -> DataLoader[K, V]:
        """This request's DataLoader from `factory`, created on first use."""
        if factory not in self._loaders:
            self._loaders[factory] = factory(self)
        return self._loaders[factory]


Info = strawberry.Info[Context, None]
