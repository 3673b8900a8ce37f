"""Dialect-aware `INSERT .. ON CONFLICT`: PostgreSQL and SQLite both have it.

Used instead of savepoints: a concurrent insert of the same key waits for the
first transaction and then does nothing, which tells the caller "taken".
(pysqlite's savepoints would also commit too early.)

SQLAlchemy never caches the dialects' own `insert()` (it sets
`inherit_cache = False`), so such a statement was compiled again on every
execution: ~5% of a service's CPU per webhook for the event claims and the
Stripe event log alone. `insert_many_unless_taken` writes the same SQL as a
text statement, with the columns' types, built and compiled once per table,
columns and number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Column, Row, Table, TextClause, bindparam, text
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
    returning = [c.name for c in table.primary_key.columns]
    written = insert_many_unless_taken(
        session, table, [values], returning, [c.name for c in key]
    )
    return bool(written)


def insert_many_unless_taken(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    returning: Sequence[str],
    key: Sequence[str] = (),
) -> list[Row[Any]]:
    """Insert the rows in one round trip, leaving out those whose key (`key`,
    or any unique constraint) is taken; the `returning` columns of those
    written. PostgreSQL and SQLite (>= 3.35) only."""
    written: list[Row[Any]] = []
    if not rows:
        return written
    columns = tuple(rows[0])
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        statement = _insert_unless_taken(
            table, columns, len(chunk), tuple(key), tuple(returning)
        )
        params = {f"{c}_{i}": row[c] for i, row in enumerate(chunk) for c in columns}
        written.extend(session.execute(statement, params))
    return written


# Rows per statement: within SQLite's 32,766 and PostgreSQL's 65,535 bound
# values for tables this wide, and few distinct statements to keep.
CHUNK = 500


@lru_cache(maxsize=512)
def _insert_unless_taken(
    table: Table,
    columns: tuple[str, ...],
    count: int,
    key: tuple[str, ...],
    returning: tuple[str, ...],
) -> TextClause:
    values = ", ".join(
        "(" + ", ".join(f":{c}_{i}" for c in columns) + ")" for i in range(count)
    )
    target = f" ({_names(key)})" if key else ""
    name = ".".join(f'"{n}"' for n in (table.schema, table.name) if n)
    statement = text(
        f"INSERT INTO {name} ({_names(columns)}) VALUES {values} "
        f"ON CONFLICT{target} DO NOTHING RETURNING {_names(returning)}"
    )
    # The columns' types: SQLite stores datetimes as SQLAlchemy's DateTime does.
    return statement.bindparams(
        *(
            bindparam(f"{c}_{i}", type_=table.c[c].type)
            for i in range(count)
            for c in columns
        )
    )


def _names(names: Sequence[str]) -> str:
    """Quoted (any may be a reserved word; ours are all lower case)."""
    return ", ".join(f'"{n}"' for n in names)
