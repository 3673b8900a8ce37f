"""Pure rules: weighted scores, disagreement, assignment balance and conflicts."""

from __future__ import annotations

import random

import pytest

from common.errors import BadInput
from services.grants.domain.assignment import Need, plan_assignments
from services.grants.domain.conflicts import ConflictIndex, Reviewer, conflict_reasons
from services.grants.domain.facts import MemberFacts, PartnershipFacts, partner_key
from services.grants.domain.program import parse_rubric
from services.grants.domain.review import summarize, validate_scores, weighted_total
from tests.unit.grants.builders import RUBRIC

rubric = parse_rubric(RUBRIC)


def test_weighted_total_matches_a_hand_computation() -> None:
    # impact 4/5 * 3 = 2.4; feasibility 7/10 * 2 = 1.4; budget 2/4 * 1 = 0.5
    # (2.4 + 1.4 + 0.5) / (3 + 2 + 1) * 100 = 4.3 / 6 * 100 = 71.666...
    total = weighted_total(rubric, {"impact": 4, "feasibility": 7, "budget": 2})
    assert total == pytest.approx(71.6667, abs=1e-4)
    assert weighted_total(rubric, {"impact": 5, "feasibility": 10, "budget": 4}) == 100
    assert weighted_total(rubric, {"impact": 0, "feasibility": 0, "budget": 0}) == 0


def test_spread_and_disagreement_flag() -> None:
    s = summarize([90.0, 65.0], threshold=20)
    assert (s.score, s.spread, s.disagreement) == (77.5, 25.0, True)
    s = summarize([70.0, 80.0], threshold=20)
    assert (s.spread, s.disagreement) == (10.0, False)
    assert summarize([], 20).score is None


@pytest.mark.parametrize(
    "scores, message",
    [
        ({"impact": 4, "feasibility": 7}, "'budget' is not scored"),
        ({"impact": 6, "feasibility": 7, "budget": 2}, "from 0 to 5"),
        ({"impact": -1, "feasibility": 7, "budget": 2}, "from 0 to 5"),
        ({"impact": 2.5, "feasibility": 7, "budget": 2}, "whole number"),
        ({"impact": 1, "feasibility": 7, "budget": 2, "extra": 1}, "not in the rubric"),
    ],
)
def test_scores_are_validated_against_the_rubric(scores: dict, message: str) -> None:
    with pytest.raises(BadInput, match=message) as err:
        validate_scores(rubric, scores)
    assert err.value.field == "scores"


def _needs(n: int, per: int) -> list[Need]:
    return [Need(f"a{i:04d}", per, f"2026-01-01T00:{i % 60:02d}") for i in range(n)]


def test_assignment_is_even_without_conflicts() -> None:
    reviewers = [f"r{i:02d}" for i in range(7)]
    plan = plan_assignments(_needs(50, 3), reviewers, {}, lambda r, a: True)
    loads = plan.load.values()
    assert max(loads) - min(loads) <= 1
    assert sum(loads) == 150 and not plan.shortfall
    by_app: dict[str, set[str]] = {}
    for a, r in plan.pairs:
        by_app.setdefault(a, set()).add(r)
    assert all(len(rs) == 3 for rs in by_app.values())


def test_assignment_is_deterministic_whatever_the_input_order() -> None:
    reviewers = [f"r{i:02d}" for i in range(9)]
    needs = _needs(40, 2)

    def allowed(r: str, a: str) -> bool:
        return (int(r[1:]) + int(a[1:])) % 4 != 0

    first = plan_assignments(needs, reviewers, {}, allowed)
    shuffled = needs[:]
    random.Random(7).shuffle(shuffled)
    again = plan_assignments(shuffled, list(reversed(reviewers)), {}, allowed)
    assert first.pairs == again.pairs


def test_assignment_never_crosses_a_conflict_and_stays_balanced() -> None:
    reviewers = [f"r{i:02d}" for i in range(10)]

    def allowed(r: str, a: str) -> bool:
        return (int(r[1:]) * 7 + int(a[1:])) % 5 != 0

    plan = plan_assignments(_needs(100, 3), reviewers, {}, allowed)
    assert all(allowed(r, a) for a, r in plan.pairs)
    assert max(plan.load.values()) - min(plan.load.values()) <= 1
    assert not plan.shortfall


def test_shortfall_when_conflicts_leave_too_few_reviewers() -> None:
    plan = plan_assignments(
        [Need("a1", 3, "t")], ["r1", "r2", "r3"], {}, lambda r, a: r != "r2"
    )
    assert plan.shortfall == {"a1": 1}
    assert sorted(r for _, r in plan.pairs) == ["r1", "r3"]


def test_existing_load_is_evened_out() -> None:
    plan = plan_assignments(
        _needs(4, 1), ["r1", "r2", "r3"], {"r1": 3}, lambda r, a: True
    )
    assert plan.load == {"r1": 3, "r2": 2, "r3": 2}


def _partnership(pid: str, member: str, city: str, country: str) -> PartnershipFacts:
    p = PartnershipFacts(partnership_id=pid)
    p.learn_identity(member, city, country)
    p.status = "ACTIVE"
    return p


def test_each_conflict_rule() -> None:
    members = {
        "m-home": MemberFacts("m-home", name="Bend"),
        "m-app": MemberFacts("m-app", name="Eugene"),
        "m-other": MemberFacts("m-other", name="Salem"),
    }
    partnerships = [
        _partnership("p1", "m-home", "Kitakata", "JP"),
        _partnership("p2", "m-app", "Kitakata", "jp"),  # shares Bend's partner
        _partnership("p3", "m-app", "Bend", "US"),  # Eugene partnered with Bend
        _partnership("p4", "m-other", "Guadalajara", "MX"),
    ]
    index = ConflictIndex(members, partnerships)
    reviewer = Reviewer("rv", "Ann", "m-home")
    assert index.reasons(reviewer, "m-home", "p1")[0].startswith("OWN_COMMUNITY")
    reasons = index.reasons(reviewer, "m-app", "p2")
    assert [r.split(":")[0] for r in reasons] == [
        "PARTNERED_COMMUNITY",
        "SHARED_PARTNER",
    ]
    assert index.reasons(reviewer, "m-other", "p4") == []


def test_shared_partner_alone_and_terminated_ties_do_not_count() -> None:
    home = PartnershipFacts("h", "m-home", "Morelia", "MX", "ACTIVE")
    old = PartnershipFacts("o", "m-home", "Lyon", "FR", "TERMINATED")
    index = ConflictIndex(
        {"m-home": MemberFacts("m-home", name="Boise")},
        [
            home,
            old,
            PartnershipFacts("x", "m-x", " morelia ", "MX", "ACTIVE"),
            PartnershipFacts("y", "m-y", "Lyon", "FR", "ACTIVE"),
        ],
    )
    reviewer = Reviewer("rv", "Bo", "m-home")
    assert [r.split(":")[0] for r in index.reasons(reviewer, "m-x", "x")] == [
        "SHARED_PARTNER"
    ]
    assert index.reasons(reviewer, "m-y", "y") == []
    assert partner_key(" Kita  Kata ", "jp") == ("kita kata", "JP")


def test_partnered_community_in_the_other_direction() -> None:
    index = ConflictIndex(
        {
            "m-home": MemberFacts("m-home", name="Bend, OR"),
            "m-app": MemberFacts("m-app", name="Eugene"),
        },
        [
            PartnershipFacts("h", "m-home", "Eugene", "US", "ACTIVE"),
            PartnershipFacts("a", "m-app", "Nara", "JP", "ACTIVE"),
        ],
    )
    assert conflict_reasons(
        index.community("m-home"), index.community("m-app"), ("nara", "JP")
    )[0].startswith("PARTNERED_COMMUNITY")
