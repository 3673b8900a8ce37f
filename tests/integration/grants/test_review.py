"""Review: conflicts enforced, even assignment, independent and blind scoring."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.grants.conftest import Grants, member, reviewer
from tests.unit.grants import builders as b

GOOD = [
    {"key": "impact", "score": 4},
    {"key": "feasibility", "score": 7},
    {"key": "budget", "score": 2},
]
WEAK = [
    {"key": "impact", "score": 1},
    {"key": "feasibility", "score": 3},
    {"key": "budget", "score": 1},
]


def assignments_of(grants: Grants, reviewer_id: str, program_id: str) -> list[Any]:
    return [
        a
        for a in grants.call("my_review_assignments", identity=reviewer(reviewer_id))
        if a["program_id"] == program_id
    ]


def test_each_conflict_rule_keeps_a_reviewer_off(grants: Grants) -> None:
    applicant, applied = grants.community(name="Hood River", city="Tsuruta")
    # Own community: the reviewer lives in the applicant's community.
    own = grants.reviewer_at(applicant)
    # Partnered community: the reviewer's home lists Hood River as a partner.
    partnered_home, _ = grants.community(
        name=f"Twin {b.uid()}", city="Hood River", country="US"
    )
    partnered = grants.reviewer_at(partnered_home)
    # Shared partner: the reviewer's home is also twinned with Tsuruta, JP.
    shared_home, _ = grants.community(city="tsuruta ")
    shared = grants.reviewer_at(shared_home)
    clean = [grants.reviewer_at(grants.community()[0]) for _ in range(2)]
    panel = [own, partnered, shared, *clean]
    program = grants.open_program(panel=panel, reviewers_per_application=2)
    app = grants.apply(program["id"], applicant, applied)

    result = grants.call("assign_reviewers", program["id"])
    assert result["assigned"] == 2 and result["shortfall"] == []
    for conflicted in (own, partnered, shared):
        assert assignments_of(grants, conflicted, program["id"]) == []
        denied = grants.refused(
            "get_application", app["id"], identity=reviewer(conflicted)
        )
        assert denied.exc_type == "NotFound"  # as if it did not exist
    assert all(len(assignments_of(grants, r, program["id"])) == 1 for r in clean)
    view = grants.call("get_application", app["id"])
    assert view["status"] == "IN_REVIEW"
    assert sorted(r["reviewer_id"] for r in view["reviews"]) == sorted(clean)
    # Running it again changes nothing.
    assert grants.call("assign_reviewers", program["id"])["assigned"] == 0


def test_assignment_is_even_and_reports_shortfall(grants: Grants) -> None:
    homes = [grants.community() for _ in range(4)]
    panel = [grants.reviewer_at(m) for m, _ in homes]
    program = grants.open_program(panel=panel, reviewers_per_application=2)
    apps = [grants.apply(program["id"], *grants.community()) for _ in range(6)]
    result = grants.call("assign_reviewers", program["id"])
    loads = [entry["assignments"] for entry in result["load"]]
    assert sorted(loads) == [3, 3, 3, 3] and result["assigned"] == 12
    # An application from a reviewer's own community is kept off that reviewer.
    own = grants.apply(program["id"], homes[0][0], homes[0][1])
    result = grants.call("assign_reviewers", program["id"])
    assert result["assigned"] == 2
    on_own = {
        r["reviewer_id"] for r in grants.call("get_application", own["id"])["reviews"]
    }
    assert panel[0] not in on_own
    assert (
        max(e["assignments"] for e in result["load"])
        - min(e["assignments"] for e in result["load"])
        <= 1
    )
    assert len(apps) == 6


def test_independent_blind_scoring_and_weighted_score(grants: Grants) -> None:
    panel = [grants.reviewer_at(grants.community()[0]) for _ in range(2)]
    program = grants.open_program(
        panel=panel, blind_review=True, disagreement_threshold=20
    )
    m, p = grants.community(name="Sandpoint")
    app = grants.apply(program["id"], m, p)
    grants.call("assign_reviewers", program["id"])
    first, second = panel
    a1 = assignments_of(grants, first, program["id"])[0]
    a2 = assignments_of(grants, second, program["id"])[0]
    assert a1["blind"] is True

    blind = grants.call("get_application", app["id"], identity=reviewer(first))
    for hidden in ("member_id", "applicant_name", "partnership_id", "partner_city"):
        assert blind[hidden] is None, hidden
    assert blind["narrative"] and blind["blind"] is True
    assert blind["ineligibility_reasons"] == [] and blind["decision_letter"] is None

    bad = grants.refused(
        "submit_review",
        a1["assignment_id"],
        [{"key": "impact", "score": 9}],
        identity=reviewer(first),
    )
    assert bad.exc_type == "BadInput"
    stolen = grants.refused(
        "submit_review", a2["assignment_id"], GOOD, identity=reviewer(first)
    )
    assert stolen.exc_type == "NotFound"  # another's assignment: unknown

    grants.call(
        "submit_review", a1["assignment_id"], GOOD, "solid", identity=reviewer(first)
    )
    # The second reviewer sees no other score before submitting their own.
    before = grants.call("get_application", app["id"], identity=reviewer(second))
    assert before["reviews"] == [] and before["score"] is None
    assert (
        grants.call("get_application", app["id"], identity=member(m))["reviews"] == []
    )
    grants.call(
        "submit_review", a2["assignment_id"], WEAK, "thin", identity=reviewer(second)
    )
    after = grants.call("get_application", app["id"], identity=reviewer(second))
    assert len(after["reviews"]) == 2
    assert all(r["reviewer_id"] is None for r in after["reviews"])

    # By hand, weights 3/2/1 and maxima 5/10/4:
    # GOOD = (4/5*3 + 7/10*2 + 2/4*1) / 6 * 100 = 4.3/6*100 = 71.6667
    # WEAK = (1/5*3 + 3/10*2 + 1/4*1) / 6 * 100 = 1.45/6*100 = 24.1667
    good, weak = 4.3 / 6 * 100, 1.45 / 6 * 100
    totals = sorted(r["total"] for r in after["reviews"])
    assert totals == [pytest.approx(weak, abs=1e-3), pytest.approx(good, abs=1e-3)]
    ranking = grants.call("program_ranking", program["id"])
    (entry,) = ranking["entries"]
    assert entry["score"] == pytest.approx((good + weak) / 2, abs=1e-3)
    assert entry["spread"] == pytest.approx(good - weak, abs=1e-3)
    assert entry["disagreement"] is True
    again = grants.refused(
        "submit_review", a1["assignment_id"], GOOD, identity=reviewer(first)
    )
    assert again.exc_type == "Conflict"


def test_ranking_orders_by_score(grants: Grants) -> None:
    panel = [grants.reviewer_at(grants.community()[0])]
    program = grants.open_program(panel=panel, reviewers_per_application=1)
    apps = [grants.apply(program["id"], *grants.community()) for _ in range(3)]
    grants.call("assign_reviewers", program["id"])
    mine = {
        a["application_id"]: a for a in assignments_of(grants, panel[0], program["id"])
    }
    for app, scores in zip(apps, ([1, 1, 1], [5, 10, 4], [3, 5, 2]), strict=True):
        grants.call(
            "submit_review",
            mine[app["id"]]["assignment_id"],
            dict(zip(("impact", "feasibility", "budget"), scores, strict=True)),
            identity=reviewer(panel[0]),
        )
    ranking = grants.call("program_ranking", program["id"])
    order = [e["application_id"] for e in ranking["entries"]]
    assert order == [apps[1]["id"], apps[2]["id"], apps[0]["id"]]
    assert [e["rank"] for e in ranking["entries"]] == [1, 2, 3]
    assert ranking["entries"][0]["score"] == 100


def test_recusal_reassigns_and_a_new_conflict_blocks_scoring(grants: Grants) -> None:
    panel = [grants.reviewer_at(grants.community()[0]) for _ in range(3)]
    program = grants.open_program(panel=panel, reviewers_per_application=1)
    m, p = grants.community(city="Oaxaca", country="MX")
    app = grants.apply(program["id"], m, p)
    grants.call("assign_reviewers", program["id"])
    first = grants.call("get_application", app["id"])["reviews"][0]
    reason = grants.refused(
        "recuse", first["assignment_id"], "  ", identity=reviewer(first["reviewer_id"])
    )
    assert reason.exc_type == "BadInput" and "reason" in str(reason)
    done = grants.call(
        "recuse",
        first["assignment_id"],
        "I taught the project lead",
        identity=reviewer(first["reviewer_id"]),
    )
    assert done["status"] == "RECUSED" and done["replacement"] == "assigned"
    reviews = grants.call("get_application", app["id"])["reviews"]
    active = [r for r in reviews if r["status"] == "ASSIGNED"]
    assert len(active) == 1 and active[0]["reviewer_id"] != first["reviewer_id"]

    # The replacement's home community twins with Oaxaca after assignment:
    # they can no longer score, and the next round replaces them.
    replacement = active[0]
    home = grants.call("list_reviewers")
    home_id = next(
        r["home_member_id"]
        for r in home
        if r["reviewer_id"] == replacement["reviewer_id"]
    )
    tie = b.uid("p-")
    grants.publish(
        "partnerships",
        "partnership_registered",
        b.partnership_registered(tie, home_id, "Oaxaca", "MX"),
    )
    grants.wait_partnership(tie)
    blocked = grants.refused(
        "submit_review",
        replacement["assignment_id"],
        GOOD,
        identity=reviewer(replacement["reviewer_id"]),
    )
    assert blocked.exc_type == "Forbidden" and "SHARED_PARTNER" in str(blocked)
    result = grants.call("assign_reviewers", program["id"])
    assert result["removed"] == 1 and result["assigned"] == 1
    statuses = sorted(
        r["status"] for r in grants.call("get_application", app["id"])["reviews"]
    )
    assert statuses == ["ASSIGNED", "RECUSED", "REMOVED"]
