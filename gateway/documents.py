"""Parsed and validated GraphQL documents, kept per process.

A frontend sends a few dozen distinct query texts (values travel as
variables), and parsing and validating one took most of the gateway's CPU for
a directory page. strawberry's `ValidationCache` serves as it is; its
`ParserCache` does not: a syntax error raised from its hook escapes
strawberry's error handling, and the client gets no `GRAPHQL_PARSE_FAILED`.
`ParsedDocuments` caches only documents that parse and leaves a bad one to
strawberry's own parse, which reports it as usual.

`ValidationCache` keys its LRU cache on the document itself, and a
`DocumentNode` hashes by walking the whole tree on every request (~2.5% of a
directory page's gateway CPU). A cached parse hands out the same document
object for the same text, so `ValidatedDocuments` keys on its identity.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import suppress
from functools import lru_cache
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema
from graphql.language.parser import parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

# Past this many distinct texts the least recently used is parsed again.
DOCUMENT_CACHE_SIZE = 512

_parse = lru_cache(maxsize=DOCUMENT_CACHE_SIZE)(parse)


class ParsedDocuments(SchemaExtension):
    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query:
            with suppress(GraphQLError):
                context.graphql_document = _parse(
                    context.query, **context.parse_options
                )
        yield


# (schema, document, rules) by identity -> (schema, document, errors); the
# value holds the objects so that no id is reused while its entry lives.
Key = tuple[int, int, tuple[Any, ...]]
Entry = tuple[GraphQLSchema, DocumentNode, list[GraphQLError]]
_validated: OrderedDict[Key, Entry] = OrderedDict()


def validated(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[Any, ...]
) -> list[GraphQLError]:
    """`validate_document`'s errors, computed once per document object."""
    key = (id(schema), id(document), rules)
    entry = _validated.get(key)
    if entry is not None:
        _validated.move_to_end(key)
        return entry[2]
    errors = validate_document(schema, document, rules)
    _validated[key] = (schema, document, errors)
    if len(_validated) > DOCUMENT_CACHE_SIZE:
        _validated.popitem(last=False)
    return errors


class ValidatedDocuments(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:  # else strawberry reports it
            context.pre_execution_errors = validated(
                context.schema._schema,
                context.graphql_document,
                tuple(context.validation_rules),
            )
        yield
