"""Grant programmes: what a programme offers, to whom, and how it is scored."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from common.errors import BadInput, Conflict
from contracts.grants import PartnershipRequirement, ProgramPhase, ProgramStatus
from services.grants.domain.facts import MemberFacts

PROGRAM_AREAS = (
    "ARTS_CULTURE",
    "YOUTH_EDUCATION",
    "BUSINESS_TRADE",
    "COMMUNITY_DEVELOPMENT",
)
DEFAULT_DISAGREEMENT_THRESHOLD = 20.0


@dataclass(frozen=True)
class Eligibility:
    good_standing_required: bool = True
    partnership_requirement: PartnershipRequirement = PartnershipRequirement.ACTIVE
    max_population: int | None = None
    allowed_countries: tuple[str, ...] = ()  # ISO alpha-2; empty: any country
    cooling_off_years: int = 0


@dataclass(frozen=True)
class Criterion:
    """One rubric line; scores are whole numbers from 0 to `max_score`."""

    key: str
    name: str
    max_score: int
    weight: float
    anchors: dict[int, str] = field(default_factory=dict)


@dataclass
class Program:
    id: str
    name: str
    description: str
    areas: tuple[str, ...]
    opens_at: datetime
    closes_at: datetime
    budget_cents: int
    max_award_cents: int
    currency: str
    eligibility: Eligibility
    rubric: tuple[Criterion, ...]
    reviewers_per_application: int
    blind_review: bool
    disagreement_threshold: float
    status: ProgramStatus
    created_at: datetime
    published_at: datetime | None = None
    # The review panel: reviewer ids; empty means every active reviewer.
    panel: tuple[str, ...] = ()

    def phase(self, now: datetime) -> ProgramPhase:
        if self.status is ProgramStatus.DRAFT:
            return ProgramPhase.DRAFT
        if now < self.opens_at:
            return ProgramPhase.UPCOMING
        if now < self.closes_at:
            return ProgramPhase.OPEN
        return ProgramPhase.CLOSED

    def publish(self, now: datetime) -> None:
        if self.status is ProgramStatus.PUBLISHED:
            raise Conflict("the programme is already published", "id")
        if now >= self.opens_at:
            raise Conflict(
                "a programme must be published before it opens: move its opening "
                "time later first",
                "opensAt",
            )
        self.status = ProgramStatus.PUBLISHED
        self.published_at = now

    def require_open(self, now: datetime) -> None:
        phase = self.phase(now)
        if phase is ProgramPhase.UPCOMING:
            raise Conflict(
                f"the programme opens for submissions at {self.opens_at.isoformat()}",
                "programId",
            )
        if phase is ProgramPhase.CLOSED:
            raise Conflict(
                "the deadline has passed: submissions closed at "
                f"{self.closes_at.isoformat()}",
                "programId",
            )
        if phase is ProgramPhase.DRAFT:
            raise Conflict("the programme is not published", "programId")

    def criterion(self, key: str) -> Criterion | None:
        return next((c for c in self.rubric if c.key == key), None)


def announcement_audience(
    program: Program, members: Iterable[MemberFacts]
) -> list[str]:
    """Whom a published grant round is announced to: the member communities
    that could apply as far as grants knows them (in good standing when the
    programme asks for it, else any not cancelled; not above its population
    limit). Partnerships and cooling-off are checked when they apply."""
    rules = program.eligibility
    audience = []
    for m in members:
        if not m.status or m.status == "CANCELLED":
            continue
        if rules.good_standing_required and not m.good_standing:
            continue
        if (
            rules.max_population is not None
            and m.population is not None
            and m.population > rules.max_population
        ):
            continue
        audience.append(m.member_id)
    return sorted(audience)


def _text(value: object, field_name: str, max_len: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadInput("must be text", field_name)
    value = value.strip()
    if required and not value:
        raise BadInput("is required", field_name)
    if len(value) > max_len:
        raise BadInput(f"must be at most {max_len} characters", field_name)
    return value


def _int(value: object, field_name: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput("must be a whole number", field_name)
    if value < minimum:
        raise BadInput(f"must be at least {minimum}", field_name)
    return value


def _number(value: object, field_name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadInput("must be a number", field_name)
    return float(value)


def _currency(value: object) -> str:
    code = _text(value or "USD", "currency", 3).upper()
    if len(code) != 3 or not code.isalpha():
        raise BadInput("must be a three-letter ISO 4217 code", "currency")
    return code


def parse_time(value: object, field_name: str) -> datetime:
    """An ISO 8601 time with its zone (a naive time is ambiguous: refused)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise BadInput("is not an ISO 8601 time", field_name) from None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise BadInput("must be an ISO 8601 time with a time zone", field_name)
    return value.astimezone(UTC)


def parse_eligibility(data: dict[str, object] | None) -> Eligibility:
    data = data or {}
    base = "eligibility."
    requirement = str(data.get("partnership_requirement", "ACTIVE")).upper()
    if requirement not in PartnershipRequirement.__members__:
        raise BadInput(
            "must be NONE, ACTIVE or RECOGNIZED", base + "partnershipRequirement"
        )
    max_population = data.get("max_population")
    if max_population is not None:
        max_population = _int(max_population, base + "maxPopulation", 1)
    countries_raw = data.get("allowed_countries") or []
    if not isinstance(countries_raw, list | tuple):
        raise BadInput("must be a list of country codes", base + "allowedCountries")
    countries = []
    for code in countries_raw:
        if not isinstance(code, str) or len(code.strip()) != 2:
            raise BadInput(
                f"{code!r} is not an ISO 3166-1 alpha-2 code",
                base + "allowedCountries",
            )
        countries.append(code.strip().upper())
    standing = data.get("good_standing_required", True)
    if not isinstance(standing, bool):
        raise BadInput("must be true or false", base + "goodStandingRequired")
    return Eligibility(
        good_standing_required=standing,
        partnership_requirement=PartnershipRequirement(requirement),
        max_population=max_population,
        allowed_countries=tuple(sorted(set(countries))),
        cooling_off_years=_int(
            data.get("cooling_off_years", 0), base + "coolingOffYears"
        ),
    )


def parse_rubric(items: object) -> tuple[Criterion, ...]:
    if not isinstance(items, list | tuple) or not items:
        raise BadInput("needs at least one criterion", "rubric")
    criteria: list[Criterion] = []
    for i, raw in enumerate(items):
        where = f"rubric[{i}]."
        if not isinstance(raw, dict):
            raise BadInput("must be an object", f"rubric[{i}]")
        key = _text(raw.get("key"), where + "key", 40)
        if any(c.key == key for c in criteria):
            raise BadInput(f"criterion key {key!r} is used twice", where + "key")
        max_score = _int(raw.get("max_score"), where + "maxScore", 1)
        if max_score > 100:
            raise BadInput("must be at most 100", where + "maxScore")
        weight = _number(raw.get("weight", 1), where + "weight")
        if weight <= 0:
            raise BadInput("must be greater than zero", where + "weight")
        anchors: dict[int, str] = {}
        for anchor in raw.get("anchors") or []:
            level = _int(anchor.get("score"), where + "anchors.score")
            if level > max_score:
                raise BadInput(
                    f"score level {level} is above the maximum {max_score}",
                    where + "anchors.score",
                )
            anchors[level] = _text(anchor.get("text"), where + "anchors.text", 500)
        criteria.append(
            Criterion(
                key=key,
                name=_text(raw.get("name"), where + "name", 200),
                max_score=max_score,
                weight=weight,
                anchors=dict(sorted(anchors.items())),
            )
        )
    return tuple(criteria)


def parse_program(data: dict[str, object], program_id: str, now: datetime) -> Program:
    """Validate a whole programme definition (staff input, snake_case keys)."""
    name = _text(data.get("name"), "name", 200)
    description = _text(data.get("description"), "description", 5000, required=False)
    areas_raw = data.get("areas") or []
    if not isinstance(areas_raw, list | tuple) or not areas_raw:
        raise BadInput("needs at least one programme area", "areas")
    areas = []
    for area in areas_raw:
        if area not in PROGRAM_AREAS:
            raise BadInput(
                f"{area!r} is not one of {', '.join(PROGRAM_AREAS)}", "areas"
            )
        areas.append(str(area))
    opens_at = parse_time(data.get("opens_at"), "opensAt")
    closes_at = parse_time(data.get("closes_at"), "closesAt")
    if closes_at <= opens_at:
        raise BadInput("must be after the opening time", "closesAt")
    budget = _int(data.get("budget_cents"), "budgetCents", 1)
    max_award = _int(data.get("max_award_cents"), "maxAwardCents", 1)
    if max_award > budget:
        raise BadInput("cannot exceed the programme's total budget", "maxAwardCents")
    reviewers = _int(
        data.get("reviewers_per_application", 2), "reviewersPerApplication", 1
    )
    if reviewers > 10:
        raise BadInput("must be at most 10", "reviewersPerApplication")
    blind = data.get("blind_review", False)
    if not isinstance(blind, bool):
        raise BadInput("must be true or false", "blindReview")
    threshold = _number(
        data.get("disagreement_threshold", DEFAULT_DISAGREEMENT_THRESHOLD),
        "disagreementThreshold",
    )
    if not 0 <= threshold <= 100:
        raise BadInput("must be between 0 and 100 points", "disagreementThreshold")
    panel_raw = data.get("panel") or []
    if not isinstance(panel_raw, list | tuple) or not all(
        isinstance(r, str) and r.strip() for r in panel_raw
    ):
        raise BadInput("must be a list of reviewer ids", "panel")
    return Program(
        id=program_id,
        name=name,
        description=description,
        areas=tuple(dict.fromkeys(areas)),
        opens_at=opens_at,
        closes_at=closes_at,
        budget_cents=budget,
        max_award_cents=max_award,
        currency=_currency(data.get("currency")),
        eligibility=parse_eligibility(data.get("eligibility")),  # type: ignore[arg-type]
        rubric=parse_rubric(data.get("rubric")),
        reviewers_per_application=reviewers,
        blind_review=blind,
        disagreement_threshold=threshold,
        status=ProgramStatus.DRAFT,
        created_at=now,
        panel=tuple(sorted({r.strip() for r in panel_raw})),
    )
