"""The gateway's executor (gateway/executor.py) answers exactly as graphql-core's.

Each query runs on one schema twice, with strawberry's executor and with
ours, and the two results must be equal: data, errors, their paths.
"""

from __future__ import annotations

import asyncio
from datetime import date
from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.extensions import SchemaExtension

from gateway.executor import Executor


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    name: str
    nickname: str | None
    count: int
    colour: Colour
    day: date | None
    tags: list[str]

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.name.upper() * times

    @strawberry.field
    async def boom(self) -> str:
        raise ValueError(f"no boom for {self.name}")

    @strawberry.field
    async def echo(self) -> str | None:
        return self.nickname


def item(**changes: Any) -> Item:
    fields: dict[str, Any] = {
        "name": "ann",
        "nickname": None,
        "count": 3,
        "colour": Colour.RED,
        "day": date(2026, 1, 2),
        "tags": ["a"],
    }
    return Item(**{**fields, **changes})


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return [
            item(),
            item(name=None),  # null for a non-null field
            item(count="many"),  # does not coerce to Int
            item(colour="green"),  # not an enum value
            item(nickname="an", day=None),
        ]

    @strawberry.field
    async def later(self) -> Item:
        return item(name="late")


class Upper(SchemaExtension):
    """A resolver middleware: every field must still go through it."""

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kw: Any) -> Any:
        value = _next(root, info, *args, **kw)
        return value.upper() if isinstance(value, str) else value


QUERIES = [
    "{ items { name nickname count colour day tags shout(times: 2) } }",
    "{ items { a: name b: name name } later { name count } }",
    "{ items { ... on Item { name } name count } }",
    "{ later { name colour __typename } }",
    "{ items { name echo count } later { echo boom name } }",
    "{ items { nickname boom name } }",
]


def run(schema: strawberry.Schema, query: str) -> dict[str, Any]:
    result = asyncio.run(schema.execute(query))
    return {
        "data": result.data,
        "errors": sorted((e.message, tuple(e.path or ())) for e in result.errors or []),
    }


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("extensions", [[], [Upper]], ids=["plain", "middleware"])
def test_answers_as_graphql_core_does(query: str, extensions: list[Any]) -> None:
    theirs = strawberry.Schema(Query, extensions=extensions)
    ours = strawberry.Schema(
        Query, extensions=extensions, execution_context_class=Executor
    )
    expected = run(theirs, query)
    assert run(ours, query) == expected
    if "items" in query:
        assert expected["errors"], "the bad items must exercise the error paths"


def test_middleware_still_sees_plain_fields() -> None:
    schema = strawberry.Schema(
        Query, extensions=[Upper], execution_context_class=Executor
    )
    assert run(schema, "{ later { name } }")["data"] == {"later": {"name": "LATE"}}
