"""The gateway's document caches (gateway/documents.py) on a small schema."""

from __future__ import annotations

from functools import partial

import pytest
import strawberry
from strawberry.extensions import AddValidationRules
from strawberry.extensions.query_depth_limiter import create_validator
from strawberry.schema.schema import validate_document

from gateway import documents
from gateway.documents import ParsedDocuments, ValidatedDocuments, _parse


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


schema = strawberry.Schema(
    Query,
    extensions=[
        ParsedDocuments,
        partial(AddValidationRules, [create_validator(3, should_ignore=None)]),
        ValidatedDocuments,
    ],
)


def test_a_document_is_parsed_once_and_answers_with_new_variables() -> None:
    text = "query Hello($n: String!) { hello(name: $n) }"
    before = _parse.cache_info()
    answers = [
        schema.execute_sync(text, variable_values={"n": name}).data
        for name in ("Ada", "Bo", "Cy")
    ]
    assert answers == [
        {"hello": "hello Ada"},
        {"hello": "hello Bo"},
        {"hello": "hello Cy"},
    ]
    after = _parse.cache_info()
    assert after.misses - before.misses == 1
    assert after.hits - before.hits == 2


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
