"""graphql-core's executor, with a short way for plain fields (fast path
`graphql_core.plain_fields`; written for the versions in `WRITTEN_FOR`).

It overrides graphql-core's `ExecutionContext.execute_fields` and calls its
helpers (`execute_field`, `collect_subfields`, `handle_field_error`,
`settle_in_background`, `is_awaitable`, `middleware_manager`): internals whose
signatures change between releases. strawberry's part (which fields are plain)
is asked of `common.fastpaths.strawberry`.

Most fields of a response are attributes read off a strawberry object and
coerced to a scalar (a directory page: ~160 of ~180). graphql-core takes each
through the general path: field look-up, a `GraphQLResolveInfo`, strawberry's
resolver wrapper, an awaitable check and `complete_value`'s type dispatch,
~6 us a field and the larger part of a page's GraphQL time. A field that is
plain (no resolver, no arguments, no field extension, no resolver middleware)
and of a scalar or enum type is read and coerced here directly. A plain field
holding an object, or a list of objects, of a type without `is_type_of` has
its sub-selection executed directly, without `complete_value`'s chain of five
calls per object (a page's 40 edges and nodes). Anything unusual (null for a
non-null field, a value that does not coerce, an error, an awaitable value,
`@defer` or `@stream`) goes the general way, which reports it exactly as
before; errors inside a sub-selection are handled as graphql-core handles
them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import cached_property
from typing import Any, NamedTuple, TypeVar, cast
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLOutputType,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.pyutils import Path, Undefined, gather_with_cancel

from common import fastpaths
from common.fastpaths.strawberry import ExecutionContext, plain_attribute

NAME = "graphql_core.plain_fields"
# The versions this module was written for (tests/unit/fastpaths checks the lock).
WRITTEN_FOR = {"graphql-core": "3.3.2"}


class PlainScalar(NamedTuple):
    attribute: str
    coerce: Callable[[Any], Any]
    non_null: bool


class PlainLeaves(NamedTuple):
    """A list of scalars or enum values (a partnership's focus regions)."""

    attribute: str
    coerce: Callable[[Any], Any]
    non_null: bool
    items_non_null: bool


class PlainObject(NamedTuple):
    attribute: str
    return_type: GraphQLOutputType
    object_type: GraphQLObjectType
    # The item type (with its non-null wrapper) when the field is a list.
    item_type: GraphQLOutputType | None


Plan = PlainScalar | PlainLeaves | PlainObject | None

# A list of more objects than this is completed in turns with other requests.
ITEMS_AT_ONCE = 25

# Per object type of a schema: field name -> how to read it, or None.
_plans: WeakKeyDictionary[GraphQLObjectType, dict[str, Plan]] = WeakKeyDictionary()


def _unwrap(kind: Any) -> Any:
    return kind.of_type if is_non_null_type(kind) else kind


def _plain_object_type(kind: Any) -> GraphQLObjectType | None:
    """An object type whose values graphql-core completes without a check."""
    inner = _unwrap(kind)
    return inner if is_object_type(inner) and inner.is_type_of is None else None


def plain_field(field: GraphQLField) -> Plan:
    """How to read `field` directly, or None when it needs the general path."""
    name = plain_attribute(field)
    if name is None or field.args:
        return None
    inner = _unwrap(field.type)
    if is_leaf_type(inner):
        return PlainScalar(
            name, inner.coerce_output_value, is_non_null_type(field.type)
        )
    if (object_type := _plain_object_type(inner)) is not None:
        return PlainObject(name, field.type, object_type, None)
    if is_list_type(inner):
        item_type = inner.of_type
        if (object_type := _plain_object_type(item_type)) is not None:
            return PlainObject(name, field.type, object_type, item_type)
        if is_leaf_type(leaf := _unwrap(item_type)):
            return PlainLeaves(
                name,
                leaf.coerce_output_value,
                is_non_null_type(field.type),
                is_non_null_type(item_type),
            )
    return None


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


def read_leaves(plan: PlainLeaves, source: Any) -> Any:
    """The list's coerced values, None, or GENERAL for anything unusual."""
    try:
        value = getattr(source, plan.attribute)
    except Exception:  # the general path reports it
        return GENERAL
    if value is None:
        return GENERAL if plan.non_null else None
    if not isinstance(value, list | tuple):
        return GENERAL  # any other iterable, or an error: the general way
    coerced: list[Any] = []
    for item in value:
        if item is None:
            if plan.items_non_null:
                return GENERAL
            coerced.append(None)
            continue
        try:
            one = plan.coerce(item)
        except Exception:
            return GENERAL
        if one is None or one is Undefined:
            return GENERAL
        coerced.append(one)
    return coerced


class Executor(ExecutionContext):
    """The execution context to give strawberry's `Schema`
    (`execution_context_class`)."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's `execute_fields`, plain fields read in the loop."""
        if not self._direct or not fastpaths.on(NAME):
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        plans = _plans.setdefault(parent_type, {})
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        direct = 0  # fields read here, for `fastpaths.taken`
        try:
            for response_name, field_details_list in grouped_field_set.items():
                node = field_details_list[0].node
                name = node.name.value
                if name not in plans:
                    plans[name] = self._plan(parent_type, name)
                plan = plans[name]
                field_path = None
                if plan is not None and len(field_details_list) == 1:
                    if isinstance(plan, PlainScalar):
                        value = read(plan, source_value)
                        if value is not GENERAL:
                            results[response_name] = value
                            direct += 1
                            continue
                    elif isinstance(plan, PlainLeaves):
                        value = read_leaves(plan, source_value)
                        if value is not GENERAL:
                            results[response_name] = value
                            direct += 1
                            continue
                    elif position_context is None and not node.directives:
                        field_path = Path(path, response_name, parent_type.name)
                        value = self._complete_plain_object(
                            plan, source_value, field_details_list, field_path
                        )
                        if value is not GENERAL:
                            results[response_name] = value
                            direct += 1
                            if is_awaitable(value):
                                awaitable_fields.append(response_name)
                            continue
                result = self.execute_field(
                    parent_type,
                    source_value,
                    field_details_list,
                    field_path or Path(path, response_name, parent_type.name),
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
        if direct:
            fastpaths.taken[NAME] += direct
        return _settled(results, awaitable_fields) if awaitable_fields else results

    @cached_property
    def _direct(self) -> bool:
        """No resolver middleware (a schema extension's `resolve` hook) wraps
        fields in this request: reading one directly skips nothing."""
        manager = self.middleware_manager
        return manager is None or manager.get_field_resolver(getattr) is getattr

    def _plan(self, parent_type: GraphQLObjectType, name: str) -> Plan:
        field = self.schema.get_field(parent_type, name)
        return plain_field(field) if field is not None else None

    def _complete_plain_object(
        self, plan: PlainObject, source: Any, field_details_list: Any, path: Path
    ) -> Any:
        """`execute_field` for a plain object or list of objects, or GENERAL.

        GENERAL is decided before any sub-field runs, so that the general path
        never repeats work or errors."""
        try:
            value = getattr(source, plan.attribute)
        except Exception:  # the general path reports it
            return GENERAL
        if plan.item_type is None:
            if not self._plain_value(value):
                return GENERAL
        elif not isinstance(value, list | tuple) or not all(
            self._plain_value(item) for item in value
        ):
            return GENERAL
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(
            plan.object_type, field_details_list
        )
        if new_defer_usages:
            return GENERAL
        try:
            if plan.item_type is None:
                completed = self.execute_fields(
                    plan.object_type, value, path, grouped_field_set, None
                )
            else:
                completed = self._complete_items(
                    plan, value, field_details_list, path, grouped_field_set
                )
        except Exception as raw_error:
            self.handle_field_error(
                raw_error, plan.return_type, field_details_list, path
            )
            return None
        if not self.is_awaitable(completed):
            return completed
        return self._or_null(completed, plan.return_type, field_details_list, path)

    def _plain_value(self, value: Any) -> bool:
        """A value completed without complete_value's checks: not null, not an
        error to raise, not awaitable."""
        return (
            value is not None
            and not isinstance(value, Exception)
            and not self.is_awaitable(value)
        )

    def _complete_items(
        self,
        plan: PlainObject,
        items: list[Any] | tuple[Any, ...],
        field_details_list: Any,
        path: Path,
        grouped_field_set: Any,
        first_index: int = 0,
    ) -> Any:
        """graphql-core's `complete_iterable_value` for a list of objects; a
        long list in turns (`_complete_in_turns`)."""
        if first_index == 0 and len(items) > ITEMS_AT_ONCE:
            return self._complete_in_turns(
                plan, items, field_details_list, path, grouped_field_set
            )
        item_type = cast(GraphQLOutputType, plan.item_type)
        is_awaitable = self.is_awaitable
        completed_results: list[Any] = []
        awaitable_indices: list[int] = []
        try:
            for offset, item in enumerate(items):
                index = first_index + offset
                item_path = path.add_key(index, None)
                try:
                    completed = self.execute_fields(
                        plan.object_type, item, item_path, grouped_field_set, None
                    )
                except Exception as raw_error:
                    self.handle_field_error(
                        raw_error, item_type, field_details_list, item_path
                    )
                    completed = None
                if is_awaitable(completed):
                    completed = self._or_null(
                        completed, item_type, field_details_list, item_path
                    )
                    awaitable_indices.append(offset)
                completed_results.append(completed)
        except Exception:
            if awaitable_indices:
                self.settle_in_background(
                    [completed_results[i] for i in awaitable_indices]
                )
            raise
        if not awaitable_indices:
            return completed_results
        return _settled(completed_results, awaitable_indices)

    async def _complete_in_turns(
        self,
        plan: PlainObject,
        items: list[Any] | tuple[Any, ...],
        field_details_list: Any,
        path: Path,
        grouped_field_set: Any,
    ) -> list[Any]:
        """A long list, ITEMS_AT_ONCE items at a time, letting the event loop
        serve other requests between: a page of 200 rows once held the loop
        for ~15 ms, and every other caller waited that long (#17). Only while
        the items complete at once: once one waits on a DataLoader, the rest
        go on without a turn, so that their loads still make one batch."""
        parts: list[Any] = []
        waiting = False
        try:
            for start in range(0, len(items), ITEMS_AT_ONCE):
                if start and not waiting:
                    await asyncio.sleep(0)
                part = self._complete_items(
                    plan,
                    items[start : start + ITEMS_AT_ONCE],
                    field_details_list,
                    path,
                    grouped_field_set,
                    first_index=start,
                )
                waiting = waiting or self.is_awaitable(part)
                parts.append(part)
        except Exception:
            self.settle_in_background([p for p in parts if self.is_awaitable(p)])
            raise
        # All at once, as one list's items: their DataLoader loads batch.
        pending = [p for p in parts if self.is_awaitable(p)]
        done = iter(await gather_with_cancel(*pending) if pending else ())
        completed: list[Any] = []
        for part in parts:
            completed += next(done) if self.is_awaitable(part) else part
        return completed

    async def _or_null(
        self,
        completed: Any,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        path: Path,
    ) -> Any:
        """The awaited value; an error handled as graphql-core's for a field
        or list item of `return_type` at `path` (null, or raised on)."""
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None


C = TypeVar("C", dict[str, Any], list[Any])


async def _settled(results: C, keys: list[Any]) -> C:
    """`results` with the awaitables at `keys` replaced by their values, as
    graphql-core settles a field set or a list (no gather for just one)."""
    if len(keys) == 1:
        results[keys[0]] = await results[keys[0]]
    else:
        awaited = await gather_with_cancel(*(results[k] for k in keys))
        for key, value in zip(keys, awaited, strict=True):
            results[key] = value
    return results
