"""The partnerships service implements what contracts/rpc.py promises, emits
only catalogued events, and consumes the members' events it names."""

from __future__ import annotations

import inspect
import typing

from contracts.events import CATALOGUE, PartnershipRegistered
from contracts.rpc import Partnerships
from services.partnerships.domain.model import Actor as _Actor
from services.partnerships.domain.model import (
    PartnerCommunity,
    PartnershipType,
    propose,
)
from services.partnerships.service import Service
from services.partnerships.service_layer import events


def _params(fn: object) -> list[str]:
    return [p for p in inspect.signature(fn).parameters if p != "self"]  # type: ignore[arg-type]


def test_every_promised_method_exists_with_its_parameters() -> None:
    promised = {
        name: fn
        for name, fn in vars(Partnerships).items()
        if callable(fn) and not name.startswith("_")
    }
    assert {"propose_partnership", "search_partnerships", "partner_suggestions"} <= (
        set(promised)
    )
    for name, fn in promised.items():
        assert hasattr(Service, name), name
        assert _params(getattr(Service, name)) == _params(fn), name


def test_events_we_emit_are_catalogued_with_their_fields() -> None:
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    p = propose(
        "p1",
        PartnerCommunity("m1", "Kobe", None, "JP", PartnershipType.SISTER, frozenset()),
        _Actor("s", "staff"),
        now,
    )
    for event_type, payload in (
        events.registered(p),
        events.status_changed(p, None, now),
        events.recognition_changed("p1", "m1", True, now),
    ):
        entry = CATALOGUE[event_type]
        assert entry.producer == "partnerships"
        hints = typing.get_type_hints(entry.payload)
        assert set(payload) <= set(hints), event_type
        required = entry.payload.__required_keys__  # type: ignore[attr-defined]
        assert required <= set(payload), event_type
    assert "program_areas" in typing.get_type_hints(PartnershipRegistered)


def test_consumed_events_come_from_members() -> None:
    for name in ("member_registered", "member_updated", "membership_status_changed"):
        assert CATALOGUE[name].producer == "members"
