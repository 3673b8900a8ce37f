"""Dialect-aware `INSERT .. ON CONFLICT`: PostgreSQL and SQLite both have it.

Used instead of savepoints: a concurrent insert of the same key waits for the
first transaction and then does nothing, which tells the caller "taken".
(pysqlite's savepoints would also commit too early.)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def dialect_insert(session: Session, table: Table) -> Any:
    """The dialect's own insert (with `on_conflict_*`); SQLite's for others."""
    dialect = session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


def insert_unless_taken(
    session: Session, table: Table, values: dict[str, Any], key: list[Column[Any]]
) -> bool:
    """Insert the row; False (and nothing written) if its key already exists."""
    statement = (
        dialect_insert(session, table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=key)
        .returning(*table.primary_key.columns)
    )
    return session.execute(statement).first() is not None
