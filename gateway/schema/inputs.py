"""How GraphQL inputs go on the wire to a service."""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import Enum
from typing import Any

import strawberry


def wire(value: Any) -> Any:
    """An input as the service's JSON: snake_case keys, unset fields left out,
    enums by value, dates and times in ISO 8601."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: wire(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not strawberry.UNSET
        }
    if isinstance(value, list):
        return [wire(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return value
