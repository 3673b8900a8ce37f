"""Conflicts of interest, enforced rather than declared.

A reviewer may not review an application when
- OWN_COMMUNITY: it comes from the reviewer's home community;
- PARTNERED_COMMUNITY: the reviewer's home community and the applicant's
  community are partners of each other (either one lists the other as a
  partner city in the U.S.);
- SHARED_PARTNER: the partner community of the partnership applied for is also
  a partner of the reviewer's home community (same city and country).
Terminated partnerships no longer tie two communities.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.grants.domain.facts import MemberFacts, PartnershipFacts, partner_key

HOME_COUNTRY = "US"


@dataclass
class Reviewer:
    reviewer_id: str
    name: str
    home_member_id: str
    active: bool = True
    email: str | None = None  # where assignments are announced (notifications)


@dataclass(frozen=True)
class Community:
    """What conflict checks need to know about one member community."""

    member_id: str
    key: tuple[str, str] | None  # the community as a partner city, if named
    partner_keys: frozenset[tuple[str, str]]


def community_key(name: str) -> tuple[str, str] | None:
    """'Bloomington, IN' and 'Bloomington' both compare as the city 'bloomington'."""
    city = name.split(",")[0].strip()
    return partner_key(city, HOME_COUNTRY) if city else None


def community(
    member_id: str,
    member: MemberFacts | None,
    partnerships: Iterable[PartnershipFacts],
) -> Community:
    return Community(
        member_id=member_id,
        key=community_key(member.name) if member and member.name else None,
        partner_keys=frozenset(
            p.partner_key
            for p in partnerships
            if p.member_id == member_id and p.status != "TERMINATED" and p.partner_city
        ),
    )


def conflict_reasons(
    home: Community,
    applicant: Community,
    applied_partner: tuple[str, str] | None,
) -> list[str]:
    """Why a reviewer from `home` may not review this application (empty: may)."""
    reasons = []
    if home.member_id == applicant.member_id:
        reasons.append("OWN_COMMUNITY: the application comes from your home community")
    elif (home.key is not None and home.key in applicant.partner_keys) or (
        applicant.key is not None and applicant.key in home.partner_keys
    ):
        reasons.append(
            "PARTNERED_COMMUNITY: your home community is partnered with the "
            "applicant's community"
        )
    if applied_partner is not None and applied_partner in home.partner_keys:
        reasons.append(
            "SHARED_PARTNER: your home community is partnered with the partner "
            "community of the partnership applied for"
        )
    return reasons


class ConflictIndex:
    """Answers `reasons(reviewer, application)` fast for a whole round."""

    def __init__(
        self,
        members: dict[str, MemberFacts],
        partnerships: Iterable[PartnershipFacts],
    ) -> None:
        self._members = members
        self._by_member: dict[str, list[PartnershipFacts]] = {}
        self._by_id: dict[str, PartnershipFacts] = {}
        for p in partnerships:
            self._by_member.setdefault(p.member_id, []).append(p)
            self._by_id[p.partnership_id] = p
        self._communities: dict[str, Community] = {}
        self._applied: dict[str, tuple[str, str] | None] = {}

    def community(self, member_id: str) -> Community:
        found = self._communities.get(member_id)
        if found is None:
            found = community(
                member_id,
                self._members.get(member_id),
                self._by_member.get(member_id, ()),
            )
            self._communities[member_id] = found
        return found

    def reasons(
        self, reviewer: Reviewer, member_id: str, partnership_id: str
    ) -> list[str]:
        if partnership_id not in self._applied:
            applied = self._by_id.get(partnership_id)
            self._applied[partnership_id] = (
                applied.partner_key if applied and applied.partner_city else None
            )
        return conflict_reasons(
            self.community(reviewer.home_member_id),
            self.community(member_id),
            self._applied[partnership_id],
        )
