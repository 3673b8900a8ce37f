"""The members part of the GraphQL schema over a fake RPC client: a page of
members costs a constant number of calls, hidden fields are FORBIDDEN, and
errors name fields as the client wrote them."""

from __future__ import annotations

from collections import Counter
from typing import Any

from common.identity import ANONYMOUS, Identity
from gateway.context import Context
from gateway.errors import ServiceError
from gateway.schema import build_schema

STAFF = Identity(sub="s", role="staff")


def member(n: int, full: bool) -> dict[str, Any]:
    view: dict[str, Any] = {
        "member_id": f"m-{n}",
        "name": f"Town {n}",
        "kind": "CITY",
        "state": "OH",
    }
    if full:
        view |= {
            "population": 1_000 + n,
            "status": "ACTIVE",
            "good_standing": True,
            "contact_email": "a@b.example",
            "dues_band": "UP_TO_25K",
            "joined_on": "2027-01-05",
            "current_fiscal_year": 2027,
            "version": 2,
        }
    return view


def invoice(member_id: str, year: int) -> dict[str, Any]:
    return {
        "invoice_id": f"i-{member_id}-{year}",
        "member_id": member_id,
        "fiscal_year": year,
        "band": "UP_TO_25K",
        "amount_cents": 100,
        "full_amount_cents": 100,
        "currency": "USD",
        "status": "PAID",
        "issued_on": "2026-11-01",
        "due_date": f"{year}-01-01",
        "grace_ends_on": f"{year}-01-31",
        "prorated": False,
        "covered_days": None,
        "year_days": None,
    }


class FakeMembers:
    def __init__(self, full: bool) -> None:
        self.full = full
        self.calls: Counter[str] = Counter()

    def bind(self, identity: Identity, correlation_id: str) -> FakeMembers:
        return self

    async def invoke(
        self,
        service: str,
        method: str,
        args: Any = (),
        kwargs: Any = None,
        timeout: float | None = None,
    ) -> Any:
        # What the typed clients (gateway.clients) call underneath.
        return await self.call(service, method, *args, **(kwargs or {}))

    async def call(self, service: str, method: str, *args: Any, **kw: Any) -> Any:
        self.calls[method] += 1
        if method == "list_members":
            nodes = [member(n, self.full) for n in range(25)]
            return {
                "edges": [{"cursor": f"c{n}", "node": m} for n, m in enumerate(nodes)],
                "page_info": {
                    "has_next_page": True,
                    "has_previous_page": False,
                    "start_cursor": "c0",
                    "end_cursor": "c24",
                },
                "total_count": 99,
            }
        if method == "member_invoices":
            return [
                [invoice(i, 2027), invoice(i, 2026)] if self.full else None
                for i in args[0]
            ]
        if method == "status_histories":
            return [
                [
                    {
                        "old_status": None,
                        "new_status": "ACTIVE",
                        "good_standing": True,
                        "reason": "imported",
                        "changed_at": "2027-01-05T10:00:00+00:00",
                        "effective_on": "2027-01-05",
                    }
                ]
                for _ in args[0]
            ]
        if method == "register_member":
            raise ServiceError("BAD_USER_INPUT", "not an email", "contact_email")
        raise AssertionError(method)


async def run(fake: FakeMembers, query: str, identity: Identity) -> Any:
    context = Context(
        request=None,  # type: ignore[arg-type]
        response=None,
        client=fake,  # type: ignore[arg-type]
        correlation_id="c",
        identity=identity,
    )
    return await build_schema().execute(query, context_value=context)


PAGE = """{ members(first: 25) { totalCount edges { node {
  name status duesBand currentInvoice { fiscalYear } invoices { id }
  statusHistory { newStatus } } } } }"""


async def test_a_page_costs_one_call_per_kind_of_data() -> None:
    fake = FakeMembers(full=True)
    result = await run(fake, PAGE, STAFF)
    assert result.errors is None
    edges = result.data["members"]["edges"]
    assert len(edges) == 25 and result.data["members"]["totalCount"] == 99
    assert edges[3]["node"]["currentInvoice"] == {"fiscalYear": 2027}
    assert fake.calls == Counter(
        {"list_members": 1, "member_invoices": 1, "status_histories": 1}
    )


async def test_hidden_fields_are_forbidden_not_silently_empty() -> None:
    fake = FakeMembers(full=False)
    result = await run(
        fake, "{ members(first: 25) { edges { node { name status } } } }", ANONYMOUS
    )
    nodes = [e["node"] for e in result.data["members"]["edges"]]
    assert nodes[0] == {"name": "Town 0", "status": None}  # the directory stays
    assert len(result.errors) == 25
    assert {(e.extensions["code"], e.extensions["field"]) for e in result.errors} == {
        ("FORBIDDEN", "status")
    }


async def test_errors_name_the_field_as_the_client_wrote_it() -> None:
    result = await run(
        FakeMembers(full=True),
        """mutation { registerMember(input: {name: "X", kind: CITY, state: "OH",
             population: 1, contactEmail: "x"}) { id } }""",
        STAFF,
    )
    (error,) = result.errors
    assert error.extensions == {"code": "BAD_USER_INPUT", "field": "contactEmail"}


class MissingPopulation(FakeMembers):
    """A page holding one member imported with its population missing."""

    def __init__(self) -> None:
        super().__init__(full=True)
        self.filters: list[Any] = []

    async def call(self, service: str, method: str, *args: Any, **kw: Any) -> Any:
        if method != "list_members":
            return await super().call(service, method, *args, **kw)
        self.filters.append(args[0])
        node = member(1, full=True) | {"population": None, "dues_band": None}
        return {
            "edges": [{"cursor": "c0", "node": node}],
            "page_info": {
                "has_next_page": False,
                "has_previous_page": False,
                "start_cursor": "c0",
                "end_cursor": "c0",
            },
            "total_count": 1,
        }


async def test_staff_list_the_members_whose_population_is_missing() -> None:
    fake = MissingPopulation()
    result = await run(
        fake,
        """{ members(filter: {populationMissing: true}) { totalCount
             edges { node { name population duesBand } } } }""",
        STAFF,
    )
    assert result.errors is None
    assert fake.filters == [{"population_missing": True}]
    (edge,) = result.data["members"]["edges"]
    assert edge["node"] == {"name": "Town 1", "population": None, "duesBand": None}
