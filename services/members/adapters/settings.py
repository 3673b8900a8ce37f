"""Members settings from the environment (documented in docs/members.md)."""

from __future__ import annotations

from common import production
from common.config import env
from services.members.domain.fiscal import FiscalCalendar, MembershipPolicy


def _flag(name: str) -> bool:
    return env(name, "false").strip().lower() in ("1", "true", "yes", "on")


def policy() -> MembershipPolicy:
    return MembershipPolicy(
        calendar=FiscalCalendar.parse(env("MEMBERS_FISCAL_YEAR_START", "01-01")),
        default_grace_days=int(env("MEMBERS_GRACE_DAYS", "30")),
        prorate_joiners=_flag("MEMBERS_PRORATE_JOINERS"),
    )


def clock_control_enabled() -> bool:
    """Tests and demos may set the business date; never on in production."""
    return _flag("MEMBERS_CLOCK_CONTROL")


def daily_interval_seconds() -> float:
    return float(env("MEMBERS_DAILY_JOB_INTERVAL_SECONDS", "3600"))


def production_problems() -> list[str | None]:
    """Settings members refuses to run with in production (common.production)."""
    return [production.on_problem("MEMBERS_CLOCK_CONTROL")]
