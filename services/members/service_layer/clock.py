"""The business date: real by default; tests and demos may set it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from common.errors import BadInput, Forbidden
from common.identity import Identity

if TYPE_CHECKING:
    from services.members.service_layer import UowFactory


def get_clock(uow_factory: UowFactory, caller: Identity) -> dict[str, Any]:
    caller.require_staff()
    with uow_factory() as uow:
        return {"today": uow.today().isoformat()}


def set_clock(
    uow_factory: UowFactory, caller: Identity, enabled: bool, today: Any
) -> dict[str, Any]:
    """Set the date the service believes it is (None: the real date again)."""
    caller.require_staff()
    if not enabled:
        raise Forbidden(
            "the clock can be set only with MEMBERS_CLOCK_CONTROL on", "today"
        )
    day = parse_date(today, "today") if today is not None else None
    with uow_factory() as uow:
        uow.set_today(day)
        uow.commit()
        return {"today": uow.today().isoformat()}


def parse_date(value: Any, field: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BadInput(
            f"{value!r} is not an ISO date such as 2027-01-31", field
        ) from None
