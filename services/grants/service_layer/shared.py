"""Small helpers every grants use case shares."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from common.errors import NotFound
from services.grants.adapters.unit_of_work import GrantsUnitOfWork

UowFactory = Callable[[], GrantsUnitOfWork]
T = TypeVar("T")


def new_id() -> str:
    return str(uuid.uuid4())


def found(value: T | None, what: str, field: str = "id") -> T:
    if value is None:
        raise NotFound(f"no such {what}", field)
    return value
