"""The root schema, merged from one module per concern.

Pattern: each module in DOMAINS exports strawberry types named `Query` and
`Mutation` (and `Subscription` where it has some), holding that domain's root
fields (one package per domain: its types, inputs and loaders beside the
root fields; no domain imports another, see links.py for the fields that
cross). A type may stay empty (`pass`) until its domain has fields: only types
with fields are merged, and a root with no fields at all is left out of the
schema. A field name defined by two modules is an error at import time, not
a silent override. To add a domain, write its module and list it in DOMAINS.

    @strawberry.type
    class Query:
        @strawberry.field
        async def member(self, info: Info, id: strawberry.ID) -> Member | None:
            return await info.context.loader(members_by_id).load(str(id))
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from types import ModuleType
from typing import Any

import strawberry
from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
)
from strawberry.tools import merge_types
from strawberry.types.base import StrawberryObjectDefinition, has_object_definition

from common.fastpaths.graphql_core import Executor
from common.fastpaths.strawberry import (
    DocumentCache,
    ParsedDocuments,
    ValidatedDocuments,
)
from gateway.auth import RefuseBadToken
from gateway.errors import ErrorCodes, log_errors
from gateway.limits import Limits, QueryCost, aliases_rule, depth_rule
from gateway.observability import OperationMetrics, tracing_extensions
from gateway.ratelimit import TokenBuckets
from gateway.schema import (
    grants,
    health,
    links,
    members,
    notifications,
    partnerships,
    payments,
    views,
)

DOMAINS: tuple[ModuleType, ...] = (
    health,
    members,
    partnerships,
    grants,
    payments,
    notifications,
)


def merge_root(name: str, domains: tuple[ModuleType, ...] = DOMAINS) -> type | None:
    """The `name` types of all domains that have fields, merged; None if none."""
    parts = [
        root
        for module in domains
        if (root := getattr(module, name, None)) is not None
        and has_object_definition(root)
        and root.__strawberry_definition__.fields
    ]
    if not parts:
        return None
    names = Counter(f.name for p in parts for f in p.__strawberry_definition__.fields)
    if clashes := sorted(n for n, count in names.items() if count > 1):
        raise TypeError(f"{name} fields defined twice: {', '.join(clashes)}")
    return merge_types(name, tuple(parts))


class GatewaySchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: Any = None
    ) -> None:
        # Runs before ErrorCodes masks them: the log keeps the real cause.
        log_errors(errors)


def build_schema(
    limits: Limits | None = None,
    domains: tuple[ModuleType, ...] = DOMAINS,
    *,
    introspection: bool = True,
    cache: DocumentCache | None = None,
    spending: TokenBuckets | None = None,
) -> strawberry.Schema:
    limits = limits or Limits()
    cache = cache or DocumentCache()
    links.attach()
    query = merge_root("Query", domains)
    if query is None:
        raise TypeError("the schema needs at least one Query field")
    # Validation is cached per (document, rules): the rules are made once,
    # not per request as `QueryDepthLimiter` does (a new class each time would
    # never hit the cache).
    rules: list[type[ASTValidationRule]] = [
        depth_rule(limits.max_depth),
        aliases_rule(limits.max_aliases),
    ]
    schema = GatewaySchema(
        query=query,
        mutation=merge_root("Mutation", domains),
        subscription=merge_root("Subscription", domains),
        execution_context_class=Executor,
        extensions=[
            OperationMetrics,  # first: it times all the others
            *tracing_extensions(),  # none unless tracing (common.tracing)
            RefuseBadToken,
            partial(MaxTokensLimiter, limits.max_tokens),
            partial(ParsedDocuments, cache),
            partial(AddValidationRules, rules),
            *([] if introspection else [DisableIntrospection]),
            partial(ValidatedDocuments, cache),
            partial(QueryCost, limits, cache, spending),
            ErrorCodes,
        ],
    )
    views.prepare(
        t.definition.origin
        for t in schema.schema_converter.type_map.values()
        if isinstance(t.definition, StrawberryObjectDefinition)
    )
    return schema
