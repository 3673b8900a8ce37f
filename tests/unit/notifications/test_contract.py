"""The notifications service implements what contracts/rpc.py promises and
consumes only events the catalogue lists."""

from __future__ import annotations

import inspect

from contracts.events import CATALOGUE
from contracts.rpc import Notifications
from services.notifications.domain.notices import RULES
from services.notifications.service import Service


def _params(fn: object) -> list[str]:
    return [p for p in inspect.signature(fn).parameters if p != "self"]  # type: ignore[arg-type]


def test_every_promised_method_exists_with_its_parameters() -> None:
    promised = {
        name: fn
        for name, fn in vars(Notifications).items()
        if callable(fn) and not name.startswith("_")
    }
    assert {"list_notifications", "resend_notification", "unsubscribe"} <= set(promised)
    for name, fn in promised.items():
        assert hasattr(Service, name), name
        assert _params(getattr(Service, name)) == _params(fn), name


def test_every_event_with_a_rule_is_catalogued_and_consumed() -> None:
    handled = {
        name.removeprefix("on_") for name in vars(Service) if name.startswith("on_")
    }
    for event_type in RULES:
        assert event_type in CATALOGUE, event_type
        assert event_type in handled, event_type
