"""Our own read model of the member communities, fed by the members' events.

Events come in any order and more than once: each part of the record carries
the time of the news it came from, and older news never overwrites newer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class MemberRecord:
    member_id: str
    name: str | None = None
    kind: str | None = None
    state: str | None = None
    population: int | None = None
    status: str | None = None
    good_standing: bool = False  # unknown standing recognizes nothing
    profile_as_of: datetime | None = None
    standing_as_of: datetime | None = None


@dataclass(frozen=True)
class Profile:
    name: str
    kind: str
    state: str
    population: int | None


@dataclass(frozen=True)
class Standing:
    status: str
    good_standing: bool


def _newer(as_of: datetime, known: datetime | None) -> bool:
    return known is None or as_of > known


def apply_profile(
    record: MemberRecord | None, member_id: str, profile: Profile, as_of: datetime
) -> MemberRecord | None:
    """The record with this profile, or None when the news is stale."""
    current = record or MemberRecord(member_id)
    if not _newer(as_of, current.profile_as_of):
        return None
    return replace(
        current,
        name=profile.name,
        kind=profile.kind,
        state=profile.state,
        population=profile.population,
        profile_as_of=as_of,
    )


def apply_standing(
    record: MemberRecord | None,
    member_id: str,
    standing: Standing,
    as_of: datetime,
    extra: dict[str, Any] | None = None,
) -> MemberRecord | None:
    """The record with this standing, or None when the news is stale.

    `extra` may carry `state` / `population` sent along with a status change;
    they are taken only if newer than the profile we hold.
    """
    current = record or MemberRecord(member_id)
    if not _newer(as_of, current.standing_as_of):
        return None
    updated = replace(
        current,
        status=standing.status,
        good_standing=standing.good_standing,
        standing_as_of=as_of,
    )
    extra = extra or {}
    if _newer(as_of, current.profile_as_of):
        if extra.get("state"):
            updated = replace(updated, state=str(extra["state"]))
        if "population" in extra:
            updated = replace(updated, population=extra["population"])
    return updated


def from_snapshot(data: dict[str, Any]) -> tuple[Profile, Standing | None]:
    """A member dict as members' RPC returns it (standing only if shown)."""
    standing = None
    if "good_standing" in data:
        standing = Standing(
            status=str(data.get("status") or ""),
            good_standing=bool(data.get("good_standing")),
        )
    return (
        Profile(
            name=str(data["name"]),
            kind=str(data.get("kind") or ""),
            state=str(data.get("state") or ""),
            population=data.get("population"),
        ),
        standing,
    )
