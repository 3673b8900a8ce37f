"""Grants settings from the environment (documented in docs/grants.md)."""

from __future__ import annotations

from common.config import env
from services.grants.domain.reminders import ReminderPolicy
from services.grants.domain.reports import ReportKind


def _days(name: str, default: int) -> int:
    raw = env(name, str(default)).strip()
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name}: {raw!r} is not a whole number of days") from None
    if value < 0:
        raise ValueError(f"{name}: must be zero or more days, not {value}")
    return value


def reminder_policy() -> ReminderPolicy:
    return ReminderPolicy(
        review_window_days=_days("GRANTS_REVIEW_WINDOW_DAYS", 21),
        review_notice_days=_days("GRANTS_REVIEW_REMINDER_DAYS", 3),
        report_notice_days=_days("GRANTS_REPORT_REMINDER_DAYS", 14),
        report_due_days={
            ReportKind.INTERIM: _days("GRANTS_INTERIM_REPORT_DUE_DAYS", 180),
            ReportKind.FINAL: _days("GRANTS_FINAL_REPORT_DUE_DAYS", 365),
            ReportKind.RECEIPTS: _days("GRANTS_RECEIPTS_REPORT_DUE_DAYS", 365),
        },
    )


def daily_interval_seconds() -> float:
    return float(env("GRANTS_DAILY_JOB_INTERVAL_SECONDS", "3600"))
