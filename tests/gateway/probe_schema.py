"""A test-only schema module: fields that fail on purpose, nest deeply,
batch through a DataLoader and stream a subscription, merged into the real
schema by `probe_gateway` exactly as a domain module is."""

from __future__ import annotations

import sys
from collections.abc import AsyncGenerator, Sequence
from typing import Any, cast

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON

from gateway.context import Context, Info


@strawberry.type
class Node:
    depth: int

    @strawberry.field
    def child(self) -> Node:
        return Node(depth=self.depth + 1)


def echo_batches(context: Context) -> DataLoader[str, JSON]:
    async def load(keys: list[str]) -> list[JSON]:
        # One RPC for the whole batch: the reply says how many keys it got.
        reply = await context.rpc.echo.echo(keys)
        return [JSON({"key": key, "batch": reply["value"]}) for key in keys]

    return DataLoader(load_fn=load)


@strawberry.type
class Query:
    @strawberry.field
    def probe_node(self) -> Node:
        return Node(depth=1)

    @strawberry.field
    def probe_boom(self) -> str:
        raise RuntimeError("the database password is hunter2")

    @strawberry.field
    async def probe_echo(
        self, info: Info, method: str, args: JSON | None = None
    ) -> JSON:
        # JSON is any value to the type checker; the probes send a list.
        positional = cast("Sequence[Any]", args or [])
        return await info.context.rpc.invoke("echo", method, positional)

    @strawberry.field
    async def probe_loaded(self, info: Info, key: str) -> JSON:
        return await info.context.loader(echo_batches).load(key)

    @strawberry.field
    def probe_modules(self) -> list[str]:
        return sorted(
            m for m in sys.modules if m.split(".")[0] in ("nameko", "eventlet")
        )


@strawberry.type
class Mutation:
    pass


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def probe_ticks(
        self, info: Info, count: int = 3
    ) -> AsyncGenerator[JSON, None]:
        for n in range(count):
            yield JSON({"n": n, "role": info.context.identity.role})
