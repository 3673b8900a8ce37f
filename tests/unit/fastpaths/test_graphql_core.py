"""The gateway's executor (common/fastpaths/graphql_core.py) answers exactly
as graphql-core's.

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

from common import fastpaths
from common.fastpaths.graphql_core import NAME, Executor


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
    colours: list[Colour] | None
    maybe_tags: list[str | None]

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
        "colours": [Colour.RED, Colour.BLUE],
        "maybe_tags": ["x", None],
    }
    return Item(**{**fields, **changes})


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Tagged(Named):  # implements an interface: graphql-core checks is_type_of
    tag: str


@strawberry.type
class Leaf:
    name: str
    count: int

    @strawberry.field
    async def boom(self) -> str:
        raise ValueError(f"no boom for {self.name}")

    @strawberry.field
    async def soft(self) -> str | None:
        raise ValueError(f"no soft for {self.name}")


@strawberry.type
class Branch:
    """Plain object and list fields: sub-selections the executor runs itself."""

    label: str
    leaf: Leaf
    spare: Leaf | None
    leaves: list[Leaf]
    maybe: list[Leaf | None] | None
    tagged: Tagged


def leaf(**fields: Any) -> Leaf:  # wrong values too, as a bug would give
    return Leaf(**fields)


def branch(**changes: Any) -> Branch:
    fields: dict[str, Any] = {
        "label": "b",
        "leaf": Leaf(name="l", count=1),
        "spare": None,
        "leaves": [Leaf(name="x", count=2), Leaf(name="y", count=3)],
        "maybe": None,
        "tagged": Tagged(name="t", tag="g"),
    }
    return Branch(**{**fields, **changes})


@strawberry.type
class Query:
    @strawberry.field
    def branches(self) -> list[Branch | None]:  # a bad one: null, no more
        return [
            branch(),
            branch(label="no leaf", leaf=None),  # null for a non-null object
            branch(label="a null leaf", leaves=[Leaf(name="z", count=4), None]),
            branch(label="bad spare", spare=leaf(name="s", count="many")),
            branch(label="maybe", maybe=[None, Leaf(name="m", count=5)]),
            branch(label="not a list", leaves="oops"),
            branch(label="empty", leaves=(), maybe=[]),
            # errors inside a sub-selection: null for a non-null scalar there
            branch(label="nameless leaf", leaf=leaf(name=None, count=1)),
            branch(label="nameless spare", spare=leaf(name=None, count=2)),
            branch(
                label="nameless items",
                leaves=[leaf(name=None, count=3)],
                maybe=[Leaf(name="n", count=4), leaf(name=None, count=5)],
            ),
        ]

    @strawberry.field
    def many(self) -> list[Branch | None]:  # completed in turns, bad ones among
        bad: dict[int, dict[str, Any]] = {
            7: {"leaf": None},
            30: {"leaves": [leaf(name=None, count=1)]},
        }
        return [branch(label=f"b{n}", **bad.get(n, {})) for n in range(80)]

    @strawberry.field
    def items(self) -> list[Item]:
        return [
            item(),
            item(name=None),  # null for a non-null field
            item(count="many"),  # does not coerce to Int
            item(colour="green"),  # not an enum value
            item(nickname="an", day=None),
            item(tags=["a", None]),  # null in a list of non-null
            item(colours=[Colour.RED, "green"]),  # not an enum value in a list
            item(colours=None, maybe_tags=[]),
            item(tags=("t", "u"), maybe_tags="oops"),  # a tuple; not a list
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
    "{ items { name tags colours maybeTags } }",
    "{ items { a: name b: name name } later { name count } }",
    "{ items { ... on Item { name } name count } }",
    "{ later { name colour __typename } }",
    "{ items { name echo count } later { echo boom name } }",
    "{ items { nickname boom name } }",
    "{ branches { label leaf { name count } spare { name count } leaves { name } "
    "maybe { name count } } }",
    "{ branches { label leaf { name boom } } }",
    "{ branches { label leaves { soft name } maybe { boom } spare { soft } } }",
    "{ branches { tagged { name tag } leaf { ... on Leaf { name } __typename } } }",
    "{ branches { leaf @include(if: true) { name } spare @skip(if: false) { count }"
    " l: leaves { count } leaves { name } } }",
    "{ many { label leaf { name } leaves { name soft } } }",
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
    if "items" in query or "branches" in query or "many" in query:
        assert expected["errors"], "the bad values must exercise the error paths"


def test_middleware_still_sees_plain_fields() -> None:
    schema = strawberry.Schema(
        Query, extensions=[Upper], execution_context_class=Executor
    )
    assert run(schema, "{ later { name } }")["data"] == {"later": {"name": "LATE"}}


def test_plain_fields_are_read_by_the_fast_path_unless_turned_off() -> None:
    ours = strawberry.Schema(Query, execution_context_class=Executor)
    query = "{ later { name count colour tags shout } }"  # four plain, one not
    before = fastpaths.taken[NAME]
    answer = run(ours, query)
    assert fastpaths.taken[NAME] == before + 4
    with fastpaths.turned_off(NAME):
        assert run(ours, query) == answer
    assert fastpaths.taken[NAME] == before + 4
    assert answer["data"] == {
        "later": {
            "name": "late",
            "count": 3,
            "colour": "RED",
            "tags": ["a"],
            "shout": "LATE",
        }
    }
