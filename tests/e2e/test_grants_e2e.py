"""A whole grants cycle on the running platform, through GraphQL.

Staff create and publish a programme, two members apply (one ineligible, with
its reasons), reviewers are assigned without conflicts and score, staff rank
and award, an instalment is released to payments and paid, and the grantee's
report is accepted.

Member communities and partnerships come from the members and partnerships
services' events: while their GraphQL mutations are not in the schema, the
test publishes exactly what their outbox relays would. The payout goes through
the real payments service (instalment_released -> disbursement -> paid).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.integration.grants.conftest import Grants
from tests.support.platform import Platform
from tests.support.wait import wait_until
from tests.unit.grants import builders as b


@pytest.fixture(scope="module")
def gql(platform: Platform) -> Any:
    platform.start("grants", "payments")
    platform.start_gateway()

    def run(query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
        body = platform.graphql(query, variables, token=token)
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    return run


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
    # Communities (members' and partnerships' news).
    eligible_m, eligible_p = grants.community(name="Hood River", city="Tsuruta")
    big_m, big_p = grants.community(name="Big City", population=400_000, country="FR")
    homes = [grants.community(name=f"Home {i} {b.uid()}")[0] for i in range(3)]
    # A reviewer whose home is also twinned with Tsuruta: never on Hood River.
    conflicted_home, _ = grants.community(city="Tsuruta")

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
    assert conflicted_view["errors"][0]["extensions"]["code"] == "FORBIDDEN"

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
    platform.rpc("payments", "mark_disbursement_paid", disbursement_id, "WIRE-2027-001")

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
