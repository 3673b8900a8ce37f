"""graphql-core's executor, with a short way for plain scalar fields.

Most fields of a response are attributes read off a strawberry object and
coerced to a scalar (a directory page: ~160 of ~180). graphql-core takes each
through the general path: field look-up, a `GraphQLResolveInfo`, strawberry's
resolver wrapper, an awaitable check and `complete_value`'s type dispatch,
~6 us a field and the larger part of a page's GraphQL time. A field that is
plain (no resolver, no arguments, no field extension, no resolver middleware)
and of a scalar or enum type is read and coerced here directly. Anything
unusual (null for a non-null field, a value that does not coerce, an error)
goes the general way, which reports it exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    is_leaf_type,
    is_non_null_type,
)
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField


class PlainScalar(NamedTuple):
    attribute: str
    coerce: Callable[[Any], Any]
    non_null: bool


# Per object type of a schema: field name -> how to read it, or None.
_plans: WeakKeyDictionary[GraphQLObjectType, dict[str, PlainScalar | None]] = (
    WeakKeyDictionary()
)


def plain_scalar(field: GraphQLField) -> PlainScalar | None:
    """How to read `field` directly, or None when it needs the general path."""
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryField):
        return None
    # strawberry marks the wrapper of a field without resolver, extensions or
    # exception handlers; it reads the attribute with the default resolver.
    if not getattr(field.resolve, "_is_default", False) or field.args:
        return None
    if definition.default_resolver is not getattr:
        return None
    non_null = is_non_null_type(field.type)
    leaf = field.type.of_type if non_null else field.type  # type: ignore[union-attr]
    if not is_leaf_type(leaf):
        return None
    coerce = leaf.coerce_output_value
    return PlainScalar(definition.python_name, coerce, non_null)


# What `read` returns when a field needs the general path.
GENERAL = object()


def read(plan: PlainScalar, source: Any) -> Any:
    """The field's coerced value, None, or GENERAL for anything unusual."""
    try:
        value = getattr(source, plan.attribute)
    except Exception:  # the general path reports it
        return GENERAL
    if value is None:
        return GENERAL if plan.non_null else None
    try:
        coerced = plan.coerce(value)
    except Exception:
        return GENERAL
    return GENERAL if coerced is None or coerced is Undefined else coerced


class Executor(StrawberryGraphQLCoreExecutionContext):
    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's `execute_fields`, plain fields read in the loop."""
        if not self._direct:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        plans = _plans.setdefault(parent_type, {})
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                node = field_details_list[0].node
                name = node.name.value
                if name not in plans:
                    plans[name] = self._plan(parent_type, name)
                plan = plans[name]
                if (
                    plan is not None
                    and len(field_details_list) == 1
                    and not node.arguments
                    and (value := read(plan, source_value)) is not GENERAL
                ):
                    results[response_name] = value
                    continue
                result = self.execute_field(
                    parent_type,
                    source_value,
                    field_details_list,
                    Path(path, response_name, parent_type.name),
                    position_context,
                )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                # As graphql-core: settle the others, they may fail too.
                self.settle_in_background([results[f] for f in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                field = awaitable_fields[0]
                results[field] = await results[field]
            else:
                awaited = await gather_with_cancel(
                    *(results[f] for f in awaitable_fields)
                )
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()

    @cached_property
    def _direct(self) -> bool:
        """No resolver middleware (a schema extension's `resolve` hook) wraps
        fields in this request: reading one directly skips nothing."""
        manager = self.middleware_manager
        return manager is None or manager.get_field_resolver(getattr) is getattr

    def _plan(self, parent_type: GraphQLObjectType, name: str) -> PlainScalar | None:
        field = self.schema.get_field(parent_type, name)
        return plain_scalar(field) if field is not None else None
