"""What grants knows about other services' entities, kept from their events.

Each aspect carries the member version (else the time) of the news it came
from, so a late or repeated event never overwrites newer knowledge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from contracts import member_facts as shared


@dataclass
class MemberFacts:
    """Grants' record of a member: `contracts.member_facts`, the read model
    of members every service shares, kept in grants' own table."""

    member_id: str
    name: str = ""
    state: str = ""
    population: int | None = None
    status: str = ""
    good_standing: bool = False
    profile_at: datetime | None = None  # name, state, population
    standing_at: datetime | None = None  # status, good standing
    profile_version: int | None = None
    standing_version: int | None = None

    def learn(self, news: shared.MemberNews) -> bool:
        """Take what `news` tells that is newer; False when nothing is."""
        learned = shared.learn(self._shared(), news)
        if learned is None:
            return False
        self.name = learned.name or ""
        self.state = learned.state or ""
        self.population = learned.population
        self.status = learned.status or ""
        self.good_standing = learned.good_standing
        if learned.profile_stamp is not None:
            self.profile_at = learned.profile_stamp.at
            self.profile_version = learned.profile_stamp.version
        if learned.standing_stamp is not None:
            self.standing_at = learned.standing_stamp.at
            self.standing_version = learned.standing_stamp.version
        return True

    def _shared(self) -> shared.MemberFacts:
        def stamp(version: int | None, at: datetime | None) -> shared.Stamp | None:
            return shared.Stamp(version, at) if at is not None else None

        return shared.MemberFacts(
            self.member_id,
            name=self.name,
            state=self.state,
            population=self.population,
            status=self.status,
            good_standing=self.good_standing,
            profile_stamp=stamp(self.profile_version, self.profile_at),
            standing_stamp=stamp(self.standing_version, self.standing_at),
        )


@dataclass
class PartnershipFacts:
    partnership_id: str
    member_id: str = ""
    partner_city: str = ""
    country: str = ""
    status: str = ""
    recognized: bool = False
    status_at: datetime | None = None
    recognition_at: datetime | None = None

    def learn_identity(self, member_id: str, partner_city: str, country: str) -> None:
        # Who the partners are never changes for one partnership id.
        self.member_id = member_id or self.member_id
        self.partner_city = partner_city or self.partner_city
        self.country = (country or self.country).upper()

    def learn_status(self, at: datetime, status: str) -> bool:
        if self.status_at is not None and at <= self.status_at:
            return False
        self.status = status
        self.status_at = at
        return True

    def learn_recognition(self, at: datetime, recognized: bool) -> bool:
        if self.recognition_at is not None and at <= self.recognition_at:
            return False
        self.recognized = recognized
        self.recognition_at = at
        return True

    @property
    def partner_key(self) -> tuple[str, str]:
        return partner_key(self.partner_city, self.country)


def partner_key(city: str, country: str) -> tuple[str, str]:
    """How two partner communities are compared: case- and space-insensitive."""
    return (" ".join(city.split()).casefold(), country.strip().upper())
