"""Ids and free text from callers: refused before they reach a query."""

from __future__ import annotations

import re
from typing import Any

from common.errors import BadInput

MAX_ID_LENGTH = 100
# Control characters (PostgreSQL refuses NUL outright); tab and newline are
# fine in free text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_id(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadInput("an id is required", field)
    if len(value) > MAX_ID_LENGTH or _CONTROL.search(value) or "\n" in value:
        raise BadInput("not an id", field)
    return value.strip()


def check_ids(values: Any, field: str) -> list[str]:
    if not isinstance(values, list):
        raise BadInput("a list of ids is required", field)
    return [check_id(v, field) for v in values]


def check_text(value: Any, field: str, max_length: int) -> str:
    """Free text: trimmed, not empty, no control characters."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise BadInput("this is required", field)
    if len(text) > max_length:
        raise BadInput(f"at most {max_length} characters", field)
    if _CONTROL.search(text):
        raise BadInput("no control characters", field)
    return text
