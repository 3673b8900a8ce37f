"""Membership and dues on the running platform, through GraphQL over HTTP.

Staff register a community, set next year's schedule, open the year; the
member's own user reads its invoice, status and history; a payment (the event
payments' outbox would publish) makes it ACTIVE; the clock (moved by RPC,
never by sleeping) takes it into GRACE. Every wrong caller is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tests.integration.members.conftest import CLOCK_ENV, Members
from tests.support.platform import Platform
from tests.support.wait import wait_until

MEMBER_FIELDS = """
  id name kind state population status goodStanding duesBand contactEmail
  currentInvoice { id fiscalYear amountCents currency status dueDate band }
  invoices { id fiscalYear status }
  statusHistory { oldStatus newStatus goodStanding reason changedAt effectiveOn }
"""
BANDS: list[dict[str, Any]] = [
    {"minPopulation": 1, "maxPopulation": 25_000, "amountCents": 15_000},
    {"minPopulation": 25_001, "maxPopulation": 50_000, "amountCents": 30_000},
    {"minPopulation": 50_001, "maxPopulation": 100_000, "amountCents": 45_000},
    {"minPopulation": 100_001, "maxPopulation": 300_000, "amountCents": 60_000},
    {"minPopulation": 300_001, "maxPopulation": 500_000, "amountCents": 75_000},
    {"minPopulation": 500_001, "maxPopulation": None, "amountCents": 90_000},
]


@pytest.fixture(scope="module")
def members(platform: Platform) -> Iterator[Members]:
    proc = platform.processes.get("members")
    if proc is not None and proc.env.get("MEMBERS_CLOCK_CONTROL") != "1":
        platform.stop("members")
    platform.start("members", env=CLOCK_ENV)
    platform.start_gateway()
    api = Members(platform)
    yield api
    api.set_today(None)
    api.rpc("run_daily")


def gql(
    platform: Platform, query: str, token: str | None = None, **variables: Any
) -> dict[str, Any]:
    body = platform.graphql(query, variables, token=token)
    assert not body.get("errors"), body["errors"]
    data: dict[str, Any] = body["data"]
    return data


def errors(
    platform: Platform, query: str, token: str | None = None, **variables: Any
) -> list[dict[str, Any]]:
    body = platform.graphql(query, variables, token=token)
    assert body.get("errors"), body
    found: list[dict[str, Any]] = body["errors"]
    return found


def codes(found: list[dict[str, Any]]) -> set[str]:
    return {e["extensions"]["code"] for e in found}


REGISTER = """mutation($input: RegisterMemberInput!) {
  registerMember(input: $input) { id name status goodStanding duesBand } }"""
MEMBER = f"query($id: ID!) {{ member(id: $id) {{ {MEMBER_FIELDS} }} }}"


def test_register_schedule_open_read_pay_and_lapse(
    platform: Platform, members: Members
) -> None:
    staff = platform.token("staff")
    members.set_today(date(2052, 11, 20))
    name = f"Hood River {uuid.uuid4().hex[:6]}"
    registered = gql(
        platform,
        REGISTER,
        staff,
        input={
            "name": name,
            "kind": "CITY",
            "state": "OR",
            "population": 8_300,
            "contactEmail": "clerk@hoodriver.example",
        },
    )["registerMember"]
    assert registered["status"] == "PENDING" and registered["duesBand"] == "UP_TO_25K"
    member_id = registered["id"]

    schedule = gql(
        platform,
        """mutation($bands: [DuesBandInput!]!) {
             setDuesSchedule(fiscalYear: 2053, bands: $bands, graceDays: 15) {
               fiscalYear currency graceDays opened
               bands { band label amountCents } } }""",
        staff,
        bands=BANDS,
    )["setDuesSchedule"]
    assert schedule["graceDays"] == 15 and not schedule["opened"]
    assert schedule["bands"][0] == {
        "band": "UP_TO_25K",
        "label": "up to 25,000",
        "amountCents": 15_000,
    }
    opened = gql(
        platform,
        "mutation { openDuesYear(fiscalYear: 2053) { fiscalYear issued } }",
        staff,
    )["openDuesYear"]
    assert opened["issued"] >= 1
    again = gql(
        platform, "mutation { openDuesYear(fiscalYear: 2053) { issued } }", staff
    )
    assert again["openDuesYear"]["issued"] == 0

    mine = platform.token("member", member_id=member_id)
    seen = gql(platform, MEMBER, mine, id=member_id)["member"]
    assert seen["currentInvoice"] is None  # 2052 has no schedule; 2053 is billed
    (invoice,) = seen["invoices"]
    assert (invoice["fiscalYear"], invoice["status"]) == (2053, "OPEN")
    direct = gql(
        platform,
        "query($id: ID!) { invoice(id: $id) { amountCents currency dueDate band } }",
        mine,
        id=invoice["id"],
    )["invoice"]
    assert direct == {
        "amountCents": 15_000,
        "currency": "USD",
        "dueDate": "2053-01-01",
        "band": "UP_TO_25K",
    }

    members.pay(
        {
            **invoice,
            "invoice_id": invoice["id"],
            "member_id": member_id,
            "amount_cents": 15_000,
            "currency": "USD",
        }
    )
    wait_until(
        lambda: (
            gql(platform, MEMBER, mine, id=member_id)["member"]["status"] == "ACTIVE"
        ),
        message="ACTIVE after the payment event",
    )
    members.set_today(date(2053, 11, 1))
    members.rpc(
        "set_dues_schedule",
        2054,
        [
            {
                "min_population": b["minPopulation"],
                "max_population": b["maxPopulation"],
                "amount_cents": b["amountCents"],
            }
            for b in BANDS
        ],
        15,
    )
    gql(platform, "mutation { openDuesYear(fiscalYear: 2054) { issued } }", staff)
    members.run_daily(date(2054, 1, 2))  # leaves the clock on that date
    final: dict[str, Any] = gql(platform, MEMBER, mine, id=member_id)["member"]
    assert (final["status"], final["goodStanding"]) == ("GRACE", True)
    assert final["currentInvoice"]["fiscalYear"] == 2054
    assert final["currentInvoice"]["status"] == "OPEN"
    assert [(h["oldStatus"], h["newStatus"]) for h in final["statusHistory"]] == [
        (None, "PENDING"),
        ("PENDING", "ACTIVE"),
        ("ACTIVE", "GRACE"),
    ]
    assert final["statusHistory"][2]["effectiveOn"] == "2054-01-02"


def test_wrong_callers_are_refused_through_graphql(
    platform: Platform, members: Members
) -> None:
    staff = platform.token("staff")
    members.set_today(date(2052, 6, 1))
    ours = [
        members.register(population=4_000, state="NM")["member_id"] for _ in range(2)
    ]
    mine, theirs = ours
    me = platform.token("member", member_id=mine)
    reviewer = platform.token("reviewer", reviewer_id="rv-1")

    # Anonymous: the public directory only, nothing about dues.
    anon = platform.graphql(MEMBER, {"id": theirs})
    assert anon["data"]["member"] is None or anon["data"]["member"]["name"]
    assert codes(anon["errors"]) == {"FORBIDDEN"}
    public = gql(
        platform, "query($id: ID!) { member(id: $id) { name kind state } }", id=theirs
    )
    assert public["member"]["kind"] == "CITY"
    found = errors(platform, "{ duesSchedule(fiscalYear: 2052) { fiscalYear } }")
    assert codes(found) == {"UNAUTHENTICATED"}

    # Another member's dues are not mine to see or change.
    other = platform.graphql(
        "query($id: ID!) { member(id: $id) { name invoices { id } status } }",
        {"id": theirs},
        token=me,
    )
    assert codes(other["errors"]) == {"FORBIDDEN"}
    update = """mutation($id: ID!, $input: UpdateMemberInput!) {
                  updateMember(id: $id, input: $input) { name version: id } }"""
    for token, target, change, code in [
        (me, theirs, {"name": "Mine now"}, "FORBIDDEN"),
        (me, mine, {"population": 1}, "FORBIDDEN"),
        (None, mine, {"name": "Anon"}, "UNAUTHENTICATED"),
        (reviewer, mine, {"name": "Reviewer"}, "FORBIDDEN"),
    ]:
        assert codes(errors(platform, update, token, id=target, input=change)) == {code}
    cancel = 'mutation($id: ID!) { cancelMembership(id: $id, reason: "no") { status } }'
    assert codes(errors(platform, cancel, me, id=theirs)) == {"FORBIDDEN"}
    for token in (me, reviewer, None):
        found = errors(
            platform, "mutation { openDuesYear(fiscalYear: 2052) { issued } }", token
        )
        assert codes(found) <= {"FORBIDDEN", "UNAUTHENTICATED"}
    assert members.rpc("get_dues_schedule", 2052) is None
    assert members.statuses(theirs) == ["PENDING"]
    assert not members.member(theirs)["name"].startswith("Mine")

    # Bad input names the field as the client wrote it; nothing is created.
    bad = errors(
        platform,
        REGISTER,
        staff,
        input={
            "name": "Bad mail",
            "kind": "CITY",
            "state": "NM",
            "population": 5,
            "contactEmail": "nope",
        },
    )
    assert bad[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "contactEmail"}

    # The member's own user may fix its contact email.
    fixed = gql(
        platform,
        """mutation($id: ID!) {
             updateMember(id: $id, input: {contactEmail: "m@x.example"}) {
               contactEmail } }""",
        me,
        id=mine,
    )
    assert fixed["updateMember"]["contactEmail"] == "m@x.example"


def test_the_directory_connection(platform: Platform, members: Members) -> None:
    tag = uuid.uuid4().hex[:6]
    for n in range(5):
        members.register(population=1_000 + n, state="ID", name=f"Dir {tag} {n}")
    query = """query($after: String, $search: String) {
      members(filter: {search: $search, state: "ID"}, first: 2, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { name kind state } } } }"""
    names, after = [], None
    while True:
        page = gql(platform, query, after=after, search=tag)["members"]
        assert page["totalCount"] == 5
        names += [e["node"]["name"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert names == [f"Dir {tag} {n}" for n in range(5)]
    staff = platform.token("staff")
    with_dues = gql(
        platform,
        """query($search: String) {
             members(filter: {search: $search, status: PENDING}, first: 10) {
               totalCount
               edges { node { status invoices { id } statusHistory { newStatus } } }
             } }""",
        staff,
        search=tag,
    )["members"]
    assert with_dues["totalCount"] == 5
    assert all(e["node"]["statusHistory"] for e in with_dues["edges"])
    refused = errors(platform, "{ members(filter: {status: LAPSED}) { totalCount } }")
    assert codes(refused) == {"FORBIDDEN"}
