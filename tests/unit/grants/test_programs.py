"""Programme definitions: validated field by field, drafts editable, then fixed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from common.errors import BadInput, Conflict, Forbidden, NotFound
from common.identity import ANONYMOUS, Identity
from services.grants.domain.program import parse_program
from services.grants.service_layer import programs
from tests.unit.grants import builders as b
from tests.unit.grants.conftest import Harness

STAFF = Identity(sub="s", role="staff")
NOW = datetime(2027, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"name": " "}, "name"),
        ({"areas": ["SPORTS"]}, "areas"),
        ({"opens_at": "2027-01-02T00:00:00"}, "opensAt"),
        ({"closes_at": (NOW - timedelta(days=1)).isoformat()}, "closesAt"),
        ({"budget_cents": 0}, "budgetCents"),
        ({"max_award_cents": 3_000_000}, "maxAwardCents"),
        ({"currency": "US"}, "currency"),
        ({"reviewers_per_application": 0}, "reviewersPerApplication"),
        ({"disagreement_threshold": 101}, "disagreementThreshold"),
        ({"rubric": []}, "rubric"),
        ({"rubric": [{"key": "a", "name": "A", "max_score": 0}]}, "rubric[0].maxScore"),
        (
            {"rubric": [{"key": "a", "name": "A", "max_score": 3, "weight": 0}]},
            "rubric[0].weight",
        ),
        (
            {
                "rubric": [
                    {
                        "key": "a",
                        "name": "A",
                        "max_score": 3,
                        "anchors": [{"score": 4, "text": "x"}],
                    }
                ]
            },
            "rubric[0].anchors.score",
        ),
        (
            {"eligibility": {"partnership_requirement": "SOMETIMES"}},
            "eligibility.partnershipRequirement",
        ),
        (
            {"eligibility": {"allowed_countries": ["Japan"]}},
            "eligibility.allowedCountries",
        ),
        ({"panel": [""]}, "panel"),
    ],
)
def test_each_field_is_validated(change: dict[str, Any], field: str) -> None:
    with pytest.raises(BadInput) as err:
        parse_program(b.program_data(NOW, **change), "p", NOW)
    assert err.value.field == field


def test_a_draft_is_edited_published_then_fixed(grants: Harness) -> None:
    g = grants
    draft = programs.create_program(g.uow, STAFF, b.program_data(g.now()))
    with pytest.raises(NotFound):
        programs.get_program(g.uow, ANONYMOUS, draft["id"])
    with pytest.raises(BadInput, match="unknown reviewers"):
        programs.update_program(
            g.uow, STAFF, draft["id"], b.program_data(g.now(), panel=["nobody"])
        )
    edited = programs.update_program(
        g.uow, STAFF, draft["id"], b.program_data(g.now(), name="Renamed")
    )
    assert edited["name"] == "Renamed" and edited["status"] == "DRAFT"
    published = programs.publish_program(g.uow, STAFF, draft["id"])
    assert published["phase"] == "UPCOMING"
    with pytest.raises(Conflict):
        programs.update_program(g.uow, STAFF, draft["id"], b.program_data(g.now()))
    with pytest.raises(Conflict):
        programs.publish_program(g.uow, STAFF, draft["id"])
    public = programs.get_program(g.uow, ANONYMOUS, draft["id"])
    assert public["awarded_cents"] is None
    assert [p["id"] for p in programs.list_programs(g.uow, ANONYMOUS, "UPCOMING")] == [
        draft["id"]
    ]
    with pytest.raises(Forbidden):
        programs.create_program(
            g.uow, Identity(role="member", member_id="m"), b.program_data(g.now())
        )
