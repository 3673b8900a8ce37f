"""Parsed and validated GraphQL documents, kept per process.

A frontend sends a few dozen distinct query texts (values travel as
variables), and parsing and validating one took most of the gateway's CPU for
a directory page. strawberry's `ValidationCache` serves as it is; its
`ParserCache` does not: a syntax error raised from its hook escapes
strawberry's error handling, and the client gets no `GRAPHQL_PARSE_FAILED`.
`ParsedDocuments` caches only documents that parse and leaves a bad one to
strawberry's own parse, which reports it as usual.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from functools import lru_cache

from graphql import GraphQLError
from graphql.language.parser import parse
from strawberry.extensions import SchemaExtension, ValidationCache

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


class ValidatedDocuments(ValidationCache):
    def __init__(self) -> None:
        super().__init__(maxsize=DOCUMENT_CACHE_SIZE)
