"""Test data for grants: programmes, applications and the other services' news."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

RUBRIC = [
    {
        "key": "impact",
        "name": "Community impact",
        "max_score": 5,
        "weight": 3,
        "anchors": [
            {"score": 0, "text": "none"},
            {"score": 5, "text": "transformative"},
        ],
    },
    {"key": "feasibility", "name": "Feasibility", "max_score": 10, "weight": 2},
    {"key": "budget", "name": "Budget realism", "max_score": 4, "weight": 1},
]


def uid(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def program_data(now: datetime, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": f"Youth exchange {uid()}",
        "description": "One-year exchange grant",
        "areas": ["YOUTH_EDUCATION", "ARTS_CULTURE"],
        "opens_at": (now + timedelta(hours=1)).isoformat(),
        "closes_at": (now + timedelta(days=30)).isoformat(),
        "budget_cents": 2_000_000,
        "max_award_cents": 960_000,
        "currency": "USD",
        "eligibility": {
            "good_standing_required": True,
            "partnership_requirement": "ACTIVE",
            "max_population": 100_000,
            "allowed_countries": ["JP", "MX"],
            "cooling_off_years": 0,
        },
        "rubric": RUBRIC,
        "reviewers_per_application": 2,
        "blind_review": True,
        "disagreement_threshold": 20,
    }
    data.update(overrides)
    return data


def application_data(
    program_id: str, partnership_id: str, **overrides: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "program_id": program_id,
        "partnership_id": partnership_id,
        "area": "YOUTH_EDUCATION",
        "title": "Student exchange 2027",
        "amount_requested_cents": 500_000,
        "narrative": "Twelve students spend a term with our partner city.",
        "budget": [
            {"item": "Travel", "amount_cents": 400_000},
            {"item": "Lodging", "amount_cents": 200_000},
        ],
        "attachments": [{"name": "Letter of support", "ref": "docs://letters/1"}],
    }
    data.update(overrides)
    return data


def member_registered(
    member_id: str,
    name: str,
    population: int | None = 50_000,
    good_standing: bool = True,
    state: str = "OR",
) -> dict[str, Any]:
    return {
        "member_id": member_id,
        "name": name,
        "kind": "CITY",
        "state": state,
        "population": population,
        "status": "ACTIVE" if good_standing else "LAPSED",
        "good_standing": good_standing,
    }


def standing_changed(member_id: str, good_standing: bool) -> dict[str, Any]:
    return {
        "member_id": member_id,
        "old_status": None,
        "new_status": "ACTIVE" if good_standing else "LAPSED",
        "good_standing": good_standing,
        "reason": "test",
        "changed_at": "2026-01-01T00:00:00+00:00",
    }


def partnership_registered(
    partnership_id: str,
    member_id: str,
    city: str,
    country: str = "JP",
    status: str = "ACTIVE",
) -> dict[str, Any]:
    return {
        "partnership_id": partnership_id,
        "member_id": member_id,
        "partner_city": city,
        "country": country,
        "type": "SISTER",
        "status": status,
    }


def partnership_status(
    partnership_id: str, member_id: str, city: str, country: str, new_status: str
) -> dict[str, Any]:
    return {
        "partnership_id": partnership_id,
        "member_id": member_id,
        "partner_city": city,
        "country": country,
        "old_status": None,
        "new_status": new_status,
        "reason": "test",
        "changed_at": "2026-01-01T00:00:00+00:00",
    }
