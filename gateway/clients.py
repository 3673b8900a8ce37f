"""Typed asyncio clients of the services, checked against contracts/rpc.py.

    page = await info.context.services.members.list_members(None, 20, None)

Each client method is declared once as `remote(<Protocol>.<method>)`: its
parameters and result are the Protocol's, awaited. So a method renamed in
the Protocol, a changed parameter, or a field read that a view type lacks
fails mypy in the gateway instead of in production. Calls go through
`gateway.rpc`'s `invoke` (the caller's identity and correlation id along).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast

from contracts import rpc as contract
from gateway.errors import ServiceError

P = ParamSpec("P")
R = TypeVar("R")

# gateway.rpc's BoundRpc.invoke: (service, method, args, kwargs, timeout).
Invoke = Callable[
    [str, str, Sequence[Any], Mapping[str, Any] | None, float | None],
    Awaitable[Any],
]


def camel(field: str) -> str:
    """A service's snake_case field name as the client wrote it."""
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), field)


class ServiceClient:
    """The calls to one service."""

    service: str

    def __init__(self, invoke: Invoke) -> None:
        self._invoke = invoke

    def field_name(self, field: str) -> str:
        """The name of a field in an error, as the GraphQL client wrote it."""
        return field

    async def _call(
        self, method: str, args: Sequence[Any], kwargs: Mapping[str, Any]
    ) -> Any:
        try:
            return await self._invoke(self.service, method, args, kwargs, None)
        except ServiceError as exc:
            if exc.field:
                exc.field = self.field_name(exc.field)
            raise


class remote(Generic[P, R]):
    """`list_members = remote(Members.list_members)`: an async method with
    the Protocol method's parameters, returning its result."""

    def __init__(self, method: Callable[Concatenate[Any, P], R]) -> None:
        self.name = method.__name__

    def __get__(
        self, client: ServiceClient, owner: type[ServiceClient]
    ) -> Callable[P, Awaitable[R]]:
        name = self.name

        async def call(*args: P.args, **kwargs: P.kwargs) -> R:
            # The wire's edge: the service's JSON is the Protocol's type.
            return cast(R, await client._call(name, args, kwargs))

        return call


Members = contract.Members


class MembersClient(ServiceClient):
    service = "members"

    def field_name(self, field: str) -> str:
        return camel(field)

    health = remote(Members.health)
    get_member = remote(Members.get_member)
    get_members = remote(Members.get_members)
    find_members = remote(Members.find_members)
    list_members = remote(Members.list_members)
    register_member = remote(Members.register_member)
    update_member = remote(Members.update_member)
    cancel_membership = remote(Members.cancel_membership)
    reinstate_membership = remote(Members.reinstate_membership)
    get_invoice = remote(Members.get_invoice)
    member_invoices = remote(Members.member_invoices)
    status_histories = remote(Members.status_histories)
    get_dues_schedule = remote(Members.get_dues_schedule)
    set_dues_schedule = remote(Members.set_dues_schedule)
    open_dues_year = remote(Members.open_dues_year)
    run_daily = remote(Members.run_daily)
    get_clock = remote(Members.get_clock)
    set_clock = remote(Members.set_clock)


class Services:
    """Every service's typed client, for one caller."""

    def __init__(self, invoke: Invoke) -> None:
        self._invoke = invoke

    @property
    def members(self) -> MembersClient:
        return MembersClient(self._invoke)
