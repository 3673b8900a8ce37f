"""What one GraphQL request may ask for, refused before anything runs.

| limit | setting | code |
| --- | --- | --- |
| tokens in the document | `GRAPHQL_MAX_TOKENS` | `TOO_MANY_TOKENS` |
| aliases | `GRAPHQL_MAX_ALIASES` | `TOO_MANY_ALIASES` |
| nested fields | `GRAPHQL_MAX_DEPTH` | `QUERY_TOO_DEEP` |
| cost | `GRAPHQL_MAX_COST` (`GRAPHQL_MAX_COST_ANONYMOUS`) | `QUERY_TOO_COSTLY` |

Tokens, aliases and depth are strawberry's own (`MaxTokensLimiter`,
`MaxAliasesLimiter`'s and `QueryDepthLimiter`'s rules), given a code here.
The cost is ours: neither strawberry nor graphql-core estimates one. It needs
the request's variables (a page size is usually one), so it is checked when
execution starts rather than as a validation rule; its plan is worked out
once per cached document.

The cost of a request is what it makes the platform do: every field whose
resolver calls a service (an `async` resolver) counts 1, and every object of
a list counts 1, each times the size of the lists around it. A list's size is
its `first` argument (a connection's `first` sizes its `edges`), else
`LIST_SIZES` or `DEFAULT_LIST_SIZE`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from graphql.language import DocumentNode
from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as aliases_validator
from strawberry.extensions.query_depth_limiter import (
    create_validator as depth_validator,
)

from common.fastpaths.strawberry import DocumentCache
from gateway.ratelimit import TokenBuckets, caller_key

# The size assumed for a list without `first`; some are known. A member has
# 2.8 partnerships on average in the real data (6 at the 90th percentile), a
# partnership a few recorded changes; the services are four.
DEFAULT_LIST_SIZE = 10
LIST_SIZES = {
    ("Query", "health"): 4,
    ("Member", "partnerships"): 5,
    ("Partnership", "history"): 3,
}
PAGE_ARGUMENT = "first"


@dataclass(frozen=True)
class Limits:
    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_cost: int = 1000
    max_cost_anonymous: int = 300


# --- codes for strawberry's rules -----------------------------------------------


class _Coded:
    """A validation context whose errors carry a code (and, if given, our
    own message)."""

    def __init__(
        self, context: ValidationContext, code: str, message: str | None
    ) -> None:
        self._context = context
        self._code = code
        self._message = message

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)

    def report_error(self, error: GraphQLError) -> None:
        self._context.report_error(
            GraphQLError(
                self._message or error.message,
                error.nodes,
                extensions={"code": self._code},
            )
        )


def _fragments_known(document: DocumentNode) -> bool:
    """Whether every spread names a fragment of the document (else graphql-core's
    own rule reports it; strawberry's depth rule would raise a KeyError)."""
    names = {
        d.name.value
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    stack: list[Any] = list(document.definitions)
    while stack:
        node = stack.pop()
        if isinstance(node, FragmentSpreadNode):
            if node.name.value not in names:
                return False
            continue
        selections = getattr(node, "selection_set", None)
        if selections is not None:
            stack.extend(selections.selections)
    return True


def coded_rule(
    rule: type[ValidationRule], code: str, message: str | None = None
) -> type[ValidationRule]:
    """strawberry's limit `rule` (which does its work when made), reporting
    its errors with `code`, and only on documents whose fragments exist."""

    class Coded(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            if _fragments_known(context.document):
                # _Coded is duck-typed: it passes all but report_error on.
                rule(_Coded(context, code, message))  # type: ignore[arg-type]

    Coded.__name__ = f"{rule.__name__}With{code.title().replace('_', '')}"
    return Coded


def depth_rule(max_depth: int) -> type[ValidationRule]:
    # strawberry counts the root field as depth 0: `max_depth - 1` makes the
    # limit the number of nested fields, as documented (and says so).
    return coded_rule(
        depth_validator(max_depth - 1, should_ignore=None),
        "QUERY_TOO_DEEP",
        f"the query exceeds maximum operation depth of {max_depth} nested fields",
    )


def aliases_rule(max_aliases: int) -> type[ValidationRule]:
    return coded_rule(aliases_validator(max_aliases), "TOO_MANY_ALIASES")


# --- cost ----------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    """How a list's size is known: a constant, or a variable with its default."""

    constant: int
    variable: str | None = None

    def value(self, variables: Mapping[str, Any]) -> int:
        if self.variable is not None:
            given = variables.get(self.variable)
            if isinstance(given, int) and not isinstance(given, bool):
                return max(given, 0)
        return self.constant


@dataclass(frozen=True)
class Step:
    """One field of the plan: what it costs and what it contains."""

    calls_service: bool
    size: Size | None  # a list of objects: how many
    children: tuple[Step, ...]


Plan = tuple[Step, ...]


def _unwrap(field: GraphQLField) -> tuple[bool, Any]:
    """(is a list, named type) of a field's type."""
    kind = field.type
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    return isinstance(kind, GraphQLList), get_named_type(field.type)


def _calls_service(field: GraphQLField) -> bool:
    definition = field.extensions.get("strawberry-definition")
    resolver = getattr(definition, "base_resolver", None)
    return bool(resolver is not None and resolver.is_async)


class _Planner:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.schema = schema
        self.fragments = {
            d.name.value: d
            for d in document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        self.defaults: dict[str, int] = {}

    def operation(self, operation: OperationDefinitionNode) -> Plan:
        for definition in operation.variable_definitions or ():
            value = definition.default_value
            if isinstance(value, IntValueNode):
                self.defaults[definition.variable.name.value] = int(value.value)
        root = self.schema.get_root_type(operation.operation)
        assert root is not None
        return self.selections(root, operation.selection_set, None, frozenset())

    def selections(
        self,
        parent: Any,
        selection_set: SelectionSetNode | None,
        page: Size | None,
        seen: frozenset[str],
    ) -> Plan:
        steps: list[Step] = []
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                if step := self.field(parent, selection, page):
                    steps.append(step)
            elif isinstance(selection, InlineFragmentNode):
                kind = (
                    self.schema.get_type(selection.type_condition.name.value)
                    if selection.type_condition
                    else parent
                )
                steps += self.selections(kind, selection.selection_set, page, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    kind = self.schema.get_type(fragment.type_condition.name.value)
                    steps += self.selections(
                        kind, fragment.selection_set, page, seen | {name}
                    )
        return tuple(steps)

    def field(self, parent: Any, node: FieldNode, page: Size | None) -> Step | None:
        fields = getattr(parent, "fields", None)
        field = fields.get(node.name.value) if fields else None
        if field is None:  # introspection: no service, no list we size
            return None
        is_list, named = _unwrap(field)
        own_page = self.page_size(field, node)
        size: Size | None = None
        if is_list and isinstance(named, GraphQLObjectType):
            size = (
                own_page
                or page
                or Size(
                    LIST_SIZES.get((parent.name, node.name.value), DEFAULT_LIST_SIZE)
                )
            )
            own_page = page = None
        children = self.selections(
            named, node.selection_set, own_page or page, frozenset()
        )
        return Step(_calls_service(field), size, children)

    def page_size(self, field: GraphQLField, node: FieldNode) -> Size | None:
        argument = field.args.get(PAGE_ARGUMENT)
        if argument is None:
            return None
        default = argument.default_value
        fallback = default if isinstance(default, int) else DEFAULT_LIST_SIZE
        for given in node.arguments or ():
            if given.name.value != PAGE_ARGUMENT:
                continue
            if isinstance(given.value, IntValueNode):
                return Size(int(given.value.value))
            if isinstance(given.value, VariableNode):
                name = given.value.name.value
                return Size(self.defaults.get(name, fallback), name)
        return Size(fallback)


def plan(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None
) -> Plan:
    """The cost plan of the operation that would run (empty if none fits)."""
    operations = [
        d for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    chosen = [
        o
        for o in operations
        if operation_name is None or (o.name and o.name.value == operation_name)
    ]
    if len(chosen) != 1:
        return ()  # graphql-core reports the missing or ambiguous operation
    return _Planner(schema, document).operation(chosen[0])


def cost(steps: Plan, variables: Mapping[str, Any], budget: int) -> int:
    """The plan's cost with these variables; stops counting past `budget`."""
    total = 0

    def walk(steps: Plan, times: int) -> None:
        nonlocal total
        for step in steps:
            if total > budget:
                return
            if step.calls_service:
                total += times
            inner = times
            if step.size is not None:
                inner = times * step.size.value(variables)
                total += inner
            if step.children and inner:
                walk(step.children, inner)

    walk(steps, 1)
    return total


class QueryCost(SchemaExtension):
    """Refuses a request costlier than the caller's budget before it runs.

    Raised as a GraphQLError that already has its code: an exception from
    this hook bypasses the error-masking extension (as `RefuseBadToken`)."""

    def __init__(
        self,
        limits: Limits,
        cache: DocumentCache,
        spending: TokenBuckets | None = None,
    ) -> None:
        self.limits = limits
        self.cache = cache
        self.spending = spending

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            identity = getattr(context.context, "identity", None)
            anonymous = identity is None or identity.is_anonymous
            budget = (
                self.limits.max_cost_anonymous if anonymous else self.limits.max_cost
            )
            spent = cost(self._plan(document), context.variables or {}, budget)
            if spent > budget:
                who = "anonymous callers" if anonymous else "a signed-in caller"
                raise GraphQLError(
                    f"the query costs more than the {budget} allowed to {who} "
                    "(lists times fields that call services; ask for smaller "
                    "pages or fewer nested lists)",
                    extensions={"code": "QUERY_TOO_COSTLY", "budget": budget},
                )
            self._spend(identity, spent)
        yield

    def _spend(self, identity: Any, spent: int) -> None:
        """Take the cost from the caller's bucket of cost (gateway/ratelimit.py)."""
        if self.spending is None or spent <= 0:
            return
        context = self.execution_context.context
        request = getattr(context, "request", None)
        key = caller_key(identity, getattr(request, "client", None))
        wait = self.spending.take(key, spent)
        if not wait:
            return
        seconds = max(1, math.ceil(wait))
        response = getattr(context, "response", None)
        if response is not None and hasattr(response, "status_code"):
            response.status_code = 429  # an HTTP request; a WebSocket has none
            response.headers["Retry-After"] = str(seconds)
        raise GraphQLError(
            f"too many requests: this caller's queries cost too much this "
            f"minute; try again in {seconds} s",
            extensions={"code": "RATE_LIMITED", "retryAfter": seconds},
        )

    def _plan(self, document: DocumentNode) -> Plan:
        context = self.execution_context
        schema = context.schema._schema
        entry = self.cache.entry(document)
        key = ("cost", context.operation_name)
        if entry is not None and key in entry.memo:
            found: Plan = entry.memo[key]
            return found
        made = plan(schema, document, context.operation_name)
        if entry is not None:
            entry.memo[key] = made
        return made
