"""The business date: real by default; tests and demos may set it
(`common.clock.TestClock`, with `MEMBERS_CLOCK_CONTROL` on)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from common.clock_control import TestClock
from common.errors import BadInput, Forbidden
from common.identity import Identity

if TYPE_CHECKING:
    from services.members.service_layer.unit_of_work import UowFactory


def get_clock(uow_factory: UowFactory, caller: Identity) -> dict[str, Any]:
    caller.require_staff()
    with uow_factory() as uow:
        return {"today": uow.clock.today().isoformat()}


def set_clock(uow_factory: UowFactory, caller: Identity, today: Any) -> dict[str, Any]:
    """Set the date the service believes it is (None: the real date again)."""
    caller.require_staff()
    day = parse_date(today, "today") if today is not None else None
    with uow_factory() as uow:
        if not isinstance(uow.clock, TestClock):
            raise Forbidden(
                "the clock can be set only with MEMBERS_CLOCK_CONTROL on", "today"
            )
        uow.clock.move_to(day)
        return {"today": uow.clock.today().isoformat()}


def parse_date(value: Any, field: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BadInput(
            f"{value!r} is not an ISO date such as 2027-01-31", field
        ) from None
