"""Ids that are UUID strings (members, invoices, notifications): anything else
cannot be found, and never reaches a query (PostgreSQL refuses a NUL)."""

from __future__ import annotations

import uuid
from typing import Any


def is_uuid(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
