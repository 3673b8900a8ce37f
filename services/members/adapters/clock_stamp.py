"""Timestamps written on rows (real time, unlike the business date)."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
