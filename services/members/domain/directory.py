"""Filters of the member directory."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MemberFilter:
    state: str | None = None
    kind: str | None = None
    status: str | None = None
    search: str | None = None  # casefolded substring of the name
    population_missing: bool | None = None  # staff's list of dues waiting
    # A search with no letter or digit (only emoji or punctuation) finds
    # nothing, rather than every name holding a dot.
    matches_nothing: bool = False
