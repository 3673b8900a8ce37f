"""Typed forms of strawberry's resolver decorators that take a description.

strawberry's own annotations leave `@strawberry.field(description=...)` (and
`mutation`, `subscription`) untyped, so under mypy --strict every resolver it
decorates would become untyped too. These do exactly what strawberry does (`field(
description=...)(resolver)` is `field(resolver, description=...)`) and say
what the class ends up with: `@strawberry.type` puts each resolver back on
its class as the function it was (strawberry/types/object_type.py, "we need
to restore them"), so the decorated name keeps the resolver's own type and
`await self.invoices(info)` is checked like any method call.

    @strawberry.type
    class Query:
        @field(description="A member; anonymous callers see the directory.")
        async def member(self, info: Info, id: strawberry.ID) -> Member | None: ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

import strawberry

Resolver = TypeVar("Resolver", bound=Callable[..., object])


def field(*, description: str) -> Callable[[Resolver], Resolver]:
    """`@strawberry.field(description=...)`, typed."""

    def decorate(resolver: Resolver) -> Resolver:
        # A StrawberryField until @strawberry.type restores the function.
        return cast(Resolver, strawberry.field(resolver, description=description))

    return decorate


def mutation(*, description: str) -> Callable[[Resolver], Resolver]:
    """`@strawberry.mutation(description=...)`, typed."""

    def decorate(resolver: Resolver) -> Resolver:
        # A StrawberryField until @strawberry.type restores the function.
        return cast(Resolver, strawberry.mutation(resolver, description=description))

    return decorate


def subscription(*, description: str) -> Callable[[Resolver], Resolver]:
    """`@strawberry.subscription(description=...)`, typed."""

    def decorate(resolver: Resolver) -> Resolver:
        # A StrawberryField until @strawberry.type restores the function.
        field_ = strawberry.subscription(resolver, description=description)
        return cast(Resolver, field_)

    return decorate
