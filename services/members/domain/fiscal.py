"""Fiscal years and the membership policy the organization configures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class FiscalCalendar:
    """A fiscal year starts on (month, day) and is named by the year it ends in.

    With the default January 1 start, fiscal year 2027 is calendar year 2027;
    with a July 1 start it runs 2026-07-01 to 2027-06-30 (the U.S. convention).
    """

    start_month: int = 1
    start_day: int = 1

    def __post_init__(self) -> None:
        # Day 29-31 would not exist in every month/year; keep it simple and safe.
        if not (1 <= self.start_month <= 12 and 1 <= self.start_day <= 28):
            raise ValueError("a fiscal year starts on a month 1-12 and a day 1-28")

    @property
    def _calendar_years(self) -> bool:
        return (self.start_month, self.start_day) == (1, 1)

    def start_of(self, fiscal_year: int) -> date:
        year = fiscal_year if self._calendar_years else fiscal_year - 1
        return date(year, self.start_month, self.start_day)

    def end_of(self, fiscal_year: int) -> date:
        return self.start_of(fiscal_year + 1) - timedelta(days=1)

    def year_of(self, day: date) -> int:
        if self._calendar_years:
            return day.year
        started = (day.month, day.day) >= (self.start_month, self.start_day)
        return day.year + 1 if started else day.year

    def days_in(self, fiscal_year: int) -> int:
        return (self.end_of(fiscal_year) - self.start_of(fiscal_year)).days + 1

    @classmethod
    def parse(cls, text: str) -> FiscalCalendar:
        """From "MM-DD", e.g. "07-01"."""
        month, _, day = text.strip().partition("-")
        return cls(int(month), int(day))


@dataclass(frozen=True)
class MembershipPolicy:
    calendar: FiscalCalendar = FiscalCalendar()
    default_grace_days: int = 30
    # Joiners pay the full year unless the organization turns proration on.
    prorate_joiners: bool = False
