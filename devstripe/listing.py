"""Stripe list semantics: newest first, limit, cursors, ``created`` filters.

localstripe lists oldest first and rejects ``created``/``customer`` on payment
intents, which breaks reconciliation code written against real Stripe.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from localstripe.resources import PaymentIntent, store
from localstripe.server import unflatten_data

from devstripe.errors import bad_request

T = TypeVar("T")

_CREATED_OPS: dict[str, Callable[[int, int], bool]] = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _int(value: Any, param: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"Invalid integer: {value!r}", param=param) from None


def created_filter(value: Any) -> Callable[[int], bool]:
    """``created=N`` or ``created[gte]=N`` etc., as Stripe accepts."""
    if value is None:
        return lambda _created: True
    if not isinstance(value, Mapping):
        exact = _int(value, "created")
        return lambda created: created == exact
    bounds: list[tuple[Callable[[int, int], bool], int]] = []
    for op, bound in value.items():
        if op not in _CREATED_OPS:
            raise bad_request(f"Invalid created filter: {op}", param="created")
        bounds.append((_CREATED_OPS[op], _int(bound, f"created[{op}]")))
    return lambda created: all(cmp(created, b) for cmp, b in bounds)


def newest_first(objects: Sequence[T], created: Callable[[T], int]) -> list[T]:
    # Stable sort over reversed insertion order: same-second ties stay newest first.
    return sorted(reversed(objects), key=created, reverse=True)


def paginate(
    items: Sequence[T],
    params: Mapping[str, Any],
    *,
    url: str,
    object_id: Callable[[T], str],
    export: Callable[[T], dict[str, Any]],
) -> dict[str, Any]:
    """A Stripe list object from ``items`` (already filtered, newest first)."""
    limit = _int(params.get("limit", 10), "limit")
    if not 1 <= limit <= 100:
        raise bad_request("limit must be between 1 and 100", param="limit")
    starting_after = params.get("starting_after")
    ending_before = params.get("ending_before")
    ids = [object_id(i) for i in items]
    if starting_after:
        if starting_after not in ids:
            raise bad_request(
                f"No such object: '{starting_after}'", param="starting_after"
            )
        rest = list(items[ids.index(starting_after) + 1 :])
        page, has_more = rest[:limit], len(rest) > limit
    elif ending_before:
        if ending_before not in ids:
            raise bad_request(
                f"No such object: '{ending_before}'", param="ending_before"
            )
        before = list(items[: ids.index(ending_before)])
        page, has_more = before[-limit:], len(before) > limit
    else:
        page, has_more = list(items[:limit]), len(items) > limit
    return {
        "object": "list",
        "url": url,
        "has_more": has_more,
        "data": [export(i) for i in page],
    }


def list_expand(params: Mapping[str, Any]) -> list[str]:
    """``expand[]=data.x`` on a list means ``x`` on each item."""
    expand = params.get("expand") or []
    if isinstance(expand, str):
        expand = [expand]
    return [e.removeprefix("data.") for e in expand]


def list_payment_intents(query: Mapping[str, str]) -> dict[str, Any]:
    params = unflatten_data(query)
    customer = params.get("customer")
    in_range = created_filter(params.get("created"))
    intents = [
        pi
        for key, pi in store.items()
        if key.startswith(PaymentIntent.object + ":")
        and in_range(pi.created)
        and customer in (None, pi.customer)
    ]
    expand = list_expand(params)
    return paginate(
        newest_first(intents, lambda pi: pi.created),
        params,
        url="/v1/payment_intents",
        object_id=lambda pi: pi.id,
        export=lambda pi: pi._export(expand=expand),
    )
