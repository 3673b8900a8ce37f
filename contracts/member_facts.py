"""The read model other services keep of members, from the members' events:
one reading of that news and one rule for which news is newer (grants'
member facts, partnerships' member records). Pure: no framework.

Events arrive in any order and more than once. Each piece of news carries a
`Stamp`: the member's `version` (`contracts.events`: +1 on every change of the
member) and, for news without one, the time it was published. A read model
keeps the stamp of what it holds, per part of the record (the profile, the
standing), and takes news only when its stamp supersedes that one, so a late
or repeated event never overwrites newer facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

PROFILE_EVENTS = ("member_registered", "member_updated")
STANDING_EVENTS = ("member_registered", "membership_status_changed")


@dataclass(frozen=True)
class Stamp:
    version: int | None  # the member's version; None when the news had none
    at: datetime  # when the news was published (the envelope's occurred_at)

    def supersedes(self, known: Stamp | None) -> bool:
        """Newer than what a read model holds: a higher version when both
        have one (an equal one is the same news), else a later time."""
        if known is None:
            return True
        if self.version is not None and known.version is not None:
            return self.version > known.version
        return self.at > known.at


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


@dataclass(frozen=True)
class MemberNews:
    member_id: str
    stamp: Stamp
    profile: Profile | None = None  # the whole profile, when the news has it
    standing: Standing | None = None
    # What a status change carries of the profile (`state`, `population`).
    located: Mapping[str, Any] | None = None


def occurred_at(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def read(event_type: str, payload: Mapping[str, Any], published_at: str) -> MemberNews:
    """The news in a members' event (`member_registered`, `member_updated`,
    `membership_status_changed`)."""
    version = payload.get("version")
    stamp = Stamp(
        int(version) if version is not None else None, occurred_at(published_at)
    )
    profile = standing = located = None
    if event_type in PROFILE_EVENTS:
        profile = _profile(payload)
    if event_type == "member_registered":
        standing = Standing(
            str(payload.get("status") or ""), bool(payload.get("good_standing"))
        )
    if event_type == "membership_status_changed":
        standing = Standing(str(payload["new_status"]), bool(payload["good_standing"]))
        located = {k: payload[k] for k in ("state", "population") if k in payload}
    return MemberNews(str(payload["member_id"]), stamp, profile, standing, located)


def from_snapshot(member_id: str, data: Mapping[str, Any], at: datetime) -> MemberNews:
    """A member as members' RPC returns it (`at`: when asked); its standing
    only if the caller was shown it."""
    standing = None
    if "good_standing" in data:
        standing = Standing(
            str(data.get("status") or ""), bool(data.get("good_standing"))
        )
    version = data.get("version")
    return MemberNews(
        member_id,
        Stamp(int(version) if version is not None else None, at),
        _profile(data),
        standing,
    )


def _profile(data: Mapping[str, Any]) -> Profile:
    return Profile(
        name=str(data["name"]),
        kind=str(data.get("kind") or ""),
        state=str(data.get("state") or ""),
        population=data.get("population"),
    )


@dataclass(frozen=True)
class MemberFacts:
    """A read model's record of one member; each part keeps the stamp of the
    news it came from."""

    member_id: str
    name: str | None = None
    kind: str | None = None
    state: str | None = None
    population: int | None = None
    status: str | None = None
    good_standing: bool = False  # unknown standing recognizes nothing
    profile_stamp: Stamp | None = None  # name, kind, state, population
    standing_stamp: Stamp | None = None  # status, good standing


def learn(facts: MemberFacts | None, news: MemberNews) -> MemberFacts | None:
    """`facts` with what `news` tells that is newer, or None when nothing is
    (stale or repeated news: leave the record alone)."""
    current = facts or MemberFacts(news.member_id)
    learned = current
    if news.profile is not None and news.stamp.supersedes(current.profile_stamp):
        p = news.profile
        learned = replace(
            learned,
            name=p.name,
            kind=p.kind,
            state=p.state,
            population=p.population,
            profile_stamp=news.stamp,
        )
    if news.standing is not None and news.stamp.supersedes(current.standing_stamp):
        learned = replace(
            learned,
            status=news.standing.status,
            good_standing=news.standing.good_standing,
            standing_stamp=news.stamp,
        )
        # A status change says where the member is as of its version: taken
        # when newer than the profile held (whose stamp stays: no name came).
        located = news.located or {}
        if news.stamp.supersedes(current.profile_stamp):
            if located.get("state"):
                learned = replace(learned, state=str(located["state"]))
            if "population" in located:
                learned = replace(learned, population=located["population"])
    return None if learned == current and facts is not None else learned
