"""The gateway's document caches (common/fastpaths/strawberry.py) on a small schema."""

from __future__ import annotations

from functools import partial

import pytest
import strawberry
from graphql import parse
from strawberry.extensions import AddValidationRules
from strawberry.extensions.query_depth_limiter import create_validator
from strawberry.schema.schema import validate_document

from common import fastpaths
from common.fastpaths import strawberry as documents
from common.fastpaths.strawberry import (
    DocumentCache,
    ParsedDocuments,
    ValidatedDocuments,
)


@strawberry.type
class Node:
    @strawberry.field
    def child(self) -> Node:
        return Node()

    @strawberry.field
    def name(self) -> str:
        return "n"


@strawberry.type
class Query:
    @strawberry.field
    def node(self) -> Node:
        return Node()

    @strawberry.field
    def hello(self, name: str) -> str:
        return f"hello {name}"


cache = DocumentCache()
schema = strawberry.Schema(
    Query,
    extensions=[
        partial(ParsedDocuments, cache),
        partial(AddValidationRules, [create_validator(3, should_ignore=None)]),
        partial(ValidatedDocuments, cache),
    ],
)


def test_a_document_is_parsed_once_and_answers_with_new_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed: list[str] = []

    def counting(text: str, **options: object) -> object:
        parsed.append(text)
        return parse(text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(documents, "parse", counting)
    text = "query Hello($n: String!) { hello(name: $n) }"
    answers = [
        schema.execute_sync(text, variable_values={"n": name}).data
        for name in ("Ada", "Bo", "Cy")
    ]
    assert answers == [
        {"hello": "hello Ada"},
        {"hello": "hello Bo"},
        {"hello": "hello Cy"},
    ]
    assert parsed == [text]


def test_a_refused_document_stays_refused() -> None:
    deep = "{ node { child { child { child { name } } } } }"
    for _ in range(3):
        result = schema.execute_sync(deep)
        assert result.data is None
        assert result.errors
        assert "exceeds maximum operation depth" in result.errors[0].message


def test_a_syntax_error_is_reported_every_time() -> None:
    for _ in range(2):
        result = schema.execute_sync("{ node { ")
        assert result.errors
        assert "Syntax Error" in result.errors[0].message


def test_a_document_is_validated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    def counting(*args: object) -> object:
        calls.append(args[1])
        return validate_document(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(documents, "validate_document", counting)
    text = "query Again($n: String!) { hello(name: $n) node { name } }"
    for name in ("Ada", "Bo", "Cy"):
        result = schema.execute_sync(text, variable_values={"n": name})
        assert result.data == {"hello": f"hello {name}", "node": {"name": "n"}}
    deep = "query Deeper { node { child { child { child { child { name } } } } } }"
    for _ in range(2):
        assert schema.execute_sync(deep).errors
    assert len(calls) == 2  # one for each text, whatever the number of requests


def test_the_cache_is_bounded_by_the_size_of_its_documents() -> None:
    small = DocumentCache(max_bytes=500_000)
    texts = [
        "{ " + " ".join(f'a{i}_{n}: hello(name: "x")' for i in range(60)) + " }"
        for n in range(40)
    ]
    for text in texts:
        small.parse(text, {})
        assert small.size <= small.max_bytes
    # Each text takes ~480 tokens (~240 kB parsed): two fit at most.
    assert 1 <= len(small) < 3
    assert small.entry(small.parse(texts[-1], {})) is not None
    assert small.entry(small.parse(texts[0], {})) is not None  # parsed again
    assert small.size <= small.max_bytes


def test_a_document_larger_than_the_cache_is_parsed_but_not_kept() -> None:
    tiny = DocumentCache(max_bytes=1000)
    document = tiny.parse("{ " + 'hello(name: "y") ' * 50 + "}", {})
    assert document.definitions
    assert len(tiny) == 0 and tiny.size == 0


def test_the_caches_are_taken_unless_turned_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed: list[str] = []

    def counting(text: str, **options: object) -> object:
        parsed.append(text)
        return parse(text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(documents, "parse", counting)
    text = "query Taken($n: String!) { hello(name: $n) }"
    schema.execute_sync(text, variable_values={"n": "Ada"})
    before = fastpaths.taken[documents.NAME]
    schema.execute_sync(text, variable_values={"n": "Bo"})
    assert fastpaths.taken[documents.NAME] == before + 2  # parse and validation
    with fastpaths.turned_off(documents.NAME):
        answer = schema.execute_sync(text, variable_values={"n": "Cy"})
    assert answer.data == {"hello": "hello Cy"}
    assert fastpaths.taken[documents.NAME] == before + 2
    assert parsed == [text]  # off, strawberry parsed it itself
