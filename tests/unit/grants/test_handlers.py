"""The use cases end to end on a migrated SQLite database (no broker)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from common.errors import BadInput, Conflict, NotFound
from common.identity import Identity
from contracts.grants import ProgramView
from services.grants.domain.awards import InstalmentStatus
from services.grants.service_layer import (
    applications,
    decisions,
    grantees,
    programs,
    read_models,
    review,
)
from tests.unit.grants import builders as b
from tests.unit.grants.conftest import Harness

STAFF = Identity(sub="s", role="staff")


def member(mid: str) -> Identity:
    return Identity(sub=mid, role="member", member_id=mid)


def reviewer(rid: str) -> Identity:
    return Identity(sub=rid, role="reviewer", reviewer_id=rid)


def open_program(g: Harness, **overrides: object) -> ProgramView:
    p = programs.create_program(g.uow, STAFF, b.program_data(g.now(), **overrides))
    programs.publish_program(g.uow, STAFF, p["id"])
    g.advance(timedelta(hours=2))
    return p


def community(
    g: Harness,
    mid: str,
    name: str,
    city: str,
    country: str = "JP",
    population: int | None = 50_000,
    good: bool = True,
) -> str:
    g.feed(
        read_models.member_news,
        "members",
        "member_registered",
        b.member_registered(mid, name, population, good),
    )
    pid = f"p-{mid}"
    g.feed(
        read_models.partnership_news,
        "partnerships",
        "partnership_registered",
        b.partnership_registered(pid, mid, city, country),
    )
    return pid


def test_full_cycle(grants: Harness) -> None:
    g = grants
    prog = open_program(g)
    p1 = community(g, "m1", "Hood River", "Tsuruta")
    p2 = community(g, "m2", "Big City", "Nara", population=500_000)
    community(g, "m3", "Home A", "Kyoto")
    community(g, "m4", "Home B", "Oaxaca", "MX")
    community(g, "m5", "Home C", "Tsuruta")  # shares m1's partner
    for rid, home in (("r1", "m3"), ("r2", "m4"), ("r3", "m5")):
        programs.register_reviewer(
            g.uow, STAFF, {"reviewer_id": rid, "name": rid, "home_member_id": home}
        )
    a1 = applications.save_application(
        g.uow, member("m1"), b.application_data(prog["id"], p1)
    )
    a2 = applications.save_application(
        g.uow, member("m2"), b.application_data(prog["id"], p2)
    )
    # Someone else's application is as unknown as one that never was.
    with pytest.raises(NotFound, match="no such application"):
        applications.submit_application(g.uow, member("m2"), a1["id"])
    s1 = applications.submit_application(g.uow, member("m1"), a1["id"])
    s2 = applications.submit_application(g.uow, member("m2"), a2["id"])
    assert s1["status"] == "SUBMITTED"
    assert s2["status"] == "INELIGIBLE"
    assert "above the programme's maximum of 100,000" in s2["ineligibility_reasons"][0]
    assert [e["payload"]["eligible"] for e in g.events("application_submitted")] == [
        True,
        False,
    ]

    result = review.assign_reviewers(g.uow, STAFF, prog["id"])
    assert result["assigned"] == 2 and result["shortfall"] == []
    mine = {
        rid: review.my_review_assignments(g.uow, reviewer(rid))
        for rid in ("r1", "r2", "r3")
    }
    assert mine["r3"] == []  # SHARED_PARTNER keeps r3 off m1's application
    seen = applications.get_application(g.uow, reviewer("r1"), a1["id"])
    assert seen["member_id"] is None and seen["applicant_name"] is None  # blind
    assert seen["reviews"] == []
    with pytest.raises(NotFound, match="no such application"):
        applications.get_application(g.uow, reviewer("r3"), a1["id"])

    asg1, asg2 = mine["r1"][0]["assignment_id"], mine["r2"][0]["assignment_id"]
    assert asg1 is not None and asg2 is not None  # the reviewers' own assignments
    scores = [
        {"key": "impact", "score": 4},
        {"key": "feasibility", "score": 7},
        {"key": "budget", "score": 2},
    ]
    review.submit_review(g.uow, reviewer("r1"), asg1, scores, "good")
    after = applications.get_application(g.uow, reviewer("r1"), a1["id"])
    assert len(after["reviews"]) == 1 and after["reviews"][0]["reviewer_id"] is None
    before = applications.get_application(g.uow, reviewer("r2"), a1["id"])
    assert before["reviews"] == [] and before["score"] is None
    review.submit_review(
        g.uow,
        reviewer("r2"),
        asg2,
        {"impact": 1, "feasibility": 3, "budget": 1},
        "weak",
    )
    ranking = review.program_ranking(g.uow, STAFF, prog["id"])
    top = ranking["entries"][0]
    # (71.6667 + (0.6 + 0.6 + 0.25) / 6 * 100 = 24.1667) / 2
    assert top["score"] == pytest.approx((71.6667 + 24.1667) / 2, abs=1e-3)
    assert top["disagreement"] is True

    decided = decisions.decide_application(
        g.uow,
        STAFF,
        a1["id"],
        {
            "outcome": "AWARD",
            "amount_cents": 500_000,
            "conditions": "Report by June",
            "instalments": [
                {"amount_cents": 300_000, "condition": "AGREEMENT_SIGNED"},
                {"amount_cents": 200_000, "condition": "INTERIM_REPORT_ACCEPTED"},
            ],
        },
    )
    assert decided["status"] == "AWARDED"
    letter = decided["decision_letter"]
    assert letter is not None and "USD 5,000.00" in letter
    award = decided["award"]
    assert award is not None
    first, second = award["instalments"]
    with pytest.raises(Conflict, match="AGREEMENT_SIGNED"):
        grantees.release_instalment(g.uow, STAFF, first["id"])
    grantees.sign_agreement(g.uow, member("m1"), award["id"])
    grantees.release_instalment(g.uow, STAFF, first["id"])
    assert g.events("instalment_released")[0]["payload"]["amount_cents"] == 300_000
    with pytest.raises(Conflict, match="INTERIM_REPORT_ACCEPTED"):
        grantees.release_instalment(g.uow, STAFF, second["id"])
    report = grantees.submit_grantee_report(
        g.uow,
        member("m1"),
        award["id"],
        {
            "kind": "INTERIM",
            "narrative": "Half done",
            "spending": [{"item": "Travel", "amount_cents": 250_000}],
        },
    )
    grantees.review_grantee_report(g.uow, STAFF, report["id"], True, "")
    grantees.release_instalment(g.uow, STAFF, second["id"])

    from common.envelope import Envelope

    paid = Envelope(
        "disbursement_paid",
        "payments",
        {
            "disbursement_id": "d1",
            "award_id": award["id"],
            "instalment_id": first["id"],
            "member_id": "m1",
            "amount_cents": 300_000,
            "currency": "USD",
            "paid_at": "2026-03-01T00:00:00+00:00",
            "reference": "WIRE-1",
        },
    )
    scheduled = Envelope(
        "disbursement_scheduled",
        "payments",
        {
            "disbursement_id": "d1",
            "award_id": award["id"],
            "instalment_id": first["id"],
            "member_id": "m1",
            "amount_cents": 300_000,
            "currency": "USD",
        },
    )
    grantees.disbursement_news(g.uow, paid, InstalmentStatus.PAID)
    grantees.disbursement_news(g.uow, paid, InstalmentStatus.PAID)
    grantees.disbursement_news(g.uow, scheduled, InstalmentStatus.SCHEDULED)
    view = grantees.get_award(g.uow, member("m1"), award["id"])
    assert view["instalments"][0]["status"] == "PAID"
    assert view["instalments"][0]["reference"] == "WIRE-1"
    assert view["paid_cents"] == 300_000


def test_budget_and_deadline(grants: Harness) -> None:
    g = grants
    prog = open_program(
        g,
        budget_cents=1_000_000,
        max_award_cents=600_000,
        closes_at=(grants.now() + timedelta(days=3)).isoformat(),
    )
    ids = []
    for i in range(2):
        pid = community(g, f"b{i}", f"Town {i}", f"City {i}")
        app = applications.save_application(
            g.uow,
            member(f"b{i}"),
            b.application_data(prog["id"], pid, amount_requested_cents=600_000),
        )
        applications.submit_application(g.uow, member(f"b{i}"), app["id"])
        ids.append(app["id"])
    decisions.decide_application(g.uow, STAFF, ids[0], {"outcome": "AWARD"})
    with pytest.raises(BadInput, match="remaining budget of 400000") as err:
        decisions.decide_application(g.uow, STAFF, ids[1], {"outcome": "AWARD"})
    assert err.value.field == "decision.amountCents"
    declined = decisions.decide_application(
        g.uow, STAFF, ids[1], {"outcome": "DECLINE", "reasons": ["budget exhausted"]}
    )
    letter = declined["decision_letter"]
    assert letter is not None and "budget exhausted" in letter
    pid = community(g, "late", "Late Town", "Late City")
    late = applications.save_application(
        g.uow, member("late"), b.application_data(prog["id"], pid)
    )
    g.advance(timedelta(days=4))
    with pytest.raises(Conflict, match="deadline has passed"):
        applications.submit_application(g.uow, member("late"), late["id"])


def test_member_news_reordered_by_the_broker_ends_in_the_newest(
    grants: Harness,
) -> None:
    """Versions 1-3 of a member delivered 3, 1, 2, 3: the facts are those of
    the newest news of each kind (contracts.member_facts)."""
    g = grants
    registered = {**b.member_registered("v", "Old Name", 10, True), "version": 1}
    renamed = {
        **b.member_registered("v", "New Name", 12, True),
        "changed": ["name", "population"],
        "version": 2,
    }
    lapsed = {**b.standing_changed("v", False), "version": 3}
    deliveries = [
        ("membership_status_changed", lapsed),
        ("member_registered", registered),
        ("member_updated", renamed),
        ("membership_status_changed", lapsed),  # redelivered
    ]
    for event_type, payload in deliveries:
        g.feed(read_models.member_news, "members", event_type, payload)
    with g.uow() as uow:
        facts = uow.facts.member("v")
        assert facts is not None
        assert (facts.name, facts.population, facts.status) == (
            "New Name",
            12,
            "LAPSED",
        )
        assert (facts.profile_version, facts.standing_version) == (2, 3)


def test_standing_events_in_any_order(grants: Harness) -> None:
    g = grants
    from datetime import UTC, datetime

    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    g.feed(
        read_models.member_news,
        "members",
        "membership_status_changed",
        b.standing_changed("x", False),
        occurred_at=(t0 + timedelta(hours=2)).isoformat(),
    )
    g.feed(
        read_models.member_news,
        "members",
        "member_registered",
        b.member_registered("x", "X", 10, True),
        occurred_at=t0.isoformat(),
    )
    with g.uow() as uow:
        facts = uow.facts.member("x")
        assert facts is not None
        assert (facts.name, facts.good_standing, facts.population) == ("X", False, 10)
