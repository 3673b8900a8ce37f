"""strawberry's internals: which fields are plain (for
`common.fastpaths.graphql_core`), and parsed and validated GraphQL documents
kept per process, bounded by size, in place of strawberry's caches (fast path
`strawberry.documents`). Written for the versions in `WRITTEN_FOR`.

What of strawberry's is not its public API: a field wrapper's `_is_default`
mark and the converter's `DEFINITION_BACKREF`; `StrawberryGraphQLCoreExecutionContext`
and `validate_document` from `strawberry.schema.schema`; the execution
context's `schema._schema`; and an `on_parse` hook setting
`graphql_document`, which strawberry then does not parse again.

A frontend sends a few dozen distinct query texts (values travel as
variables), and parsing and validating one took most of the gateway's CPU for
a directory page. strawberry's `ParserCache` does not serve: a syntax error
raised from its hook escapes strawberry's error handling, and the client gets
no `GRAPHQL_PARSE_FAILED`. `ParsedDocuments` caches only documents that parse
and leaves a bad one to strawberry's own parse, which reports it as usual.

`ValidationCache` keys its LRU cache on the document itself, and a
`DocumentNode` hashes by walking the whole tree on every request (~2.5% of a
directory page's gateway CPU). A cached parse hands out the same document
object for the same text, so its validation results (and its cost plans,
gateway/limits.py) live in the same cache entry, found by the document's
identity.

The cache is bounded by the memory its documents take, not by their number:
a parsed document takes about 500 bytes per token (its nodes, locations and
token list), so one dense query of 2 MB once held 550 MB. Each entry counts
its text and its tokens; past `max_bytes` the least recently used go.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLField, GraphQLSchema
from graphql.language.parser import parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import (
    StrawberryGraphQLCoreExecutionContext,
    validate_document,
)
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

from common import fastpaths

NAME = "strawberry.documents"
# The versions this module was written for (tests/unit/fastpaths checks the lock).
WRITTEN_FOR = {"strawberry-graphql": "0.341.2", "graphql-core": "3.3.2"}

# The execution context strawberry gives graphql-core, to subclass.
ExecutionContext = StrawberryGraphQLCoreExecutionContext


def plain_attribute(field: GraphQLField) -> str | None:
    """The attribute a strawberry field is read from, when strawberry reads it
    plainly (no resolver, no field extension, no exception handler: its
    default resolver, `getattr`); None for any other field."""
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryField):
        return None
    # strawberry marks the wrapper of such a field with `_is_default`.
    if not getattr(field.resolve, "_is_default", False):
        return None
    if definition.default_resolver is not getattr:
        return None
    return definition.python_name


# Measured with tracemalloc: a dense query's parse held ~520 bytes per token.
BYTES_PER_TOKEN = 500
DEFAULT_CACHE_BYTES = 32 * 1024 * 1024


def _tokens(document: DocumentNode) -> int:
    """How many tokens the parse kept (its linked token list)."""
    count = 0
    token = document.loc.start_token if document.loc else None
    while token is not None:
        count += 1
        token = token.next
    return count


@dataclass(eq=False)
class Entry:
    document: DocumentNode
    size: int
    # validation rules (by identity) -> errors
    validations: dict[tuple[Any, ...], list[GraphQLError]] = field(default_factory=dict)
    # anything else worked out once per document (gateway/limits.py's plans)
    memo: dict[Any, Any] = field(default_factory=dict)


class DocumentCache:
    """Query text -> parsed document and what was worked out about it."""

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._by_text: OrderedDict[str, Entry] = OrderedDict()
        self._by_document: dict[int, Entry] = {}

    def __len__(self) -> int:
        return len(self._by_text)

    def parse(self, text: str, options: Mapping[str, Any]) -> DocumentNode:
        """The document of `text`, parsed once; raises GraphQLError if bad."""
        entry = self._by_text.get(text)
        if entry is not None:
            self._by_text.move_to_end(text)
            fastpaths.taken[NAME] += 1
            return entry.document
        document = parse(text, **options)
        size = len(text) + BYTES_PER_TOKEN * _tokens(document)
        if size <= self.max_bytes:
            self._add(text, Entry(document, size))
        return document

    def entry(self, document: DocumentNode) -> Entry | None:
        """The cache's entry of a document it handed out (None if not kept)."""
        return self._by_document.get(id(document))

    def _add(self, text: str, entry: Entry) -> None:
        self._by_text[text] = entry
        self._by_document[id(entry.document)] = entry
        self.size += entry.size
        while self.size > self.max_bytes:
            _, old = self._by_text.popitem(last=False)
            del self._by_document[id(old.document)]
            self.size -= old.size


class ParsedDocuments(SchemaExtension):
    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query and fastpaths.on(NAME):
            with suppress(GraphQLError):
                context.graphql_document = self.cache.parse(
                    context.query, context.parse_options
                )
        yield


def validated(
    cache: DocumentCache,
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[Any, ...],
) -> list[GraphQLError]:
    """`validate_document`'s errors, computed once per cached document."""
    entry = cache.entry(document)
    if entry is None or not fastpaths.on(NAME):
        return validate_document(schema, document, rules)
    key = (id(schema), *rules)
    errors = entry.validations.get(key)
    if errors is not None:
        fastpaths.taken[NAME] += 1
    else:
        errors = entry.validations[key] = validate_document(schema, document, rules)
    return errors


class ValidatedDocuments(SchemaExtension):
    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:  # else strawberry reports it
            context.pre_execution_errors = validated(
                self.cache,
                context.schema._schema,
                context.graphql_document,
                tuple(context.validation_rules),
            )
        yield
