"""Disbursements: one per released instalment; staff mark them paid."""

from __future__ import annotations

import uuid

import pytest

from common.envelope import Envelope
from common.errors import BadInput, Conflict, Forbidden
from common.identity import Identity
from services.payments.service_layer import disbursements
from tests.unit.payments.conftest import STAFF, World


def released(instalment_id: str, amount: int = 50_000) -> Envelope:
    return Envelope(
        type="instalment_released",
        producer="grants",
        payload={
            "instalment_id": instalment_id,
            "award_id": "award-1",
            "member_id": "mem-1",
            "amount_cents": amount,
            "currency": "usd",
        },
    )


def test_one_disbursement_per_instalment_however_often_told(world: World) -> None:
    envelope = released("inst-1")
    for _ in range(2):
        disbursements.instalment_released(world.uow, world.clock, envelope)
    # The same instalment in a new envelope (a producer retry) too.
    disbursements.instalment_released(world.uow, world.clock, released("inst-1"))
    page = disbursements.list_disbursements(world.uow, STAFF, None, 10, None)
    assert page["total_count"] == 1
    node = page["edges"][0]["node"]
    assert node["status"] == "SCHEDULED"
    assert node["currency"] == "USD"
    assert len(world.events("disbursement_scheduled")) == 1


def test_mark_paid_once_with_a_reference(world: World) -> None:
    disbursements.instalment_released(world.uow, world.clock, released("inst-2"))
    did = disbursements.list_disbursements(world.uow, STAFF, None, 1, None)["edges"][0][
        "node"
    ]["disbursement_id"]
    with pytest.raises(BadInput):
        disbursements.mark_disbursement_paid(world.uow, STAFF, world.clock, did, " ")
    member = Identity(sub="m", role="member", member_id="mem-1")
    with pytest.raises(Forbidden):
        disbursements.mark_disbursement_paid(world.uow, member, world.clock, did, "X")
    paid = disbursements.mark_disbursement_paid(
        world.uow, STAFF, world.clock, did, "WIRE-123"
    )
    assert paid["status"] == "PAID"
    again = disbursements.mark_disbursement_paid(
        world.uow, STAFF, world.clock, did, "WIRE-123"
    )
    assert again == paid
    with pytest.raises(Conflict):
        disbursements.mark_disbursement_paid(
            world.uow, STAFF, world.clock, did, "WIRE-456"
        )
    (event,) = world.events("disbursement_paid")
    assert event["reference"] == "WIRE-123"
    # The member sees their own disbursements only.
    mine = disbursements.list_disbursements(world.uow, member, None, 10, None)
    assert mine["total_count"] == 1
    other = Identity(sub="o", role="member", member_id=str(uuid.uuid4()))
    assert (
        disbursements.list_disbursements(world.uow, other, None, 10, None)[
            "total_count"
        ]
        == 0
    )


def test_malformed_instalment_is_refused(world: World) -> None:
    bad = released("inst-3", amount=0)
    with pytest.raises(ValueError):
        disbursements.instalment_released(world.uow, world.clock, bad)
