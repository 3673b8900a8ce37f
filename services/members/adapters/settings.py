"""Members settings from the environment (documented in docs/members.md)."""

from __future__ import annotations

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


def daily_interval_seconds() -> float:
    return float(env("MEMBERS_DAILY_JOB_INTERVAL_SECONDS", "3600"))
