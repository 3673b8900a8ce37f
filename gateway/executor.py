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
from graphql.pyutils import Path, Undefined
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


class Executor(StrawberryGraphQLCoreExecutionContext):
    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        node = field_details_list[0].node
        plan = self._plan(parent_type, node.name.value) if self._direct else None
        if plan is not None and not node.arguments and len(field_details_list) == 1:
            try:
                value = getattr(source, plan.attribute)
            except Exception:  # the general path reports it
                value = Undefined
            if value is None and not plan.non_null:
                return None
            if value is not None and value is not Undefined:
                try:
                    coerced = plan.coerce(value)
                except Exception:
                    coerced = None
                if coerced is not None and coerced is not Undefined:
                    return coerced
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    @cached_property
    def _direct(self) -> bool:
        """No resolver middleware (a schema extension's `resolve` hook) wraps
        fields in this request: reading one directly skips nothing."""
        manager = self.middleware_manager
        return manager is None or manager.get_field_resolver(getattr) is getattr

    def _plan(self, parent_type: GraphQLObjectType, name: str) -> PlainScalar | None:
        fields = _plans.get(parent_type)
        if fields is None:
            fields = _plans[parent_type] = {}
        if name not in fields:
            field = self.schema.get_field(parent_type, name)
            fields[name] = plain_scalar(field) if field is not None else None
        return fields[name]
