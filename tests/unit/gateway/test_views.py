"""gateway.schema.views: a type built from a wire view by field name, each
value converted by the field's annotation; a plan that does not fit its view
is refused when it is made, naming the field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import NotRequired, TypedDict

import pytest
import strawberry

from gateway.schema.views import from_view


class Colour(StrEnum):
    RED = "RED"
    BLUE = "BLUE"


strawberry.enum(Colour, name="TestViewsColour")


class LineView(TypedDict):
    item: str
    colour: Colour


class ThingView(TypedDict):
    thing_id: str
    owner_id: str | None
    colour: Colour
    tint: Colour | None
    made_on: str
    seen_at: str | None
    count: int
    colours: list[str]
    lines: list[LineView]
    first: LineView | None
    label: str
    extra: NotRequired[LineView | None]
    more: NotRequired[list[LineView]]


@strawberry.type(name="TestViewsLine")
class Line:
    item: str
    colour: Colour


@strawberry.type(name="TestViewsThing")
class Thing:
    id: strawberry.ID
    owner_id: strawberry.ID | None
    colour: Colour
    tint: Colour | None
    made_on: date
    seen_at: datetime | None
    count: int
    colours: list[Colour]
    lines: list[Line]
    first: Line | None
    title: str
    shout: str
    extra: Line | None
    more: list[Line]
    view: strawberry.Private[ThingView]

    @strawberry.field
    def resolved(self) -> int:
        return self.count + 1

    of = from_view(
        ThingView,
        id="thing_id",
        title="label",
        shout=lambda t: t["label"].upper(),
        view=lambda t: t,
    )


def thing(**changes: object) -> ThingView:
    view: ThingView = {
        "thing_id": "t1",
        "owner_id": "o1",
        "colour": Colour.RED,
        "tint": Colour.BLUE,
        "made_on": "2026-01-02",
        "seen_at": "2026-01-02T03:04:05+00:00",
        "count": 3,
        "colours": ["RED", "BLUE"],
        "lines": [{"item": "a", "colour": Colour.BLUE}],
        "first": {"item": "b", "colour": Colour.RED},
        "label": "hello",
        "extra": {"item": "c", "colour": Colour.RED},
        "more": [{"item": "d", "colour": Colour.BLUE}],
    }
    view.update(changes)  # type: ignore[typeddict-item]
    return view


def test_each_field_by_name_converted_by_its_annotation() -> None:
    view = thing()
    t = Thing.of(view)
    assert t.id == "t1" and t.owner_id == "o1"
    assert t.colour is Colour.RED and t.tint is Colour.BLUE
    assert t.made_on == date(2026, 1, 2)
    assert t.seen_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert t.count == 3
    assert t.colours == [Colour.RED, Colour.BLUE]
    assert [(x.item, x.colour) for x in t.lines] == [("a", Colour.BLUE)]
    assert t.first is not None and (t.first.item, t.first.colour) == ("b", Colour.RED)
    assert (t.title, t.shout) == ("hello", "HELLO")
    assert t.extra is not None and t.extra.item == "c"
    assert [x.item for x in t.more] == ["d"]
    assert t.view is view  # and `resolved`, a resolver, is no argument


def test_empty_optional_values_are_null() -> None:
    t = Thing.of(thing(owner_id="", tint=None, seen_at=None, first=None, extra=None))
    assert (t.owner_id, t.tint, t.seen_at, t.first, t.extra) == (None,) * 5


def test_a_not_required_key_missing_is_null_or_empty() -> None:
    view = thing()
    del view["extra"], view["more"]
    t = Thing.of(view)
    assert t.extra is None and t.more == []


def test_an_unknown_enum_value_is_the_enum_s_own_error() -> None:
    with pytest.raises(ValueError, match="GREEN"):
        Thing.of(thing(colour="GREEN"))


def test_a_key_the_view_lacks_is_refused_naming_the_field() -> None:
    @strawberry.type(name="TestViewsBadKey")
    class BadKey:
        id: strawberry.ID

        of = from_view(ThingView)

    with pytest.raises(TypeError, match=r"BadKey\.id: ThingView has no key 'id'"):
        BadKey.of(thing())


def test_a_field_with_no_conversion_needs_a_function() -> None:
    @strawberry.type(name="TestViewsPrivate")
    class Private:
        label: str
        count: strawberry.Private[int]

        of = from_view(ThingView)

    with pytest.raises(TypeError, match=r"Private\.count: no conversion"):
        Private.of(thing())


def test_a_function_for_no_field_is_refused() -> None:
    @strawberry.type(name="TestViewsTypo")
    class Typo:
        count: int

        of = from_view(ThingView, cuont="count")

    with pytest.raises(TypeError, match="cuont"):
        Typo.of(thing())


def test_the_schema_s_types_have_their_plans_once_it_is_built() -> None:
    from gateway.schema import build_schema
    from gateway.schema.payments.types import Payment

    build_schema()  # would raise had a type's plan not fit its view
    assert Payment.of is Payment.of  # the plan's function, made once
