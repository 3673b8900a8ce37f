"""GraphQL types built from a service's wire view (a TypedDict of contracts/).

Most types copy their view key by key; `from_view` writes that copy once:

    @strawberry.type
    class Refund:
        id: strawberry.ID
        status: RefundStatus
        created_at: datetime

        of = from_view(RefundView, id="refund_id")

`Refund.of(view)` then reads each field (not those with a resolver) from the
view key of its name, or the key named in the call, and converts it by the
field's annotation: an enum from its value, a date or datetime from ISO 8601,
an ID with `str`, a list item by item, a nested type with its own `of` (or by
name, the same way, when it has none); an optional field is null when the
view's value is empty (the hand-written copies' `X(v) if v else None`), an
optional list only when it is null. A key the view declares `NotRequired`
reads as null (a list: empty) when missing. A field that is not a plain copy
takes a function of the whole view instead of a key.

The plan (which key, which conversion) is made once per type, when the
schema is built (`prepare`) or at the first call; a call only follows it. A key
the view does not declare, or an annotation with no conversion, is a
TypeError then, naming the type and the field.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, Generic, NotRequired, TypeVar

import strawberry
from strawberry.scalars import JSON
from strawberry.types.base import (
    StrawberryList,
    StrawberryOptional,
    get_object_definition,
    has_object_definition,
)
from strawberry.types.enum import StrawberryEnumDefinition

T = TypeVar("T")
V = TypeVar("V")
E = TypeVar("E", bound=Enum)

Convert = Callable[[Any], Any]
_MISSING: Any = object()
_PASS = (str, int, float, bool, JSON)


def by_value(kind: type[E]) -> Callable[[Any], E]:
    """`kind(value)` as a dict look-up, ~20x faster than Enum's own call (some
    50 a directory page). Unknown values still go to `kind`, and its error."""
    members: dict[Any, E] = {m.value: m for m in kind}

    def of(value: Any) -> E:
        try:
            return members[value]
        except (KeyError, TypeError):
            return kind(value)

    return of


class FromView(Generic[V]):
    """The `of` of a type built from a view `V`: see the module's docstring."""

    def __init__(
        self, view: type[V] | None, fields: Mapping[str, str | Callable[[V], object]]
    ) -> None:
        self._view = view
        self._fields = dict(fields)
        self._built: dict[type, Callable[[V], Any]] = {}

    def __get__(self, instance: object, owner: type[T]) -> Callable[[V], T]:
        if (built := self._built.get(owner)) is not None:
            return built
        return lambda view: self.prepare(owner)(view)

    def prepare(self, owner: type[T]) -> Callable[[V], T]:
        """The plan for `owner`, made once; the function that follows it."""
        if (built := self._built.get(owner)) is None:
            built = self._built[owner] = _builder(owner, self._view, self._fields)
        return built


def from_view(view: type[V], /, **fields: str | Callable[[V], object]) -> FromView[V]:
    """`of` for a type built from `view`; `fields`: a field's view key where it
    is not the field's name, or a function of the view where it is no copy."""
    return FromView(view, fields)


def prepare(types: Iterable[type]) -> None:
    """Make the plans of `types` (those built from a view) now, not at the first
    call: `build_schema` passes the schema's types."""
    for kind in types:
        if isinstance(of := vars(kind).get("of"), FromView):
            of.prepare(kind)


_PLAIN: dict[type, Callable[[Any], Any]] = {}


def _builder(
    owner: type[T],
    view: type[Any] | None,
    fields: Mapping[str, str | Callable[[Any], object]],
) -> Callable[[Any], T]:
    required, optional = _keys(view)
    computed: list[tuple[str, Convert]] = []
    copied: list[tuple[str, str, Convert | None]] = []
    maybe: list[tuple[str, str, Convert | None, bool]] = []  # NotRequired keys
    for field in get_object_definition(owner, strict=True).fields:
        name = field.python_name
        if field.base_resolver is not None:
            continue
        given = fields.get(name, name)
        if callable(given):
            computed.append((name, given))
            continue
        where = f"{owner.__name__}.{name}"
        if view is not None and given not in required | optional:
            raise TypeError(f"{where}: {view.__name__} has no key {given!r}")
        try:
            convert = _convert(field.type)
        except TypeError as e:
            raise TypeError(f"{where}: {e}") from None
        if given in optional:
            maybe.append((name, given, convert, isinstance(field.type, StrawberryList)))
        else:
            copied.append((name, given, convert))
    planned = [c[0] for c in computed] + [c[0] for c in copied] + [m[0] for m in maybe]
    if unknown := set(fields) - set(planned):
        raise TypeError(f"{owner.__name__} has no plain fields {sorted(unknown)}")

    return _compile(owner, computed, copied, maybe)


def _compile(
    owner: type[T],
    computed: list[tuple[str, Convert]],
    copied: list[tuple[str, str, Convert | None]],
    maybe: list[tuple[str, str, Convert | None, bool]],
) -> Callable[[Any], T]:
    """The plan as the function a hand-written copy would be (dataclasses
    writes `__init__` the same way), `owner(id=view["refund_id"],
    status=c1(view["status"]), ...)`: a loop over the plan costs a third more
    on a directory page's types."""
    env: dict[str, Any] = {"owner": owner, "MISSING": _MISSING}
    args = []
    for i, (name, of_view) in enumerate(computed):
        env[f"f{i}"] = of_view
        args.append(f"{name}=f{i}(view)")
    for i, (name, key, convert) in enumerate(copied):
        value = f"view[{key!r}]"
        if convert is not None:
            env[f"c{i}"] = convert
            value = f"c{i}({value})"
        args.append(f"{name}={value}")
    for i, (name, key, convert, is_list) in enumerate(maybe):
        missing = "[]" if is_list else "None"
        if convert is None:
            value = f"view.get({key!r}, {missing})"
        else:
            env[f"m{i}"] = convert
            value = f"m{i}(v) if (v := view.get({key!r}, MISSING)) is not MISSING "
            value = f"({value}else {missing})"
        args.append(f"{name}={value}")
    source = f"def build(view):\n    return owner({', '.join(args)})\n"
    exec(compile(source, f"<{owner.__qualname__}.of>", "exec"), env)
    built: Callable[[Any], T] = env["build"]
    return built


def _keys(view: type[Any] | None) -> tuple[frozenset[str], frozenset[str]]:
    """The view's required and its optional keys (NotRequired is read from the
    hints: under `from __future__ import annotations` TypedDict misses it)."""
    if view is None:
        return frozenset(), frozenset()
    hints = typing.get_type_hints(view, include_extras=True)
    optional = frozenset(view.__optional_keys__) | {
        key for key, hint in hints.items() if typing.get_origin(hint) is NotRequired
    }
    return frozenset(hints) - optional, optional


def _convert(kind: object) -> Convert | None:
    """How a view's value becomes a field's, by the field's type; None: as is."""
    if isinstance(kind, StrawberryOptional):
        inner = _convert(kind.of_type)
        if inner is None:
            return None
        if isinstance(kind.of_type, StrawberryList):
            return lambda v: None if v is None else inner(v)
        return lambda v: inner(v) if v else None
    if isinstance(kind, StrawberryList):
        item = _convert(kind.of_type)
        if item is None:
            return None
        return lambda v: [item(x) for x in v]
    if isinstance(kind, StrawberryEnumDefinition):
        return by_value(kind.wrapped_cls)
    if kind is datetime:
        return datetime.fromisoformat
    if kind is date:
        return date.fromisoformat
    if kind is strawberry.ID:
        return str
    if any(kind is k for k in _PASS):
        return None
    if isinstance(kind, type) and has_object_definition(kind):
        return _nested(kind)
    raise TypeError(f"no conversion from a view for {kind!r}")


def _nested(kind: type) -> Convert:
    """A nested type: its own `of`, or a copy by name."""
    own = vars(kind).get("of")
    if isinstance(own, FromView):
        return own.prepare(kind)
    of: Convert | None = getattr(kind, "of", None)
    if of is not None:
        return of
    if (plain := _PLAIN.get(kind)) is None:
        plain = _PLAIN[kind] = _builder(kind, None, {})
    return plain
