"""A whole grants cycle on the running platform, through GraphQL.

Staff create and publish a programme, two members apply (one ineligible, with
its reasons), reviewers are assigned without conflicts and score, staff rank
and award, an instalment is released to payments and paid, and the grantee's
report is accepted.

Every service runs: member communities are registered and pay their dues
(checkout on the offline Stripe, signed webhook) and their partnerships go
through the registry's workflow, all through GraphQL; grants learns of them
from those services' events. The payout goes through the real payments
service (instalment_released -> disbursement, marked paid through GraphQL).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from tests.e2e.test_payments_e2e import BANDS
from tests.integration.grants.conftest import Grants
from tests.integration.payments.world import PaymentsWorld
from tests.support.platform import Platform
from tests.support.wait import wait_until
from tests.unit.grants import builders as b


@pytest.fixture(scope="module")
def gql(platform: Platform) -> Any:
    PaymentsWorld(platform)  # members, payments, the gateway, the offline Stripe
    platform.start("partnerships", "grants")

    def run(query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
        body = platform.graphql(query, variables, token=token)
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    return run


def register_member(gql: Any, staff: str, name: str, population: int) -> str:
    """A member registered by staff, with this year's dues invoiced."""
    year = date.today().year
    found = gql("query($y: Int!) { duesSchedule(fiscalYear: $y) { fiscalYear } }",
                staff, y=year)  # fmt: skip
    if found["duesSchedule"] is None:
        gql(
            "mutation($y: Int!, $b: [DuesBandInput!]!) "
            "{ setDuesSchedule(fiscalYear: $y, bands: $b) { fiscalYear } }",
            staff,
            y=year,
            b=BANDS,
        )
    member = gql(
        """mutation($input: RegisterMemberInput!) {
             registerMember(input: $input) { id } }""",
        staff,
        input={
            "name": f"{name} {b.uid()}",
            "kind": "CITY",
            "state": "OR",
            "population": population,
            "contactEmail": "clerk@town.example",
        },
    )["registerMember"]
    member_id: str = member["id"]
    return member_id


def pay_dues(gql: Any, staff: str, member_id: str) -> None:
    """The member pays its invoice on the offline Stripe's checkout page."""
    member = gql(
        "query($id: ID!) { member(id: $id) { currentInvoice { id } } }",
        staff,
        id=member_id,
    )["member"]
    checkout = gql(
        """mutation($i: ID!) { createDuesCheckout(invoiceId: $i,
             successUrl: "https://x.example/ok", cancelUrl: "https://x.example/no")
             { checkoutUrl } }""",
        staff,
        i=member["currentInvoice"]["id"],
    )["createDuesCheckout"]
    httpx.post(checkout["checkoutUrl"] + "/pay", timeout=10).raise_for_status()
    wait_until(
        lambda: gql("query($id: ID!) { member(id: $id) { status } }", staff,
                    id=member_id)["member"]["status"] == "ACTIVE",
        timeout=30,
        message=f"member {member_id} ACTIVE",
    )  # fmt: skip


def partner(gql: Any, staff: str, member_id: str, city: str, country: str) -> str:
    """An ACTIVE partnership: proposed by the member, agreement, staff verify."""
    token = Platform.token("member", member_id=member_id)
    proposed = gql(
        """mutation($input: ProposePartnershipInput!) {
             proposePartnership(input: $input) { id } }""",
        token,
        input={
            "memberId": member_id,
            "partnerCity": city,
            "country": country,
            "type": "SISTER",
            "programAreas": ["YOUTH_EDUCATION"],
        },
    )["proposePartnership"]
    gql(
        """mutation($id: ID!, $input: AgreementInput!) {
             recordAgreement(id: $id, input: $input) { status } }""",
        token,
        id=proposed["id"],
        input={
            "councilResolution": "Resolution 2026-14",
            "signedOn": date.today().isoformat(),
            "usSignatory": "Mayor",
            "partnerSignatory": "Mayor",
            "documentReference": "agreements/2026-14.pdf",
        },
    )
    gql("mutation($id: ID!) { activatePartnership(id: $id) { status } }", staff,
        id=proposed["id"])  # fmt: skip
    partnership_id: str = proposed["id"]
    return partnership_id


def community(
    gql: Any,
    grants: Grants,
    staff: str,
    name: str,
    population: int,
    city: str,
    country: str = "JP",
) -> tuple[str, str]:
    """A paid-up member with an ACTIVE partnership, as grants has learned it."""
    member_id = register_member(gql, staff, name, population)
    pay_dues(gql, staff, member_id)
    partnership_id = partner(gql, staff, member_id, city, country)
    grants.wait_member(member_id, good_standing=True, population=population)
    grants.wait_partnership(partnership_id, status="ACTIVE")
    return member_id, partnership_id


PROGRAM_FIELDS = "id name status phase remainingCents"
APP_FIELDS = """
  id status ineligibilityReasons memberId applicantName blind
  score { reviews score spread disagreement }
  award { id amountCents instalments { id seq status amountCents disbursementId } }
  decisionLetter
"""


def test_a_full_grant_cycle_through_graphql(platform: Platform, gql: Any) -> None:
    grants = Grants(platform)
    staff = platform.token("staff")
    # Communities: registered, dues paid, partnered, all through GraphQL.
    eligible_m, eligible_p = community(gql, grants, staff, "Hood River", 50_000,
                                       "Tsuruta")  # fmt: skip
    big_m, big_p = community(gql, grants, staff, "Big City", 400_000, "Lyon", "FR")
    homes = [register_member(gql, staff, f"Home {i}", 30_000) for i in range(3)]
    # A reviewer whose home is also twinned with Tsuruta: never on Hood River.
    conflicted_home = register_member(gql, staff, "Twin", 30_000)
    conflicted_p = partner(gql, staff, conflicted_home, "Tsuruta", "JP")
    grants.wait_partnership(conflicted_p, status="ACTIVE")
    for home in homes:
        grants.wait_member(home)

    reviewer_ids = []
    for home in [*homes, conflicted_home]:
        rid = b.uid("rv-")
        gql(
            """mutation($input: RegisterReviewerInput!) {
                 registerReviewer(input: $input) { reviewerId homeMemberId } }""",
            staff,
            input={"reviewerId": rid, "name": f"Reviewer {rid}", "homeMemberId": home},
        )
        reviewer_ids.append(rid)
    conflicted = reviewer_ids[-1]

    now = grants.now()
    created = gql(
        f"""mutation($input: GrantProgramInput!) {{
              createGrantProgram(input: $input) {{ {PROGRAM_FIELDS} }} }}""",
        staff,
        input={
            "name": f"Exchange grant {b.uid()}",
            "description": "One-year exchange grant",
            "areas": ["YOUTH_EDUCATION"],
            "opensAt": (now + timedelta(hours=1)).isoformat(),
            "closesAt": (now + timedelta(days=20)).isoformat(),
            "budgetCents": 2_000_000,
            "maxAwardCents": 960_000,
            "currency": "USD",
            "eligibility": {
                "goodStandingRequired": True,
                "partnershipRequirement": "ACTIVE",
                "maxPopulation": 100_000,
                "allowedCountries": ["JP"],
            },
            "rubric": [
                {"key": "impact", "name": "Impact", "maxScore": 5, "weight": 3},
                {"key": "plan", "name": "Plan", "maxScore": 10, "weight": 1},
            ],
            "reviewersPerApplication": 2,
            "blindReview": True,
            "panel": reviewer_ids,
        },
    )["createGrantProgram"]
    assert created["status"] == "DRAFT"
    program_id = created["id"]
    anonymous = platform.graphql(
        "query($id: ID!) { grantProgram(id: $id) { id } }", {"id": program_id}
    )
    assert anonymous["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    gql(
        "mutation($id: ID!) { publishGrantProgram(id: $id) { status } }",
        staff,
        id=program_id,
    )
    grants.advance(timedelta(hours=2))
    listed = gql("{ grantPrograms(status: OPEN) { id phase } }")["grantPrograms"]
    assert {"id": program_id, "phase": "OPEN"} in listed

    submitted = {}
    for m, p in ((eligible_m, eligible_p), (big_m, big_p)):
        token = platform.token("member", member_id=m)
        draft = gql(
            """mutation($input: ApplicationInput!) {
                 saveApplication(input: $input) { id status } }""",
            token,
            input={
                "programId": program_id,
                "partnershipId": p,
                "area": "YOUTH_EDUCATION",
                "title": "Student exchange",
                "amountRequestedCents": 800_000,
                "narrative": "Twelve students for a term.",
                "budget": [{"item": "Travel", "amountCents": 800_000}],
            },
        )["saveApplication"]
        submitted[m] = gql(
            f"mutation($id: ID!) {{ submitApplication(id: $id) {{ {APP_FIELDS} }} }}",
            token,
            id=draft["id"],
        )["submitApplication"]
    good, bad = submitted[eligible_m], submitted[big_m]
    assert good["status"] == "SUBMITTED"
    assert bad["status"] == "INELIGIBLE"
    assert len(bad["ineligibilityReasons"]) == 2
    assert "population of 400,000" in bad["ineligibilityReasons"][0]
    assert "partner country FR" in bad["ineligibilityReasons"][1]

    round_ = gql(
        """mutation($id: ID!) { assignReviewers(programId: $id) {
             assigned shortfall { applicationId }
             load { reviewerId assignments } } }""",
        staff,
        id=program_id,
    )["assignReviewers"]
    assert round_["assigned"] == 2 and round_["shortfall"] == []
    assigned_to = {e["reviewerId"] for e in round_["load"] if e["assignments"]}
    assert conflicted not in assigned_to

    marks = iter([(5, 9), (3, 6)])
    for rid in sorted(assigned_to):
        token = platform.token("reviewer", reviewer_id=rid)
        found = gql(
            "{ myReviewAssignments { assignmentId applicationId blind programId } }",
            token,
        )["myReviewAssignments"]
        (mine,) = [a for a in found if a["programId"] == program_id]
        seen = gql(
            f"query($id: ID!) {{ application(id: $id) {{ {APP_FIELDS} }} }}",
            token,
            id=mine["applicationId"],
        )["application"]
        assert seen["blind"] is True and seen["memberId"] is None
        impact, plan = next(marks)
        gql(
            """mutation($a: ID!, $s: [GrantScoreInput!]!) {
                 submitReview(assignmentId: $a, scores: $s, comment: "ok") {
                   total } }""",
            token,
            a=mine["assignmentId"],
            s=[{"key": "impact", "score": impact}, {"key": "plan", "score": plan}],
        )
    conflicted_view = platform.graphql(
        "query($id: ID!) { application(id: $id) { id } }",
        {"id": good["id"]},
        token=platform.token("reviewer", reviewer_id=conflicted),
    )
    assert conflicted_view["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    ranking = gql(
        """query($id: ID!) { programRanking(programId: $id) {
             remainingCents
             entries { rank applicationId score spread disagreement } } }""",
        staff,
        id=program_id,
    )["programRanking"]
    top = ranking["entries"][0]
    # (5/5*3 + 9/10*1)/4*100 = 97.5 and (3/5*3 + 6/10*1)/4*100 = 60
    assert top["applicationId"] == good["id"]
    assert top["score"] == pytest.approx((97.5 + 60) / 2)
    assert top["spread"] == pytest.approx(37.5) and top["disagreement"] is True

    over = platform.graphql(
        """mutation($id: ID!) { decideApplication(id: $id,
             decision: {outcome: AWARD, amountCents: 2500000}) { id } }""",
        {"id": good["id"]},
        token=staff,
    )
    assert over["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    decided = gql(
        f"""mutation($id: ID!) {{ decideApplication(id: $id, decision: {{
              outcome: AWARD, amountCents: 800000, conditions: "Credit us",
              instalments: [{{amountCents: 800000, condition: AGREEMENT_SIGNED}}]
            }}) {{ {APP_FIELDS} }} }}""",
        staff,
        id=good["id"],
    )["decideApplication"]
    assert decided["status"] == "AWARDED"
    assert "USD 8,000.00" in decided["decisionLetter"]
    award = decided["award"]
    member_token = platform.token("member", member_id=eligible_m)
    gql(
        "mutation($a: ID!) { signGrantAgreement(awardId: $a) { agreementSignedAt } }",
        member_token,
        a=award["id"],
    )
    gql(
        "mutation($i: ID!) { releaseInstalment(instalmentId: $i) { id } }",
        staff,
        i=award["instalments"][0]["id"],
    )

    def scheduled() -> str:
        inst = gql(
            """query($a: ID!) { grantAward(id: $a) {
                 instalments { status disbursementId } } }""",
            staff,
            a=award["id"],
        )["grantAward"]["instalments"][0]
        return inst["disbursementId"] if inst["status"] == "SCHEDULED" else ""

    disbursement_id = wait_until(scheduled, timeout=20, message="payments scheduled it")
    # Staff mark the bank transfer paid in payments.
    gql(
        """mutation($id: ID!, $ref: String!) {
             markDisbursementPaid(id: $id, reference: $ref) { status } }""",
        staff,
        id=disbursement_id,
        ref="WIRE-2027-001",
    )

    def paid() -> dict[str, Any]:
        view = gql(
            """query($a: ID!) { grantAward(id: $a) {
                 paidCents instalments { status reference } } }""",
            member_token,
            a=award["id"],
        )["grantAward"]
        return view if view["instalments"][0]["status"] == "PAID" else {}

    view = wait_until(paid, timeout=20, message="disbursement_paid recorded")
    assert view["paidCents"] == 800_000
    assert view["instalments"][0]["reference"] == "WIRE-2027-001"

    report = gql(
        """mutation($a: ID!) { submitGranteeReport(awardId: $a, input: {
             kind: FINAL, narrative: "Exchange done",
             spending: [{item: "Travel", amountCents: 790000}]}) { id status } }""",
        member_token,
        a=award["id"],
    )["submitGranteeReport"]
    accepted = gql(
        """mutation($r: ID!) { reviewGranteeReport(reportId: $r, accept: true) {
             status } }""",
        staff,
        r=report["id"],
    )["reviewGranteeReport"]
    assert accepted["status"] == "ACCEPTED"
    mine = gql(
        """{ applications(first: 10) { totalCount
             edges { node { id status program { name } } } } }""",
        member_token,
    )["applications"]
    assert mine["totalCount"] == 1
    node = mine["edges"][0]["node"]
    assert (node["id"], node["status"]) == (good["id"], "AWARDED")
    assert node["program"]["name"] == created["name"]  # via the batched loader
