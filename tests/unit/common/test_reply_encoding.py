"""RPC replies: orjson where it writes what kombu's json writes, kombu elsewhere."""

from __future__ import annotations

import dataclasses
import json
from collections import OrderedDict
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Any

import kombu.serialization
import pytest

from common.fastpaths.nameko import encode_reply


class Colour(StrEnum):
    RED = "RED"


class Level(IntEnum):
    HIGH = 3


@dataclasses.dataclass
class Point:
    x: int


class Text(str):
    pass


VALUES: list[Any] = [
    None,
    "plain",
    "Tromsø, Łódź, Huế: “quotes”, \\ and \n control \x01 characters, 😀",
    0,
    -(2**63),
    2**64 - 1,
    2**64,  # beyond orjson: kombu's
    10**30,
    1.5,
    1e-7,
    True,
    [],
    {},
    (1, "a"),
    {"result": {"items": [{"id": "p-1", "signed_on": None, "areas": ["ARTS"]}]}},
    {"error": None, "result": [1, 2.25, [False, {"nested": "deep"}]]},
    Colour.RED,
    Level.HIGH,
    {"colour": Colour.RED, "level": Level.HIGH},
    datetime(2024, 5, 1, 12, 30, 15, 123456, tzinfo=UTC),
    datetime(2024, 5, 1, 12, 30),
    date(2024, 5, 1),
    time(9, 15),
    Decimal("12.50"),
    b"bytes",
    b"\xff\xfe",
    Text("a str subclass"),
    OrderedDict(a=1),
    {1: "int key", "b": 2},
    {"when": datetime(2024, 1, 1, tzinfo=UTC), "amount": Decimal("1.10")},
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_reply_decodes_as_kombu_wrote_it(value: Any) -> None:
    reply = {"result": value, "error": None}
    content_type, encoding, body = encode_reply(reply, "json")
    want_type, want_encoding, want = kombu.serialization.dumps(reply, "json")
    assert (content_type, encoding) == (want_type, want_encoding)
    got = kombu.serialization.loads(body, content_type, encoding)
    expected = kombu.serialization.loads(want, want_type, want_encoding)
    assert repr(got) == repr(expected)  # the same values of the same types
    json.loads(body)  # plain JSON, for any consumer


def test_what_kombu_cannot_encode_is_still_an_error() -> None:
    for value in (object(), Point(1), {1, 2}):
        with pytest.raises(Exception) as orjson_error:
            encode_reply({"result": value, "error": None}, "json")
        with pytest.raises(Exception) as kombu_error:
            kombu.serialization.dumps({"result": value, "error": None}, "json")
        assert type(orjson_error.value) is type(kombu_error.value)


def test_other_serializers_are_kombus() -> None:
    reply = {"result": [1, "a"], "error": None}
    assert encode_reply(reply, "pickle") == kombu.serialization.dumps(reply, "pickle")
