"""Writes sent together: a transaction's writes in one round trip (fast path
`psycopg2.writes_together`; written for the versions in `WRITTEN_FOR`).

It takes over SQLAlchemy's `do_execute` for psycopg2 and relies on
`cursor.mogrify` rendering exactly what `execute` sends, and on SQLAlchemy's
execution context (`isinsert`, `compiled.effective_returning`) telling which
statements nobody reads an answer of.

psycopg2 sends each statement and waits for its answer. On a busy machine a
wait is a trip through the scheduler for two processes, milliseconds rather
than microseconds: the payments webhook batch spent ~43 ms of wall time on
ten round trips for ~11 ms of its own CPU, while the Stripe deliveries in it
waited. Inside `writes_together`, an INSERT, UPDATE or DELETE without
RETURNING (nobody reads its answer) is not sent when executed: psycopg2
renders it (`cursor.mogrify`, the very text its `execute` sends) and it
waits. The next statement that needs an answer takes the waiting ones along,
ahead of itself, in one query string, which PostgreSQL runs in order as one
simple query whose answer is the last statement's. Leaving the block, and
any commit, sends what still waits; a rollback drops it. An error in a
waiting write surfaces then and fails the transaction, as it would have.

Statements that need a row count (optimistic locking) must stay outside the
block: a waiting write reports none. Hand-written because psycopg2 has no
pipeline mode (psycopg 3 has one, but does not run on eventlet's green
sockets). Other databases run every statement as usual: SQLite, the embedded
default, has no round trips to save.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine.default import DefaultExecutionContext as Context
from sqlalchemy.orm import Session

from common import fastpaths

NAME = "psycopg2.writes_together"
# The versions this module was written for (tests/unit/fastpaths checks the lock).
WRITTEN_FOR = {"psycopg2-binary": "2.9.13", "SQLAlchemy": "2.0.58"}

WAITING = "writes_together"  # key in the DBAPI connection's `info`


def install(engine: Engine) -> None:
    """Let `writes_together` hold back this engine's writes (psycopg2 only)."""
    if engine.dialect.driver != "psycopg2":
        return
    event.listen(engine, "do_execute", _execute)
    event.listen(engine, "do_executemany", _executemany)
    event.listen(engine, "commit", _send_before_commit)
    event.listen(engine, "rollback", _drop)
    event.listen(engine, "checkin", _forget)


@contextmanager
def writes_together(session: Session) -> Iterator[None]:
    """Hold back the block's writes; send them with the next statement that
    needs an answer, or when the block ends. Re-entrant: an inner block
    leaves the sending to the outermost one. A commit or rollback inside
    the block ends the holding back (the connection may go to the pool)."""
    connection = session.connection()
    if (
        not _installed(connection)
        or WAITING in connection.info
        or not fastpaths.on(NAME)
    ):
        yield
        return
    info, waiting = connection.info, list[bytes]()
    info[WAITING] = waiting
    try:
        yield
        if info.get(WAITING) is waiting:  # not ended by a commit or rollback
            send_waiting(connection)
    finally:
        if info.get(WAITING) is waiting:
            del info[WAITING]


def send_waiting(connection: Connection) -> None:
    """Send the writes held back on this connection, if any (they ride on a
    `SELECT 1`)."""
    if connection.info.get(WAITING):
        connection.exec_driver_sql("SELECT 1")


def along_with_next(session: Session, sql: str) -> None:
    """Run `sql` (no parameters, no answer read) in the session's transaction:
    inside a `writes_together` block it waits and rides on the next statement
    that needs an answer (no round trip of its own); elsewhere it runs now."""
    connection = session.connection()
    waiting = connection.info.get(WAITING)
    if waiting is None:
        connection.exec_driver_sql(sql)
    else:
        waiting.append(sql.encode())


def _installed(connection: Connection) -> bool:
    return event.contains(connection.engine, "do_execute", _execute)


def _waiting(context: Context) -> list[bytes] | None:
    try:
        return context.root_connection.info.get(WAITING)
    except NotImplementedError:  # the dialect's first-connect checks have no info
        return None


def _holds_back(context: Context) -> bool:
    compiled: Any = getattr(context, "compiled", None)
    return (
        compiled is not None
        and bool(context.isinsert or context.isupdate or context.isdelete)
        and not compiled.effective_returning
    )


def _execute(
    cursor: Any,  # psycopg2's: `mogrify` renders what `execute` sends
    statement: str,
    parameters: Any,
    context: Context,
) -> bool:
    return _hold_or_send(
        cursor, context, lambda: [cursor.mogrify(statement, parameters)]
    )


def _executemany(
    cursor: Any,
    statement: str,
    parameters: Sequence[Any],
    context: Context,
) -> bool:
    return _hold_or_send(
        cursor, context, lambda: [cursor.mogrify(statement, p) for p in parameters]
    )


def _hold_or_send(
    cursor: Any, context: Context, rendered: Callable[[], list[bytes]]
) -> bool:
    """True when this statement was held back, or sent with those waiting."""
    waiting = _waiting(context)
    if waiting is None:
        return False
    if _holds_back(context):
        waiting.extend(rendered())
        fastpaths.taken[NAME] += 1
        return True
    if not waiting:
        return False  # psycopg2 runs it as usual
    # No parameters: the text is already rendered, `%` and all.
    query = b";\n".join([*waiting, *rendered()])
    waiting.clear()
    cursor.execute(query)
    return True


def _send_before_commit(connection: Connection) -> None:
    # The safety net: a commit never leaves a held-back write behind.
    send_waiting(connection)
    connection.info.pop(WAITING, None)


def _drop(connection: Connection) -> None:
    # An invalidated connection (its server went away) is never reused.
    if not connection.invalidated:
        connection.info.pop(WAITING, None)


def _forget(_dbapi_connection: Any, record: Any) -> None:
    # Closed without commit or rollback: nothing held back outlives the checkout.
    record.info.pop(WAITING, None)
