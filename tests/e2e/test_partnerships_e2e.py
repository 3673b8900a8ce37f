"""Partnerships on the running platform, through GraphQL over HTTP.

- The real data: the members seed, then the partnerships seed, on the running
  services; the directory answers `country: "JP"` with the Japanese rows and
  the statistics grow by exactly the counts computed from the CSV itself.
- The workflow through GraphQL with real tokens, wrong callers refused, and
  recognition following a real member's payment and cancellation (members
  service in between).
- Batching: RPC requests counted on the broker itself (a queue bound to
  nameko's RPC exchange sees a copy of each request) for a 100-partnership
  page with members: a constant, not one per row.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from kombu import Exchange, Queue, binding

from common import amqp
from common.config import REPO_ROOT
from common.identity import Identity
from tests.support.platform import Platform
from tests.support.wait import wait_until

STAFF = Identity(sub="e2e-staff", role="staff")
CSV = REPO_ROOT / "data" / "us_sister_cities.csv"
P_FIELDS = "id partnerCity country status recognized memberName memberState"


def gql(
    platform: Platform, query: str, token: str | None = None, **variables: Any
) -> dict[str, Any]:
    body = platform.graphql(query, variables, token=token)
    assert not body.get("errors"), body["errors"]
    data: dict[str, Any] = body["data"]
    return data


def error_codes(
    platform: Platform, query: str, token: str | None = None, **variables: Any
) -> list[tuple[str, str | None]]:
    body = platform.graphql(query, variables, token=token)
    assert body.get("errors"), body
    return [
        (e["extensions"]["code"], e["extensions"].get("field")) for e in body["errors"]
    ]


def run(platform: Platform, *argv: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", *argv],
        env=platform.env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


STATS = """query { partnershipStats {
  total byCountry { code count } byContinent { code count } byState { code count }
  focusRegions { region count } growthByYear { year count } } }"""
JAPAN = """query($after: String) {
  partnerships(filter: {country: "JP"}, first: 200, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id partnerCity memberName memberState country countryName } } } }"""


def stats_counts(platform: Platform) -> dict[str, Counter[str]]:
    s = gql(platform, STATS)["partnershipStats"]
    return {
        "country": Counter({c["code"]: c["count"] for c in s["byCountry"]}),
        "continent": Counter({c["code"]: c["count"] for c in s["byContinent"]}),
        "state": Counter({c["code"]: c["count"] for c in s["byState"]}),
        "focus": Counter({r["region"]: r["count"] for r in s["focusRegions"]}),
        "year": Counter({str(y["year"]): y["count"] for y in s["growthByYear"]}),
        "total": Counter({"all": s["total"]}),
    }


def japan(platform: Platform) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = gql(platform, JAPAN, after=after)["partnerships"]
        nodes += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            assert len(nodes) == page["totalCount"]
            return nodes
        after = page["pageInfo"]["endCursor"]


@pytest.fixture(scope="module")
def running(platform: Platform) -> Iterator[Platform]:
    platform.start("members", "partnerships")
    platform.start_gateway()
    yield platform


@pytest.fixture(scope="module")
def seeded(running: Platform) -> dict[str, Any]:
    """Both demo seeds on the running platform; what they took and how long."""
    # An earlier module's last clock change (members lapsing and back) may
    # still be flipping partnerships' recognition: counted in `before` first.
    running.wait_settled()
    before = stats_counts(running)
    japan_before = {n["id"] for n in japan(running)}
    run(running, "services.members.seed")
    started = time.monotonic()
    report = run(running, "services.partnerships.seed")
    seconds = time.monotonic() - started
    skipped = {
        int(line.split()[1].rstrip(":"))
        for line in report.splitlines()
        if line.strip().startswith("line ")
    }
    with CSV.open(encoding="utf-8", newline="") as f:
        rows = [r for n, r in enumerate(csv.DictReader(f), start=2) if n not in skipped]
    return {
        "before": before,
        "japan_before": japan_before,
        "rows": rows,
        "report": report,
        "seconds": seconds,
    }


def test_the_real_data_is_imported_and_the_directory_answers_japan(
    running: Platform, seeded: dict[str, Any]
) -> None:
    rows = seeded["rows"]
    assert len(rows) >= 3_500, seeded["report"]  # nearly all 3,850 rows are taken
    assert f"{len(rows)} imported" in seeded["report"]
    expected_jp = [r for r in rows if r["partner_country_code"] == "JP"]
    found = [n for n in japan(running) if n["id"] not in seeded["japan_before"]]
    assert len(found) == len(expected_jp) > 400
    assert {n["countryName"] for n in found} == {"Japan"}
    assert Counter((n["partnerCity"], n["memberState"]) for n in found) == Counter(
        (r["partner_city"], r["us_state"]) for r in expected_jp
    )
    chitose = gql(
        running,
        """{ partnerships(filter: {country: "JP", search: "chitose", state: "AK"}) {
             edges { node { partnerCity memberName recognized status
               member { name state } history { action reason } } } } }""",
    )["partnerships"]["edges"]
    node = chitose[0]["node"]
    assert (node["memberName"], node["member"]["name"]) == ("Anchorage", "Anchorage")
    assert node["recognized"] and node["status"] == "ACTIVE"
    assert node["history"] == [{"action": "IMPORTED", "reason": "imported"}]

    again = run(running, "services.partnerships.seed")
    assert " 0 imported" in again


def test_statistics_match_the_csv(running: Platform, seeded: dict[str, Any]) -> None:
    rows = seeded["rows"]
    after = stats_counts(running)
    grew = {k: after[k] - seeded["before"][k] for k in after}
    from services.partnerships.domain import geography  # the one definition

    expected = {
        "country": Counter(r["partner_country_code"] for r in rows),
        "continent": Counter(
            geography.continent_of(r["partner_country_code"]) for r in rows
        ),
        "state": Counter(r["us_state"] for r in rows),
        "year": Counter(r["established_year"] for r in rows if r["established_year"]),
        "total": Counter({"all": len(rows)}),
        "focus": Counter(
            {
                region.code: sum(
                    1 for r in rows if r["partner_country_code"] in region.countries
                )
                for region in geography.FOCUS_REGIONS
            }
        ),
    }
    assert grew == expected


def test_import_time_is_reported(seeded: dict[str, Any]) -> None:
    print(
        f"\npartnerships seed: {len(seeded['rows'])} rows in {seeded['seconds']:.1f}s"
    )
    assert seeded["seconds"] < 120


PROPOSE = """mutation($input: ProposePartnershipInput!) {
  proposePartnership(input: $input) { id status recognized } }"""
AGREE = """mutation($id: ID!, $input: AgreementInput!) {
  recordAgreement(id: $id, input: $input) {
    status signedOn agreement { usSignatory } } }"""


def register(running: Platform, name: str) -> dict[str, Any]:
    found: dict[str, Any] = running.rpc(
        "members",
        "register_member",
        {
            "name": name,
            "kind": "CITY",
            "state": "OR",
            "population": 30_000,
            "contact_email": "clerk@example.org",
        },
        identity=STAFF,
    )
    return found


def test_workflow_and_recognition_through_graphql(running: Platform) -> None:
    staff = running.token("staff")
    member = register(running, f"Astoria E2E {uuid.uuid4().hex[:6]}")
    mid = member["member_id"]
    mine = running.token("member", member_id=mid)
    other = running.token("member", member_id="someone-else")
    proposal = {
        "memberId": mid,
        "partnerCity": "Walldorf",
        "country": "DE",
        "type": "FRIENDSHIP",
        "programAreas": ["YOUTH_EDUCATION"],
    }
    assert error_codes(running, PROPOSE, None, input=proposal)[0][0] == (
        "UNAUTHENTICATED"
    )
    assert error_codes(running, PROPOSE, other, input=proposal)[0][0] == "FORBIDDEN"
    bad = error_codes(running, PROPOSE, mine, input={**proposal, "country": "ZZ"})
    assert bad == [("BAD_USER_INPUT", "country")]

    p = gql(running, PROPOSE, mine, input=proposal)["proposePartnership"]
    assert p["status"] == "PROPOSED"
    signed = (date.today() - timedelta(days=3)).isoformat()
    agreement = {
        "councilResolution": "R-2025-3",
        "signedOn": signed,
        "usSignatory": "Mayor A",
        "partnerSignatory": "Bürgermeister B",
        "documentReference": "file 3",
    }
    future = {**agreement, "signedOn": (date.today() + timedelta(days=9)).isoformat()}
    assert error_codes(running, AGREE, mine, id=p["id"], input=future) == [
        ("BAD_USER_INPUT", "signedOn")
    ]
    done = gql(running, AGREE, mine, id=p["id"], input=agreement)["recordAgreement"]
    assert done["status"] == "PENDING" and done["signedOn"] == signed
    activate = (
        "mutation($id: ID!) { activatePartnership(id: $id) { status recognized } }"
    )
    assert error_codes(running, activate, mine, id=p["id"])[0][0] == "FORBIDDEN"
    active = gql(running, activate, staff, id=p["id"])["activatePartnership"]
    # A new member is PENDING (first invoice unpaid): active, not recognized.
    assert active == {"status": "ACTIVE", "recognized": False}
    again = error_codes(running, activate, staff, id=p["id"])
    assert again[0][0] == "CONFLICT"

    recognized = """query($id: ID!) { partnership(id: $id) { recognized
      member { status goodStanding } } }"""
    invoices = running.rpc("members", "member_invoices", [mid], identity=STAFF)[0]
    assert invoices, "the members seed sets this year's schedule"
    if invoices:  # pay the invoice
        current = invoices[0]
        running.publish_event(
            "payments",
            "payment_succeeded",
            {
                "payment_id": f"pay_{uuid.uuid4().hex[:10]}",
                "purpose": "DUES",
                "invoice_id": current["invoice_id"],
                "member_id": mid,
                "amount_cents": current["amount_cents"],
                "currency": current["currency"],
                "paid_at": datetime.now(UTC).isoformat(),
            },
        )
        wait_until(
            lambda: gql(running, recognized, staff, id=p["id"])["partnership"][
                "recognized"
            ],
            timeout=15,
            message="recognized once the dues are paid",
        )
        seen = gql(running, recognized, staff, id=p["id"])["partnership"]
        assert seen["member"] == {"status": "ACTIVE", "goodStanding": True}

    cancel = (
        'mutation($id: ID!) { cancelMembership(id: $id, reason: "e2e") { status } }'
    )
    gql(running, cancel, staff, id=mid)
    wait_until(
        lambda: (
            not gql(running, recognized, staff, id=p["id"])["partnership"]["recognized"]
        ),
        timeout=15,
        message="not recognized once the membership is cancelled",
    )
    history = gql(
        running,
        """query($id: ID!) { partnership(id: $id) { history {
             action fromStatus toStatus actor reason } } }""",
        mine,
        id=p["id"],
    )["partnership"]["history"]
    assert [h["toStatus"] for h in history] == ["PROPOSED", "PENDING", "ACTIVE"]
    assert history[0]["actor"] == "test-member"

    member_view = gql(
        running,
        "query($id: ID!) { member(id: $id) { name partnerships { partnerCity } } }",
        staff,
        id=mid,
    )["member"]
    assert member_view["partnerships"] == [{"partnerCity": "Walldorf"}]


def test_partner_suggestions_through_graphql(
    running: Platform, seeded: dict[str, Any]
) -> None:
    anchorage = running.rpc(
        "members", "find_members", [["Anchorage", "AK"]], identity=STAFF
    )[0]
    token = running.token("member", member_id=anchorage["member_id"])
    gql(
        running,
        """mutation($id: ID!) { setPartnerPreferences(memberId: $id, input: {
             continents: ["AS"], programAreas: [ARTS_CULTURE],
             populationMin: 100000, populationMax: 1000000 }) { continents } }""",
        token,
        id=anchorage["member_id"],
    )
    found = gql(
        running,
        """query($id: ID!) { partnerSuggestions(memberId: $id, first: 20) {
             name country population reasons } }""",
        token,
        id=anchorage["member_id"],
    )["partnerSuggestions"]
    assert len(found) == 20
    names = {s["name"] for s in found}
    assert not names & {"Chitose", "Harbin"}  # Anchorage's partners already
    assert all(s["reasons"] for s in found)
    refused = error_codes(
        running, 'query { partnerSuggestions(memberId: "x", first: 5) { name } }'
    )
    assert refused[0][0] == "UNAUTHENTICATED"


# --- RPC calls per page, counted on the broker ------------------------------------


GATEWAY_REPLIES = "rpc-reply-gateway-"


class RpcTap:
    """A queue bound to nameko's RPC exchange: a copy of every request. It
    counts the gateway's only (by their reply queue): services call one
    another in the background too, handling events of earlier tests."""

    def __init__(self, amqp_uri: str) -> None:
        self.conn = amqp.connection(amqp_uri)
        exchange = Exchange("nameko-rpc", type="topic", durable=True)
        self.queue = Queue(
            f"test-rpc-tap-{uuid.uuid4().hex[:8]}",
            bindings=[
                binding(exchange, routing_key=f"{s}.*")
                for s in ("members", "partnerships", "grants", "payments")
            ],
            exclusive=True,
            auto_delete=True,
        )(self.conn.channel())
        self.queue.declare()

    def drain(self) -> Counter[str]:
        calls: Counter[str] = Counter()
        while (message := self.queue.get(no_ack=True)) is not None:
            if message.properties.get("reply_to", "").startswith(GATEWAY_REPLIES):
                calls[message.delivery_info["routing_key"]] += 1
        return calls

    def close(self) -> None:
        self.conn.release()


PAGE = """query($search: String!, $first: Int!) {
  partnerships(filter: {search: $search}, first: $first) {
    totalCount edges { node { id partnerCity country
      member { id name state } history { action } } } } }"""
MEMBERS_PAGE = """query($search: String!) {
  members(filter: {search: $search}, first: 50) { edges { node {
    id name partnerships { id partnerCity member { name } } } } } }"""


def test_a_page_of_100_with_members_costs_a_constant_number_of_calls(
    running: Platform,
) -> None:
    token = uuid.uuid4().hex[:8]
    members = [register(running, f"Tapville {token} {i}") for i in range(10)]
    for n in range(120):  # 12 partnerships per member
        running.rpc(
            "partnerships",
            "propose_partnership",
            {
                "member_id": members[n % 10]["member_id"],
                "partner_city": f"Zq{token} {n}",
                "country": "FR",
                "type": "SISTER",
            },
            identity=STAFF,
        )
    staff = running.token("staff")
    tap = RpcTap(running.amqp_uri)
    try:
        tap.drain()
        big = gql(running, PAGE, staff, search=f"zq{token}", first=100)["partnerships"]
        calls_100 = tap.drain()
        small = gql(running, PAGE, staff, search=f"zq{token}", first=10)["partnerships"]
        calls_10 = tap.drain()
        by_member = gql(running, MEMBERS_PAGE, staff, search=f"Tapville {token}")
        calls_members = tap.drain()
    finally:
        tap.close()
    assert big["totalCount"] == 120 and len(big["edges"]) == 100
    assert len(small["edges"]) == 10
    assert len({e["node"]["member"]["id"] for e in big["edges"]}) == 10
    expected = Counter(
        {
            "partnerships.search_partnerships": 1,
            "members.get_members": 1,
            "partnerships.partnership_histories": 1,
        }
    )
    assert calls_100 == expected, calls_100
    assert calls_10 == expected, calls_10
    nodes = [e["node"] for e in by_member["members"]["edges"]]
    assert len(nodes) == 10 and all(len(n["partnerships"]) == 12 for n in nodes)
    assert calls_members == Counter(
        {
            "members.list_members": 1,
            "partnerships.partnerships_of_members": 1,
            "members.get_members": 1,
        }
    ), calls_members
