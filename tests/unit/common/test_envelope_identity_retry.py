"""Pure rules of the shared package."""

from __future__ import annotations

import uuid

import pytest

from common import correlation
from common.config import EventRetry
from common.envelope import Envelope
from common.errors import CODES, BadInput, Forbidden, NotFound
from common.identity import ANONYMOUS, Identity


def test_envelope_round_trips_and_has_a_fresh_uuid_per_event() -> None:
    first = Envelope(type="member_registered", producer="members", payload={"a": 1})
    second = Envelope(type="member_registered", producer="members", payload={"a": 1})
    assert first.event_id != second.event_id
    uuid.UUID(first.event_id)
    assert Envelope.from_dict(first.to_dict()) == first


def test_a_body_without_envelope_fields_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="missing 'event_id'"):
        Envelope.from_dict({"type": "x", "producer": "y", "payload": {}})


def test_retry_back_off_doubles_and_is_capped() -> None:
    policy = EventRetry(max_attempts=3, base_delay_ms=1000)
    assert [policy.delay_ms(n) for n in (1, 2, 3)] == [1000, 2000, 4000]
    assert policy.delay_ms(30) == 300_000


def test_identity_travels_as_a_header_and_unknown_roles_are_anonymous() -> None:
    member = Identity(sub="u1", role="member", member_id="m1")
    assert Identity.from_header(member.to_header()) == member
    assert Identity.from_header('{"role": "admin"}') == ANONYMOUS
    assert Identity.from_header(None) == ANONYMOUS


def test_a_member_may_act_only_for_its_own_community() -> None:
    member = Identity(sub="u1", role="member", member_id="m1")
    member.require_member("m1")
    with pytest.raises(Forbidden):
        member.require_member("m2")
    with pytest.raises(Forbidden):
        member.require_staff()
    Identity(sub="s", role="staff").require_member("m2")


def test_errors_keep_their_field_and_map_to_stable_codes() -> None:
    error = BadInput("must be positive", "population")
    assert str(error) == "population: must be positive"
    assert error.args == ("must be positive", "population")
    assert CODES["BadInput"] == "BAD_USER_INPUT"
    assert CODES[NotFound.__name__] == "NOT_FOUND"


def test_log_records_carry_the_correlation_id() -> None:
    import logging

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    correlation.set_current("cid-123")
    try:
        correlation.CorrelationFilter().filter(record)
    finally:
        correlation.set_current(None)
    assert record.correlation_id == "cid-123"  # type: ignore[attr-defined]
