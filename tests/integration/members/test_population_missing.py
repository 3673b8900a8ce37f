"""A community imported with its population missing, across the platform.

It is imported as the seed imports it (the import's own code on the members
database; the running service's relay publishes the news). Grants and
partnerships learn of it like any member; staff find it through GraphQL;
no dues are issued until staff set its population; then it is billed as a
joiner and pays through payments and the offline Stripe. Nothing is parked
anywhere on the way.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from common.db import make_session_factory
from common.deadletters import list_dead_letters
from common.identity import SERVICE
from services.members.adapters import settings
from services.members.adapters.orm import outbox, processed_events
from services.members.service_layer.importing import import_members
from services.members.service_layer.unit_of_work import MembersUnitOfWork
from tests.integration.members.conftest import Members
from tests.integration.payments.world import PaymentsWorld
from tests.support.platform import Platform
from tests.support.wait import wait_until

YEAR = 2061  # this module's own fiscal year
MEMBER_FIELDS = "id name population duesBand status goodStanding"


def gql(platform: Platform, query: str, **variables: Any) -> dict[str, Any]:
    body = platform.graphql(query, variables, token=platform.token("staff"))
    assert not body.get("errors"), body["errors"]
    data: dict[str, Any] = body["data"]
    return data


def import_rows(platform: Platform, rows: list[dict[str, Any]]) -> Any:
    """What `python -m services.members.seed` does with its rows."""
    sessions = make_session_factory(platform.engine("members"))

    def uow() -> MembersUnitOfWork:
        return MembersUnitOfWork(sessions, "members", outbox, processed_events)

    return import_members(
        uow, SERVICE, settings.policy(), list(enumerate(rows, start=2))
    )


def parked(platform: Platform) -> set[tuple[str, str]]:
    """Every dead letter of the services this member's news goes through."""
    return {
        (service, letter.event_id)
        for service in ("members", "grants", "partnerships", "payments")
        for letter in list_dead_letters(service, platform.amqp_uri)
    }


def facts(platform: Platform, service: str, table: str, member_id: str) -> Any:
    with platform.engine(service).connect() as conn:
        return (
            conn.execute(
                text(
                    f"SELECT population, good_standing FROM {table} "
                    "WHERE member_id = :m"
                ),
                {"m": member_id},
            )
            .mappings()
            .first()
        )


def test_a_member_without_population_flows_through_the_platform(
    members: Members, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEMBERS_CLOCK_CONTROL", "1")  # the import's date: YEAR's
    world = PaymentsWorld(platform)  # the gateway, payments and devstripe
    platform.start("grants", "partnerships")
    parked_before = parked(platform)
    members.set_today(date(YEAR, 3, 2))
    if members.rpc("get_dues_schedule", YEAR) is None:
        members.schedule(YEAR)
    name = f"Barrow {uuid.uuid4().hex[:8]}"
    report = import_rows(
        platform,
        [
            {
                "name": name,
                "kind": "CITY",
                "state": "AK",
                "population": None,
                "contact_email": "office@barrow-ak.example",
            }
        ],
    )
    assert (report.imported, report.population_missing) == (1, [2])

    found = gql(
        platform,
        "query($s: String) { members(filter: {populationMissing: true, search: $s})"
        f" {{ totalCount edges {{ node {{ {MEMBER_FIELDS} currentInvoice {{ id }} }}"
        " } } }",
        s=name,
    )["members"]
    assert found["totalCount"] == 1
    node = found["edges"][0]["node"]
    member_id = node["id"]
    assert node == {
        "id": member_id,
        "name": name,
        "population": None,
        "duesBand": None,
        "status": "ACTIVE",
        "goodStanding": True,
        "currentInvoice": None,
    }
    # Grants and partnerships know it, in good standing, population unknown.
    for service, table in (("grants", "member_facts"), ("partnerships", "members")):

        def known(s: str = service, t: str = table) -> bool:
            return facts(platform, s, t, member_id) is not None

        wait_until(known, timeout=20, message=f"{service} knows the member")
        assert dict(facts(platform, service, table, member_id)) == {
            "population": None,
            "good_standing": True,
        }

    # Staff set the population: billed as a joiner, due the day it is issued.
    updated = gql(
        platform,
        "mutation($id: ID!) { updateMember(id: $id, input: {population: 4400}) "
        f"{{ {MEMBER_FIELDS} currentInvoice {{ id fiscalYear status dueDate "
        "amountCents band } } }",
        id=member_id,
    )["updateMember"]
    invoice = updated.pop("currentInvoice")
    expected = {k: v for k, v in node.items() if k != "currentInvoice"}
    assert updated == expected | {"population": 4400, "duesBand": "UP_TO_25K"}
    assert (invoice["fiscalYear"], invoice["status"], invoice["dueDate"]) == (
        YEAR,
        "OPEN",
        f"{YEAR}-03-02",
    )
    assert invoice["band"] == "UP_TO_25K" and invoice["amountCents"] == 10_000
    wait_until(
        lambda: (
            facts(platform, "grants", "member_facts", member_id)["population"] == 4400
        ),
        timeout=20,
        message="grants learns the population",
    )
    still = gql(
        platform,
        "query($s: String) { members(filter: {populationMissing: true, search: $s})"
        " { totalCount } }",
        s=name,
    )
    assert still["members"]["totalCount"] == 0

    # It pays through payments and Stripe like any member.
    answer = world.checkout({"invoice_id": invoice["id"], "member_id": member_id})
    world.pay(answer["checkout_session_id"])
    world.wait_payment(answer["payment_id"], "SUCCEEDED")
    world.wait_invoice(invoice["id"], "PAID")
    history = members.history(member_id)
    assert [h["new_status"] for h in history] == ["ACTIVE"]  # never left it
    assert "population missing" in history[0]["reason"]

    assert parked(platform) == parked_before
