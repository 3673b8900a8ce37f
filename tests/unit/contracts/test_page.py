"""The one page shape and the one cursor codec every list on the wire uses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from common.errors import BadInput
from contracts.page import (
    Page,
    decode_cursor,
    decode_time_cursor,
    encode_cursor,
    encode_time_cursor,
    page_of,
)


def test_a_cursor_gives_back_the_key_it_was_made_of() -> None:
    assert decode_cursor(encode_cursor("oak park", "m-1"), 2) == ["oak park", "m-1"]
    # Any name a sort key can hold, a no-break space included.
    assert decode_cursor(encode_cursor("san\u00a0josé", "m-2"), 2)[0] == "san\u00a0josé"
    at = datetime(2031, 2, 1, 10, 0, tzinfo=UTC)
    assert decode_time_cursor(encode_time_cursor(at, "p-9")) == (at, "p-9")


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "x",
        "!!!!",
        None,
        17,
        encode_cursor("a"),  # one part where two are wanted
        encode_cursor("a", "b", "c"),
        "WzEsMl0=",  # [1,2]: not strings
        "eyJhIjoxfQ==",  # {"a":1}
        encode_cursor("2031-02-01", "p-\x00"),  # a NUL: PostgreSQL refuses it
    ],
)
def test_anything_else_is_bad_input_on_the_field(garbage: object) -> None:
    with pytest.raises(BadInput) as err:
        decode_cursor(garbage, 2, "after")
    assert err.value.field == "after"


def test_a_time_cursor_needs_a_time() -> None:
    with pytest.raises(BadInput):
        decode_time_cursor(encode_cursor("yesterday", "p-1"))


def test_a_page_carries_its_edges_and_where_it_stands() -> None:
    page = page_of(["a", "b"], ["c1", "c2"], 5, has_next=True, has_previous=False)
    assert page == {
        "edges": [{"cursor": "c1", "node": "a"}, {"cursor": "c2", "node": "b"}],
        "page_info": {
            "has_next_page": True,
            "has_previous_page": False,
            "start_cursor": "c1",
            "end_cursor": "c2",
        },
        "total_count": 5,
    }
    empty: Page[str] = page_of([], [], 0, has_next=False, has_previous=True)
    assert empty["page_info"]["start_cursor"] is None
