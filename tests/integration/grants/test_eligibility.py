"""Eligibility at submission, judged from read models kept from real events."""

from __future__ import annotations

from datetime import timedelta

from tests.integration.grants.conftest import Grants, member
from tests.support.wait import wait_until
from tests.unit.grants import builders as b


def test_an_eligible_application_is_submitted_and_announced(grants: Grants) -> None:
    program = grants.open_program()
    m, p = grants.community()
    app = grants.apply(program["id"], m, p)
    assert app["status"] == "SUBMITTED"
    assert app["ineligibility_reasons"] == []
    row = grants.row(
        "SELECT envelope FROM outbox WHERE event_type = 'application_submitted' "
        "AND envelope->'payload'->>'application_id' = :a",
        a=app["id"],
    )
    assert row["envelope"]["payload"]["eligible"] is True


def test_every_failing_rule_is_given_as_a_reason(grants: Grants) -> None:
    program = grants.open_program()
    m, p = grants.community(
        population=250_000, good_standing=False, country="FR", status="PROPOSED"
    )
    app = grants.apply(program["id"], m, p)
    assert app["status"] == "INELIGIBLE"
    reasons = app["ineligibility_reasons"]
    assert len(reasons) == 4, reasons
    assert "not in good standing" in reasons[0]
    assert (
        "population of 250,000 is above the programme's maximum of 100,000"
        in (reasons[1])
    )
    assert "PROPOSED" in reasons[2] and "ACTIVE partnership" in reasons[2]
    assert (
        "partner country FR is not one of the programme's countries: JP, MX"
        in (reasons[3])
    )


def test_good_standing_follows_events_and_an_ineligible_one_can_resubmit(
    grants: Grants,
) -> None:
    program = grants.open_program()
    m, p = grants.community(good_standing=False)
    app = grants.apply(program["id"], m, p)
    assert app["status"] == "INELIGIBLE"
    assert app["ineligibility_reasons"] == [
        "the member community is not in good standing (membership LAPSED)"
    ]
    grants.publish("members", "membership_status_changed", b.standing_changed(m, True))
    grants.wait_member(m, good_standing=True)
    again = grants.call("submit_application", app["id"], identity=member(m))
    assert again["status"] == "SUBMITTED"
    # Late news (a lapse older than what grants knows) changes nothing, and a
    # duplicate of a processed event changes nothing either.
    late = grants.publish_at(
        "members",
        "membership_status_changed",
        b.standing_changed(m, False),
        at=grants.now() - timedelta(days=30),
    )
    wait_until(lambda: grants.processed(late.event_id), message="late news handled")
    grants.wait_member(m, good_standing=True)
    lapse = grants.publish(
        "members", "membership_status_changed", b.standing_changed(m, False)
    )
    grants.wait_member(m, good_standing=False)
    duplicate = grants.publish_at(
        "members",
        "membership_status_changed",
        b.standing_changed(m, True),
        at=grants.now() + timedelta(seconds=5),
        event_id=lapse.event_id,
    )
    marker, _ = grants.community()  # handled after the duplicate was seen
    assert duplicate.event_id == lapse.event_id
    grants.wait_member(m, good_standing=False)
    assert marker


def test_each_rule_passes_when_met(grants: Grants) -> None:
    program = grants.open_program(
        eligibility={
            "good_standing_required": False,
            "partnership_requirement": "RECOGNIZED",
            "max_population": 60_000,
            "allowed_countries": ["MX"],
            "cooling_off_years": 2,
        }
    )
    m, p = grants.community(population=60_000, good_standing=False, country="MX")
    app = grants.apply(program["id"], m, p)
    assert app["ineligibility_reasons"] == [
        "the partnership is not recognized (ACTIVE with the member in good standing), "
        "and the programme requires a recognized partnership"
    ]
    grants.publish(
        "partnerships",
        "partnership_recognition_changed",
        {"partnership_id": p, "member_id": m, "recognized": True, "changed_at": "x"},
    )
    grants.wait_partnership(p, recognized=True)
    again = grants.call("submit_application", app["id"], identity=member(m))
    assert again["status"] == "SUBMITTED", again["ineligibility_reasons"]


def test_partnership_status_events_and_someone_elses_partnership(
    grants: Grants,
) -> None:
    program = grants.open_program()
    m, p = grants.community()
    grants.publish(
        "partnerships",
        "partnership_status_changed",
        b.partnership_status(p, m, "Nara", "JP", "DORMANT"),
    )
    grants.wait_partnership(p, status="DORMANT")
    app = grants.apply(program["id"], m, p)
    assert "the partnership is DORMANT" in app["ineligibility_reasons"][0]

    other, _ = grants.community()
    program2 = grants.open_program()
    app2 = grants.apply(program2["id"], other, p)  # m's partnership
    assert app2["ineligibility_reasons"] == [
        "the partnership named belongs to another member community"
    ]
    program3 = grants.open_program()
    app3 = grants.apply(program3["id"], other, "p-never-heard-of")
    assert app3["ineligibility_reasons"] == ["the partnership named is not known"]


def test_cooling_off_after_a_previous_award(grants: Grants) -> None:
    first = grants.open_program()
    m, p = grants.community()
    app = grants.apply(first["id"], m, p)
    grants.call("decide_application", app["id"], {"outcome": "AWARD"})
    second = grants.open_program(
        eligibility={"partnership_requirement": "ACTIVE", "cooling_off_years": 3}
    )
    refused = grants.apply(second["id"], m, p)
    assert refused["status"] == "INELIGIBLE"
    (reason,) = refused["ineligibility_reasons"]
    assert "programme asks past grantees to wait 3 year(s)" in reason
    # A programme without a cooling-off period takes the same grantee.
    third = grants.open_program()
    assert grants.apply(third["id"], m, p)["status"] == "SUBMITTED"


def test_the_deadline(grants: Grants) -> None:
    program = grants.call(
        "create_program",
        b.program_data(
            grants.now(), closes_at=(grants.now() + timedelta(days=2)).isoformat()
        ),
    )
    m, p = grants.community()
    early = grants.refused(
        "save_application", b.application_data(program["id"], p), identity=member(m)
    )
    assert early.exc_type == "NotFound"  # a draft programme is invisible
    grants.call("publish_program", program["id"])
    draft = grants.call(
        "save_application", b.application_data(program["id"], p), identity=member(m)
    )
    not_yet = grants.refused("submit_application", draft["id"], identity=member(m))
    assert not_yet.exc_type == "Conflict" and "opens for submissions" in str(not_yet)
    grants.advance(timedelta(days=1))
    m2, p2 = grants.community()
    assert grants.apply(program["id"], m2, p2)["status"] == "SUBMITTED"
    grants.advance(timedelta(days=2))
    late = grants.refused("submit_application", draft["id"], identity=member(m))
    assert late.exc_type == "Conflict"
    assert "the deadline has passed: submissions closed at" in str(late)
    after = grants.call("get_application", draft["id"], identity=member(m))
    assert after["status"] == "DRAFT"
    published_late = grants.refused(
        "publish_program",
        grants.call(
            "create_program", b.program_data(grants.now() - timedelta(hours=3))
        )["id"],
    )
    assert "published before it opens" in str(published_late)
