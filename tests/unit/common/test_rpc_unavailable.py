"""Which failures of an RPC handler its caller sees as UNAVAILABLE (retry)
rather than as an internal error (common.nameko_ext.rpc.as_unavailable)."""

from __future__ import annotations

import amqp
import kombu.exceptions
import psycopg2
from nameko.exceptions import RemoteError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from common.errors import Unavailable
from common.nameko_ext.rpc import as_unavailable


def test_the_database_not_serving_is_unavailable() -> None:
    full = OperationalError(
        None, None, psycopg2.OperationalError("FATAL: too many clients already")
    )
    for exc in (full, PoolTimeout("QueuePool limit of size 20 overflow 5 reached")):
        answer = as_unavailable("members", exc)
        assert isinstance(answer, Unavailable)
        assert answer.message == (
            "members cannot serve this just now (its database is not answering); "
            "try again shortly"
        )


def test_a_called_service_that_was_unavailable_makes_this_call_unavailable() -> None:
    answer = as_unavailable("payments", RemoteError("Unavailable", "members is down"))
    assert isinstance(answer, Unavailable)
    assert "a service it needs is not answering" in answer.message


def test_bugs_and_refusals_stay_what_they_are() -> None:
    for exc in (
        RuntimeError("a bug"),
        IntegrityError(None, None, psycopg2.IntegrityError("duplicate key")),
        RemoteError("RuntimeError", "a bug over there"),
        RemoteError("Conflict", "already registered"),
    ):
        assert as_unavailable("members", exc) is None


def test_the_broker_failing_a_call_to_another_service_is_unavailable() -> None:
    for exc in (
        kombu.exceptions.OperationalError("[Errno 111] Connection refused"),
        amqp.exceptions.ConnectionForced("CONNECTION_FORCED - broker shutdown"),
        amqp.exceptions.RecoverableConnectionError("connection already closed"),
        amqp.exceptions.MessageNacked(),
        ConnectionResetError(104, "Connection reset by peer"),
    ):
        answer = as_unavailable("payments", exc)
        assert isinstance(answer, Unavailable), exc
        assert "its broker connection is failing over" in answer.message
        assert "Errno" not in answer.message  # the detail is for the log
