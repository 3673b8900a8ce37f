"""What grants knows about other services' entities, kept from their events.

Each aspect carries the time of the news it came from, so a late or repeated
event never overwrites newer knowledge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class MemberFacts:
    member_id: str
    name: str = ""
    state: str = ""
    population: int | None = None
    status: str = ""
    good_standing: bool = False
    profile_at: datetime | None = None  # name, state, population
    standing_at: datetime | None = None  # status, good standing

    def learn_profile(
        self,
        at: datetime,
        name: str | None = None,
        state: str | None = None,
        population: int | None = None,
        population_known: bool = False,
    ) -> bool:
        if self.profile_at is not None and at <= self.profile_at:
            return False
        if name is not None:
            self.name = name
        if state is not None:
            self.state = state
        if population_known:
            self.population = population
        self.profile_at = at
        return True

    def learn_standing(self, at: datetime, status: str, good_standing: bool) -> bool:
        if self.standing_at is not None and at <= self.standing_at:
            return False
        self.status = status
        self.good_standing = good_standing
        self.standing_at = at
        return True


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
