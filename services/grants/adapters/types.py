"""Column types that carry domain values: UTC times, enums, JSON-kept values."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from services.grants.domain.application import Attachment, BudgetLine
from services.grants.domain.program import (
    Criterion,
    Eligibility,
    PartnershipRequirement,
)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes everywhere (SQLite hands back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class _Json(TypeDecorator[Any]):
    impl = JSON
    cache_ok = True

    def dump(self, value: Any) -> Any:
        raise NotImplementedError

    def load(self, value: Any) -> Any:
        raise NotImplementedError

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else self.dump(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else self.load(value)


class StrTuple(_Json):
    def dump(self, value: Any) -> Any:
        return list(value)

    def load(self, value: Any) -> Any:
        return tuple(value)


class ScoreMap(_Json):
    def dump(self, value: Any) -> Any:
        return dict(value)

    def load(self, value: Any) -> Any:
        return {str(k): int(v) for k, v in value.items()}


class BudgetLines(_Json):
    def dump(self, value: Any) -> Any:
        return [asdict(line) for line in value]

    def load(self, value: Any) -> Any:
        return tuple(BudgetLine(d["item"], int(d["amount_cents"])) for d in value)


class Attachments(_Json):
    def dump(self, value: Any) -> Any:
        return [asdict(a) for a in value]

    def load(self, value: Any) -> Any:
        return tuple(Attachment(d["name"], d["ref"]) for d in value)


class Rubric(_Json):
    def dump(self, value: Any) -> Any:
        return [
            {
                "key": c.key,
                "name": c.name,
                "max_score": c.max_score,
                "weight": c.weight,
                "anchors": [{"score": s, "text": t} for s, t in c.anchors.items()],
            }
            for c in value
        ]

    def load(self, value: Any) -> Any:
        return tuple(
            Criterion(
                key=d["key"],
                name=d["name"],
                max_score=int(d["max_score"]),
                weight=float(d["weight"]),
                anchors={int(a["score"]): a["text"] for a in d["anchors"]},
            )
            for d in value
        )


class EligibilityRules(_Json):
    def dump(self, value: Any) -> Any:
        data = asdict(value)
        data["partnership_requirement"] = value.partnership_requirement.value
        data["allowed_countries"] = list(value.allowed_countries)
        return data

    def load(self, value: Any) -> Any:
        return Eligibility(
            good_standing_required=bool(value["good_standing_required"]),
            partnership_requirement=PartnershipRequirement(
                value["partnership_requirement"]
            ),
            max_population=value.get("max_population"),
            allowed_countries=tuple(value.get("allowed_countries") or ()),
            cooling_off_years=int(value.get("cooling_off_years") or 0),
        )
