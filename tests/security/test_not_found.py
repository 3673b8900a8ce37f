"""#17 item 11: the same answer for what you may not see as for what does not
exist. Someone else's invoice, award or application gets exactly the
NOT_FOUND (message and field) an unknown id gets, so an id tells a caller
nothing; and a reviewer who becomes conflicted after being assigned can no
longer read the application."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.integration.grants.conftest import Grants, member, reviewer
from tests.integration.payments.world import PaymentsWorld
from tests.security.conftest import Gateway
from tests.support.platform import Platform
from tests.unit.grants import builders as b


def refusal(gateway: Gateway, query: str, token: str, **variables: Any) -> Any:
    """(code, message, field) of the one error of an answer."""
    (error,) = gateway.errors(query, variables=variables, token=token)
    extensions = error["extensions"]
    return extensions["code"], error["message"], extensions.get("field")


def assert_same_as_unknown(
    gateway: Gateway, query: str, token: str, theirs: str, unknown: str
) -> None:
    hidden = refusal(gateway, query, token, id=theirs)
    missing = refusal(gateway, query, token, id=unknown)
    assert hidden[0] == "NOT_FOUND", hidden
    assert hidden == missing


def test_someone_elses_invoice(payments: PaymentsWorld, gateway: Gateway) -> None:
    theirs = payments.new_invoice()
    mine = payments.new_invoice()
    me = Platform.token("member", member_id=mine["member_id"])
    assert_same_as_unknown(
        gateway,
        "query($id: ID!) { invoice(id: $id) { id amountCents } }",
        me,
        theirs["invoice_id"],
        str(uuid.uuid4()),
    )
    checkout = """mutation($id: ID!) { createDuesCheckout(invoiceId: $id,
        successUrl: "https://x.example/ok", cancelUrl: "https://x.example/no")
        { paymentId } }"""
    assert_same_as_unknown(
        gateway, checkout, me, theirs["invoice_id"], str(uuid.uuid4())
    )
    own = gateway.data(
        "query($id: ID!) { invoice(id: $id) { id } }",
        variables={"id": mine["invoice_id"]},
        token=me,
    )
    assert own["invoice"]["id"] == mine["invoice_id"]


@pytest.fixture(scope="module")
def grants(services: Platform) -> Grants:
    return Grants(services)


def test_someone_elses_award_and_application(grants: Grants, gateway: Gateway) -> None:
    owner, owner_p = grants.community()
    other, _ = grants.community()
    program = grants.open_program(reviewers_per_application=1)
    applied = grants.apply(program["id"], owner, owner_p)
    award = grants.call("decide_application", applied["id"], {"outcome": "AWARD"})[
        "award"
    ]
    stranger = Platform.token("member", member_id=other)
    assert_same_as_unknown(
        gateway,
        "query($id: ID!) { grantAward(id: $id) { id } }",
        stranger,
        award["id"],
        str(uuid.uuid4()),
    )
    assert_same_as_unknown(
        gateway,
        "mutation($id: ID!) { signGrantAgreement(awardId: $id) { id } }",
        stranger,
        award["id"],
        str(uuid.uuid4()),
    )
    assert_same_as_unknown(
        gateway,
        "query($id: ID!) { application(id: $id) { id } }",
        stranger,
        applied["id"],
        str(uuid.uuid4()),
    )
    owners = Platform.token("member", member_id=owner)
    assert gateway.data(
        "query($id: ID!) { grantAward(id: $id) { id } }",
        variables={"id": award["id"]},
        token=owners,
    )


def test_a_reviewer_who_becomes_conflicted_can_no_longer_read(
    grants: Grants, gateway: Gateway
) -> None:
    applicant, applied_with = grants.community(city="Kanazawa", country="JP")
    home, _ = grants.community()
    reader = grants.reviewer_at(home)
    program = grants.open_program(panel=[reader], reviewers_per_application=1)
    app = grants.apply(program["id"], applicant, applied_with)
    grants.call("assign_reviewers", program["id"])
    token = Platform.token("reviewer", reviewer_id=reader)
    query = "query($id: ID!) { application(id: $id) { id title } }"
    listing = "{ applications { edges { node { id } } } }"
    seen = gateway.data(query, variables={"id": app["id"]}, token=token)
    assert seen["application"]["id"] == app["id"]
    assert app["id"] in str(gateway.data(listing, token=token))

    # The reviewer's home community now twins with the applicant's partner
    # city: a shared partner, a conflict of interest.
    partnership = b.uid("p-")
    grants.publish(
        "partnerships",
        "partnership_registered",
        b.partnership_registered(partnership, home, "Kanazawa", "JP", "ACTIVE"),
    )
    grants.wait_partnership(partnership)

    assert_same_as_unknown(gateway, query, token, app["id"], str(uuid.uuid4()))
    assert app["id"] not in str(gateway.data(listing, token=token))
    # The applicant still sees it; staff still see the assignment.
    assert grants.call("get_application", app["id"], identity=member(applicant))
    assert grants.call("get_application", app["id"])["reviews"]
    # Refused for the conflict itself: the assignment stays until staff
    # assign reviewers again.
    (assignment,) = [
        a
        for a in grants.call("my_review_assignments", identity=reviewer(reader))
        if a["application_id"] == app["id"]
    ]
    assert assignment["status"] == "ASSIGNED"
