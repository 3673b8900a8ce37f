"""The example GraphQL operations in README.md and docs/*.md match schema.graphql.

Every ```graphql block is parsed and validated against the exported schema
(graphql-core's standard rules: fields, arguments, input types, variables);
a ```json block right after one (nothing but blank lines between) is its
variables, and must coerce to the types the operation declares. A failure
names the doc file, the block's first line and the error, so an example that
drifted from the schema is found here rather than by a reader.

A block that is not a whole operation (SDL, a fragment on its own) is
fenced as ```graphql-sdl or similar, which this test does not read."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from graphql import (
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    build_schema,
    get_variable_values,
    parse,
    validate,
)

from common.config import REPO_ROOT

SCHEMA_FILE = REPO_ROOT / "schema.graphql"
DOCS = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
# Each domain's doc shows example operations (issue #20).
DOMAIN_DOCS = [
    "gateway",
    "members",
    "partnerships",
    "grants",
    "payments",
    "notifications",
]
FENCE = re.compile(r"^\s*```\s*(\S*)")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # 1-based line of the block's first line (after the fence)
    lang: str
    text: str
    closing: int = 0  # 1-based line of its closing fence
    variables: str | None = None  # the ```json block right after it

    @property
    def where(self) -> str:
        first = self.text.strip().splitlines()[0] if self.text.strip() else ""
        return f"{self.path.relative_to(REPO_ROOT)}:{self.line}: `{first}`"


def fenced_blocks(path: Path) -> list[Block]:
    """The fenced blocks of a Markdown file, each ```graphql one with the
    ```json block that follows it, if any."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        opened = FENCE.match(lines[i])
        if not opened:
            i += 1
            continue
        start = i + 1
        end = start
        while end < len(lines) and not FENCE.match(lines[end]):
            end += 1
        text = "\n".join(lines[start:end])
        blocks.append(Block(path, start + 1, opened.group(1), text, closing=end + 1))
        i = end + 1
    paired: list[Block] = []
    for block in blocks:
        previous = paired[-1] if paired else None
        if (
            block.lang == "json"
            and previous is not None
            and previous.lang == "graphql"
            and previous.variables is None
            and all(
                not line.strip() for line in lines[previous.closing : block.line - 2]
            )
        ):
            paired[-1] = replace(previous, variables=block.text)
            continue
        paired.append(block)
    return [block for block in paired if block.lang == "graphql"]


SCHEMA: GraphQLSchema = build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))
BLOCKS = [block for doc in DOCS for block in fenced_blocks(doc)]


def check(block: Block, schema: GraphQLSchema = SCHEMA) -> list[str]:
    """What is wrong with one example: parse, validation and variable errors."""
    try:
        document = parse(block.text)
    except GraphQLError as error:
        return [f"does not parse: {error.message}"]
    problems = [error.message for error in validate(schema, document)]
    operations = [
        d for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    if not operations:
        problems.append("no operation (fence SDL or a lone fragment as graphql-sdl)")
    if block.variables is None or problems:
        return problems
    if len(operations) != 1:
        return ["variables given for a block of several operations"]
    try:
        inputs = json.loads(block.variables)
    except json.JSONDecodeError as error:
        return [f"its variables are not JSON: {error}"]
    if not isinstance(inputs, dict):
        return ["its variables are not a JSON object"]
    definitions = operations[0].variable_definitions or ()
    declared = {d.variable.name.value for d in definitions}
    problems += [
        f"variable {name!r} is not declared" for name in sorted(set(inputs) - declared)
    ]
    coerced = get_variable_values(schema, definitions, inputs)
    if isinstance(coerced, list):
        problems += [error.message for error in coerced]
    return problems


@pytest.mark.parametrize(
    "block", BLOCKS, ids=[b.where.split(": ", 1)[0] for b in BLOCKS]
)
def test_example_matches_schema(block: Block) -> None:
    problems = check(block)
    assert not problems, f"{block.where}: " + "; ".join(problems)


@pytest.mark.parametrize("name", DOMAIN_DOCS)
def test_each_domain_doc_has_examples(name: str) -> None:
    path = REPO_ROOT / "docs" / f"{name}.md"
    found = [b for b in BLOCKS if b.path == path]
    assert len(found) >= 2, (
        f"{path.relative_to(REPO_ROOT)} has {len(found)} graphql examples"
    )
    assert any(b.variables for b in found), (
        f"{path.relative_to(REPO_ROOT)}: no example variables"
    )


def _block(text: str, variables: str | None = None) -> Block:
    return Block(
        REPO_ROOT / "docs" / "example.md", 3, "graphql", text, variables=variables
    )


def test_a_wrong_field_argument_or_variable_is_reported() -> None:
    # The checker itself: each kind of drift fails, naming file, line and error.
    assert check(_block("query { member(id: 1) { name } }")) == []
    wrong_field = check(_block("query { member(id: 1) { nickname } }"))
    assert len(wrong_field) == 1
    assert wrong_field[0].startswith("Cannot query field 'nickname' on type 'Member'.")
    assert check(_block('query { members(country: "JP") { totalCount } }'))
    assert check(_block("type Foo { a: Int }"))
    assert check(_block("fragment F on Member { name }"))
    assert check(_block("query {"))[0].startswith("does not parse")
    query = "query Q($id: ID!) { member(id: $id) { name } }"
    assert check(_block(query, '{"id": "1"}')) == []
    assert check(_block(query, '{"id": null}'))
    assert check(_block(query, '{"id": "1", "extra": 2}')) == [
        "variable 'extra' is not declared"
    ]
    assert _block("\nquery Q { health { status } }").where == (
        "docs/example.md:3: `query Q { health { status } }`"
    )


def test_fenced_blocks_pairs_variables(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    lines = [
        "text",
        "",
        "```graphql",
        "query A { health { status } }",
        "```",
        "",
        "```json",
        "{}",
        "```",
        "",
        "```graphql-sdl",
        "type X { a: Int }",
        "```",
        "",
        "```graphql",
        "query B { reviewers { name } }",
        "```",
        "prose: not its variables",
        "```json",
        "{}",
        "```",
    ]
    doc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = fenced_blocks(doc)
    assert [(b.line, b.text, b.variables) for b in found] == [
        (4, "query A { health { status } }", "{}"),
        (16, "query B { reviewers { name } }", None),
    ]
