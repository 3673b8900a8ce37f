"""Keyset pages over (timestamp, id), newest first, with opaque cursors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from common.errors import BadInput
from contracts.page import decode_time_cursor, encode_time_cursor

MAX_PAGE = 100


def check_first(first: int | None) -> int:
    if first is None:
        return 20
    if isinstance(first, bool) or not isinstance(first, int) or first < 0:
        raise BadInput("must be a whole number from 0", "first")
    if first > MAX_PAGE:
        raise BadInput(f"at most {MAX_PAGE} per page", "first")
    return first


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    cursors: list[str]
    total_count: int
    has_next_page: bool


def fetch_page(
    session: Session,
    query: Select[Any],
    at_column: ColumnElement[Any],
    key_column: ColumnElement[Any],
    first: int | None,
    after: str | None,
) -> Page:
    """`query` filtered but not ordered; rows must carry both key columns."""
    size = check_first(first)
    total = session.execute(
        select(func.count()).select_from(query.order_by(None).subquery())
    ).scalar_one()
    if after:
        at, key = decode_time_cursor(after)
        query = query.where(
            or_(at_column < at, and_(at_column == at, key_column < key))
        )
    rows = list(
        session.execute(
            query.order_by(at_column.desc(), key_column.desc()).limit(size + 1)
        ).all()
    )
    more = len(rows) > size
    rows = rows[:size]
    at_name, key_name = at_column.key, key_column.key
    cursors = [
        encode_time_cursor(getattr(r, str(at_name)), str(getattr(r, str(key_name))))
        for r in rows
    ]
    return Page(rows, cursors, int(total), more)
