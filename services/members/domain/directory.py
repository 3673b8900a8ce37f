"""Filters of the member directory."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MemberFilter:
    state: str | None = None
    kind: str | None = None
    status: str | None = None
    search: str | None = None  # casefolded substring of the name
