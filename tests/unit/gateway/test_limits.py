"""The gateway's query cost (gateway/limits.py) and the web app's queries.

Every operation the web app sends (frontend/src/gql/gql.ts, generated from
its sources) must pass the default limits: aliases, depth and cost, for a
signed-in caller, and the public pages' for an anonymous one too."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from graphql import GraphQLSchema, OperationDefinitionNode, parse, validate

from common.config import REPO_ROOT
from gateway.limits import Limits, aliases_rule, cost, depth_rule, plan
from gateway.schema import build_schema

SCHEMA: GraphQLSchema = build_schema()._schema
LIMITS = Limits()
GENERATED = REPO_ROOT / "frontend" / "src" / "gql" / "gql.ts"
# Operations of the pages anyone may open (no sign-in).
PUBLIC = re.compile(r"^(Directory|Home|Partnership|Statistics|SignIn|Schema)")


def cost_of(query: str, **variables: Any) -> int:
    return cost(plan(SCHEMA, parse(query), None), variables, 10**9)


def test_lists_times_fields_that_call_services() -> None:
    # One call; each of the 20 rows an object; each row's member one call.
    directory = (
        "{ partnerships(first: 20) { totalCount edges { node { id member { name } }"
        " } pageInfo { endCursor } } }"
    )
    assert cost_of(directory) == 1 + 20 + 20
    # Without the edges, a page costs its call only.
    assert cost_of("{ partnerships(first: 200) { totalCount } }") == 1
    # A member's partnerships: one call per member, five rows assumed.
    nested = "{ members(first: 3) { edges { node { partnerships { id } } } } }"
    assert cost_of(nested) == 1 + 3 + 3 + 15
    # The page size from a variable, its default, or the field's default.
    sized = "query($n: Int = 7) { members(first: $n) { edges { node { id } } } }"
    assert cost_of(sized) == 1 + 7
    assert cost_of(sized, n=50) == 1 + 50
    assert cost_of("{ members { edges { node { id } } } }") == 1 + 20
    # Fragments count where they are spread; introspection costs nothing.
    spread = (
        "{ a: members(first: 2) { ...M } b: members(first: 2) { ...M } "
        "__schema { types { name } } } "
        "fragment M on MemberConnection { edges { node { id } } }"
    )
    assert cost_of(spread) == 2 * (1 + 2)
    assert cost_of("{ health { service } }") == 1 + 4


def test_counting_stops_past_the_budget() -> None:
    deep = (
        "{ members(first: 100) { edges { node { partnerships { member { "
        "partnerships { member { partnerships { member { name } } } } } } } } } }"
    )
    steps = plan(SCHEMA, parse(deep), None)
    full, stopped = cost(steps, {}, 10**12), cost(steps, {}, 1000)
    assert full > 30_000  # what the nested query of the report would cost
    assert 1000 < stopped < full


def web_app_operations() -> list[str]:
    text = GENERATED.read_text()
    block = text[text.index("type Documents = {") :]
    block = block[: block.index("};")]
    return [
        json.loads(m)
        for m in re.findall(r'^\s*("(?:[^"\\]|\\.)*"): typeof', block, re.M)
    ]


@pytest.mark.skipif(not GENERATED.is_file(), reason="no web app sources")
def test_every_web_app_operation_fits_the_default_limits() -> None:
    rules = [depth_rule(LIMITS.max_depth), aliases_rule(LIMITS.max_aliases)]
    operations = web_app_operations()
    assert operations
    for text in operations:
        document = parse(text, max_tokens=2000)
        assert not validate(SCHEMA, document, rules), text
        # Page sizes sent as variables: 50, the largest the app sends (the
        # sign-in page's member list); literal ones count as written.
        variables = dict.fromkeys(re.findall(r"\$(\w+): Int", text), 50)
        spent = cost(plan(SCHEMA, document, None), variables, 10**9)
        names = [
            d.name.value
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode) and d.name
        ]
        budget = (
            LIMITS.max_cost_anonymous
            if any(PUBLIC.match(n) for n in names)
            else LIMITS.max_cost
        )
        assert spent <= budget, (names, spent, budget)
