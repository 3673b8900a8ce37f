"""A partnership and its workflow: PROPOSED -> PENDING -> ACTIVE <-> DORMANT,
and TERMINATED from any state but itself. Every change is a recorded Transition."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from common.errors import BadInput, Conflict
from contracts.partnerships import Action, PartnershipType, ProgramArea
from contracts.partnerships import PartnershipStatus as Status
from services.partnerships.domain import geography
from services.partnerships.domain.text import normalize

E = TypeVar("E", bound=StrEnum)


# The workflow: which action leads from which states to which state.
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status]] = {
    Action.AGREEMENT_RECORDED: (frozenset({Status.PROPOSED}), Status.PENDING),
    Action.ACTIVATED: (frozenset({Status.PENDING}), Status.ACTIVE),
    Action.MARKED_DORMANT: (frozenset({Status.ACTIVE}), Status.DORMANT),
    Action.REACTIVATED: (frozenset({Status.DORMANT}), Status.ACTIVE),
    Action.TERMINATED: (
        frozenset(set(Status) - {Status.TERMINATED}),
        Status.TERMINATED,
    ),
}

_HOW_TO_GET_THERE = {
    Action.AGREEMENT_RECORDED: "only a PROPOSED partnership can record its agreement",
    Action.ACTIVATED: "only a PENDING partnership (agreement on file) can be activated",
    Action.MARKED_DORMANT: "only an ACTIVE partnership can become dormant",
    Action.REACTIVATED: "only a DORMANT partnership can be reactivated",
    Action.TERMINATED: "it is already terminated",
}

MAX_NAME = 200
MAX_TEXT = 2000
EARLIEST_SIGNING = date(1900, 1, 1)


@dataclass(frozen=True)
class Actor:
    """Who did it: the subject of the caller's token and their role."""

    sub: str | None
    role: str


@dataclass(frozen=True)
class Transition:
    action: Action
    from_status: Status | None
    to_status: Status
    at: datetime
    actor: Actor
    reason: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Agreement:
    """The U.S. council's resolution of intent and the agreement both signed."""

    council_resolution: str
    signed_on: date
    us_signatory: str
    partner_signatory: str
    document_reference: str

    def as_details(self) -> dict[str, Any]:
        return {
            "council_resolution": self.council_resolution,
            "signed_on": self.signed_on.isoformat(),
            "us_signatory": self.us_signatory,
            "partner_signatory": self.partner_signatory,
            "document_reference": self.document_reference,
        }


@dataclass
class Partnership:
    id: str
    member_id: str
    partner_city: str
    partner_region: str | None
    country: str
    type: PartnershipType
    program_areas: frozenset[ProgramArea]
    status: Status
    agreement: Agreement | None = None
    signed_on: date | None = None  # the latest signing (agreement or re-signing)
    established_year: int | None = None
    recognized: bool = False  # as last computed: see `refresh_recognition`
    history: list[Transition] = field(default_factory=list)
    version: int = 0
    # Transitions made since loading, for the repository to append.
    new_transitions: list[Transition] = field(default_factory=list)

    @property
    def continent(self) -> str:
        return geography.continent_of(self.country)

    @property
    def partner_key(self) -> str:
        """Identity of the partner community: one live partnership per member."""
        return normalize(self.partner_city)

    @property
    def is_live(self) -> bool:
        return self.status is not Status.TERMINATED

    def refresh_recognition(self, member_in_good_standing: bool | None) -> bool:
        """Recompute `recognized`; True if it changed."""
        now = is_recognized(self.status, member_in_good_standing)
        changed = now != self.recognized
        self.recognized = now
        return changed

    # --- the workflow -----------------------------------------------------

    def record_agreement(
        self, agreement: Agreement, actor: Actor, at: datetime
    ) -> None:
        self._move(
            Action.AGREEMENT_RECORDED,
            actor,
            at,
            "agreement signed and resolution on file",
            agreement.as_details(),
        )
        self.agreement = agreement
        self.signed_on = agreement.signed_on
        self.established_year = agreement.signed_on.year

    def activate(self, actor: Actor, at: datetime) -> None:
        self._move(Action.ACTIVATED, actor, at, "verified by staff")

    def mark_dormant(self, reason: str, actor: Actor, at: datetime) -> None:
        self._move(Action.MARKED_DORMANT, actor, at, required_text(reason, "reason"))

    def reactivate(
        self, signed_on: date, actor: Actor, at: datetime, today: date
    ) -> None:
        signed_on = signing_date(signed_on, today, "signedOn")
        if self.signed_on and signed_on < self.signed_on:
            raise BadInput(
                f"the re-signing date is before the last signing ({self.signed_on})",
                "signedOn",
            )
        self._move(
            Action.REACTIVATED,
            actor,
            at,
            "re-signed",
            {"signed_on": signed_on.isoformat()},
        )
        self.signed_on = signed_on

    def terminate(self, reason: str, actor: Actor, at: datetime) -> None:
        self._move(Action.TERMINATED, actor, at, required_text(reason, "reason"))

    def update(self, changes: PartnershipChanges, actor: Actor, at: datetime) -> bool:
        """Edit the description; False if nothing changed. Identity is fixed."""
        if not self.is_live:
            raise Conflict("a terminated partnership cannot be edited")
        before = {
            "type": self.type,
            "program_areas": self.program_areas,
            "partner_region": self.partner_region,
        }
        after = {
            "type": changes.type or self.type,
            "program_areas": (
                self.program_areas
                if changes.program_areas is None
                else changes.program_areas
            ),
            "partner_region": (
                self.partner_region
                if changes.partner_region is None
                else (changes.partner_region or None)
            ),
        }
        diff = {k: v for k, v in after.items() if v != before[k]}
        if not diff:
            return False
        self.type = after["type"]  # type: ignore[assignment]
        self.program_areas = after["program_areas"]  # type: ignore[assignment]
        self.partner_region = after["partner_region"]  # type: ignore[assignment]
        self._record(
            Transition(
                Action.UPDATED,
                self.status,
                self.status,
                at,
                actor,
                changes.reason or "details updated",
                {k: _plain(v) for k, v in diff.items()},
            )
        )
        return True

    def _move(
        self,
        action: Action,
        actor: Actor,
        at: datetime,
        reason: str,
        details: dict[str, Any] | None = None,
    ) -> None:
        allowed_from, to = TRANSITIONS[action]
        if self.status not in allowed_from:
            raise Conflict(
                f"cannot go from {self.status} to {to}: {_HOW_TO_GET_THERE[action]}",
                "status",
            )
        self._record(
            Transition(action, self.status, to, at, actor, reason, details or {})
        )
        self.status = to

    def _record(self, transition: Transition) -> None:
        self.history.append(transition)
        self.new_transitions.append(transition)


@dataclass(frozen=True)
class PartnerCommunity:
    """The validated description of a new partnership, as the API or import gives it."""

    member_id: str
    partner_city: str
    partner_region: str | None
    country: str
    type: PartnershipType
    program_areas: frozenset[ProgramArea]

    @property
    def partner_key(self) -> str:
        return normalize(self.partner_city)


@dataclass(frozen=True)
class PartnershipChanges:
    type: PartnershipType | None = None
    program_areas: frozenset[ProgramArea] | None = None
    partner_region: str | None = None  # "" clears it
    reason: str | None = None


def is_recognized(status: Status, member_in_good_standing: bool | None) -> bool:
    """Recognized = ACTIVE and the member community in good standing."""
    return status is Status.ACTIVE and bool(member_in_good_standing)


def propose(
    partnership_id: str,
    community: PartnerCommunity,
    actor: Actor,
    at: datetime,
    reason: str | None = None,
) -> Partnership:
    p = _new(partnership_id, community)
    p._record(
        Transition(
            Action.PROPOSED,
            None,
            Status.PROPOSED,
            at,
            actor,
            reason or "intent registered",
        )
    )
    return p


def imported(
    partnership_id: str,
    community: PartnerCommunity,
    actor: Actor,
    at: datetime,
    established_year: int | None,
    details: dict[str, Any] | None = None,
) -> Partnership:
    """A partnership taken over from earlier records: ACTIVE, reason `imported`."""
    p = _new(partnership_id, community)
    p.status = Status.ACTIVE
    p.established_year = established_year
    p._record(
        Transition(
            Action.IMPORTED, None, Status.ACTIVE, at, actor, "imported", details or {}
        )
    )
    return p


def _new(partnership_id: str, community: PartnerCommunity) -> Partnership:
    return Partnership(
        id=partnership_id,
        member_id=community.member_id,
        partner_city=community.partner_city,
        partner_region=community.partner_region,
        country=community.country,
        type=community.type,
        program_areas=community.program_areas,
        status=Status.PROPOSED,
    )


# --- input validation: the same rules for the API and the import ------------


def partner_community(data: dict[str, Any]) -> PartnerCommunity:
    """Validate a proposal's fields; BadInput names the first bad field."""
    member_id = identifier(data.get("member_id"), "memberId")
    city = required_name(data.get("partner_city"), "partnerCity")
    if not normalize(city):
        raise BadInput("the partner community needs a name with letters", "partnerCity")
    region = optional_name(data.get("partner_region"), "partnerRegion")
    country = geography.partner_country(data.get("country"), "country")
    kind = enum_value(PartnershipType, data.get("type"), "type")
    areas = program_areas(data.get("program_areas") or [], "programAreas")
    return PartnerCommunity(member_id, city, region, country, kind, areas)


def partnership_changes(data: dict[str, Any]) -> PartnershipChanges:
    unknown = set(data) - {"type", "program_areas", "partner_region", "reason"}
    if unknown:
        first = sorted(unknown)[0]
        raise BadInput(f"cannot change {', '.join(sorted(unknown))}", first)
    return PartnershipChanges(
        type=(
            enum_value(PartnershipType, data["type"], "type")
            if data.get("type") is not None
            else None
        ),
        program_areas=(
            program_areas(data["program_areas"], "programAreas")
            if data.get("program_areas") is not None
            else None
        ),
        partner_region=(
            (optional_name(data["partner_region"], "partnerRegion") or "")
            if data.get("partner_region") is not None
            else None
        ),
        reason=optional_text(data.get("reason"), "reason", MAX_TEXT),
    )


def agreement(data: dict[str, Any], today: date) -> Agreement:
    return Agreement(
        council_resolution=required_name(
            data.get("council_resolution"), "councilResolution"
        ),
        signed_on=signing_date(data.get("signed_on"), today, "signedOn"),
        us_signatory=required_name(data.get("us_signatory"), "usSignatory"),
        partner_signatory=required_name(
            data.get("partner_signatory"), "partnerSignatory"
        ),
        document_reference=required_name(
            data.get("document_reference"), "documentReference"
        ),
    )


def signing_date(raw: object, today: date, field_name: str) -> date:
    if isinstance(raw, date):
        value = raw
    else:
        try:
            value = date.fromisoformat(str(raw or "").strip())
        except ValueError:
            raise BadInput("a date as YYYY-MM-DD is required", field_name) from None
    if value > today:
        raise BadInput(f"a signing date cannot be in the future ({today})", field_name)
    if value < EARLIEST_SIGNING:
        raise BadInput(f"a signing date before {EARLIEST_SIGNING}?", field_name)
    return value


def program_areas(raw: object, field_name: str) -> frozenset[ProgramArea]:
    if not isinstance(raw, list | tuple | set | frozenset):
        raise BadInput("a list of programme areas is required", field_name)
    return frozenset(enum_value(ProgramArea, v, field_name) for v in raw)


def enum_value(kind: type[E], raw: object, field_name: str) -> E:
    try:
        return kind(str(raw or "").strip().upper())
    except ValueError:
        choices = ", ".join(m.value for m in kind)
        raise BadInput(f"{raw!r} is not one of {choices}", field_name) from None


def required_text(raw: object, field_name: str, max_len: int = MAX_TEXT) -> str:
    value = optional_text(raw, field_name, max_len)
    if not value:
        raise BadInput("this field is required", field_name)
    return value


def optional_text(raw: object, field_name: str, max_len: int = MAX_TEXT) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise BadInput("text is required", field_name)
    value = " ".join(raw.split())
    if len(value) > max_len:
        raise BadInput(f"at most {max_len} characters", field_name)
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise BadInput("control characters are not allowed", field_name)
    return value or None


def required_name(raw: object, field_name: str) -> str:
    """A name or reference: one line, and nothing invisible in it."""
    return _visible(required_text(raw, field_name, MAX_NAME), field_name)


def optional_name(raw: object, field_name: str) -> str | None:
    value = optional_text(raw, field_name, MAX_NAME)
    return _visible(value, field_name) if value else value


def _visible(value: str, field_name: str) -> str:
    # Format characters (Unicode Cf) show nothing: bidi controls reorder what
    # is displayed and zero-width ones split or join words unseen, so a name
    # with them can pass for another ("Kobe" + U+200B is not "Kobe").
    for ch in value:
        if unicodedata.category(ch) == "Cf":
            what = unicodedata.name(ch, "a format character")
            raise BadInput(
                f"U+{ord(ch):04X} ({what}) is not allowed: bidi controls and "
                "invisible characters are refused in names",
                field_name,
            )
    return value


MAX_ID = 64


def identifier(raw: object, field_name: str) -> str:
    """An id as given (a partnership's, a member's): printable, 1-64 characters."""
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise BadInput("an id is required", field_name)
    value = str(raw).strip()
    if not value or len(value) > MAX_ID or not value.isprintable():
        raise BadInput("not an id", field_name)
    return value


def _plain(value: object) -> object:
    if isinstance(value, frozenset):
        return sorted(str(v) for v in value)
    return str(value) if isinstance(value, StrEnum) else value
