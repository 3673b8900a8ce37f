"""Small helpers every grants use case shares."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from common.errors import BadInput, NotFound

T = TypeVar("T")


def new_id() -> str:
    return str(uuid.uuid4())


def found(value: T | None, what: str, field: str = "id") -> T:
    if value is None:
        raise NotFound(f"no such {what}", field)
    return value


P = ParamSpec("P")
BIGINT = 2**63


def _scan(value: object, where: str) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise BadInput("must not contain NUL characters", where)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not -BIGINT < value < BIGINT:
            raise BadInput("is out of range", where)
    elif isinstance(value, dict):
        for key, item in value.items():
            _scan(item, str(key))
    elif isinstance(value, list | tuple):
        for item in value:
            _scan(item, where)


def clean_input(handler: Callable[P, T]) -> Callable[P, T]:
    """Refuse what no database column can hold (NUL characters, huge numbers)
    as bad input, before the handler runs, instead of failing deep inside."""

    @functools.wraps(handler)
    def checked(*args: P.args, **kwargs: P.kwargs) -> T:
        for value in (*args[2:], *kwargs.values()):
            _scan(value, "input")
        return handler(*args, **kwargs)

    return checked
