"""Use cases end to end on a real database, without the broker."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from common.envelope import Envelope
from common.errors import Conflict, Forbidden, Unauthenticated
from common.identity import Identity
from contracts.members import InvoiceView
from services.members.domain.fiscal import FiscalCalendar, MembershipPolicy
from services.members.service_layer import dues, membership, queries, standing
from services.members.service_layer.importing import import_members
from tests.unit.members.builders import band_input
from tests.unit.members.conftest import STAFF, Store

POLICY = MembershipPolicy()
CITY: dict[str, Any] = {"kind": "CITY", "state": "KS", "contact_email": "a@b.example"}


def register(
    store: Store, name: str, population: int = 10_000, policy: MembershipPolicy = POLICY
) -> str:
    data = {**CITY, "name": name, "population": population}
    return str(membership.register_member(store, STAFF, policy, data)["member_id"])


def invoices(store: Store, member_id: str) -> list[InvoiceView]:
    (found,) = queries.member_invoices(store, STAFF, [member_id])
    assert found is not None
    return found


def status(store: Store, member_id: str) -> str:
    return str(queries.get_member(store, STAFF, POLICY, member_id)["status"])


def test_prorated_joiners_when_the_policy_says_so(store: Store) -> None:
    prorating = MembershipPolicy(prorate_joiners=True)
    store.set_today(date(2027, 10, 1))  # 92 of 365 days left
    dues.set_dues_schedule(store, STAFF, prorating, 2027, band_input())
    member_id = register(store, "Salina", 40_000, prorating)
    (invoice,) = invoices(store, member_id)
    assert invoice["prorated"] and (invoice["covered_days"], invoice["year_days"]) == (
        92,
        365,
    )
    assert invoice["full_amount_cents"] == 200_00
    assert invoice["amount_cents"] == 5041  # 20000 * 92 / 365, rounded
    # Opening a year is never prorated.
    dues.set_dues_schedule(store, STAFF, prorating, 2028, band_input())
    dues.open_dues_year(store, STAFF, prorating, 2028)
    assert invoices(store, member_id)[0]["amount_cents"] == 200_00


def test_a_july_fiscal_year(store: Store) -> None:
    july = MembershipPolicy(calendar=FiscalCalendar(7, 1))
    store.set_today(date(2027, 5, 20))  # fiscal 2027; 2028 starts 2027-07-01
    dues.set_dues_schedule(store, STAFF, july, 2028, band_input())
    member_id = register(store, "Hays", 20_000, july)
    assert dues.open_dues_year(store, STAFF, july, 2028)["issued"] == 1
    assert invoices(store, member_id)[0]["due_date"] == "2027-07-01"


def test_registration_bills_the_current_year_and_later_opened_ones(
    store: Store,
) -> None:
    store.set_today(date(2027, 12, 10))
    dues.set_dues_schedule(store, STAFF, POLICY, 2027, band_input())
    dues.set_dues_schedule(store, STAFF, POLICY, 2028, band_input())
    dues.open_dues_year(store, STAFF, POLICY, 2028)
    member_id = register(store, "Wichita", 397_000)
    years = [(i["fiscal_year"], i["band"]) for i in invoices(store, member_id)]
    assert years == [(2028, "FROM_300K_TO_500K"), (2027, "FROM_300K_TO_500K")]
    issued = store.events("dues_invoice_issued")
    assert sorted(e["fiscal_year"] for e in issued if e["member_id"] == member_id) == [
        2027,
        2028,
    ]


def test_daily_run_is_idempotent_and_reports_moves(store: Store) -> None:
    store.set_today(date(2026, 12, 1))
    dues.set_dues_schedule(store, STAFF, POLICY, 2027, band_input(), 10)
    ids = [register(store, f"Town {n}") for n in range(3)]
    dues.open_dues_year(store, STAFF, POLICY, 2027)
    first = standing.run_daily(store, STAFF, POLICY, date(2027, 1, 12))
    assert first["transitions"] == 3 and first["moved_to"] == {"LAPSED": 3}
    again = standing.run_daily(store, STAFF, POLICY, date(2027, 1, 12))
    assert again["transitions"] == 0 and again["reminders"] == 0
    assert {status(store, i) for i in ids} == {"LAPSED"}


def test_payment_news_is_claimed_once(store: Store) -> None:
    store.set_today(date(2027, 2, 1))
    dues.set_dues_schedule(store, STAFF, POLICY, 2027, band_input())
    member_id = register(store, "Topeka", 126_000)
    (invoice,) = invoices(store, member_id)
    news = Envelope(
        type="payment_succeeded",
        producer="payments",
        payload={
            "payment_id": "pay_1",
            "purpose": "DUES",
            "invoice_id": invoice["invoice_id"],
            "member_id": member_id,
            "amount_cents": invoice["amount_cents"],
            "currency": "USD",
            "paid_at": "2027-02-01T10:00:00+00:00",
        },
    )
    standing.payment_news(store, [news])
    standing.payment_news(store, [news, news])  # again, and twice in a batch
    assert status(store, member_id) == "ACTIVE"
    changes = store.events("membership_status_changed")
    assert [c["new_status"] for c in changes if c["member_id"] == member_id] == [
        "PENDING",
        "ACTIVE",
    ]


def test_import_takes_good_rows_reports_bad_ones_and_never_twice(store: Store) -> None:
    store.set_today(date(2027, 4, 1))
    rows: list[tuple[int, dict[str, Any]]] = [
        (2, {**CITY, "name": "Abilene", "population": 6_500}),
        (3, {**CITY, "name": "Nowhere", "population": "many"}),
        (4, {**CITY, "name": "abilene ", "population": 6_500}),  # repeat in the file
    ]
    with pytest.raises(Conflict):
        import_members(store, STAFF, POLICY, rows)  # no schedule for the year yet
    dues.set_dues_schedule(store, STAFF, POLICY, 2027, band_input())
    report = import_members(store, STAFF, POLICY, rows)
    assert (report.imported, report.already_present) == (1, 1)
    assert [(s.row, s.reason) for s in report.skipped] == [
        (3, "population: a population is a whole number")
    ]
    again = import_members(store, STAFF, POLICY, rows)
    assert (again.imported, again.already_present) == (0, 2)
    (member,) = queries.find_members(store, STAFF, POLICY, [["ABILENE", "ks"]])
    assert member is not None and member["status"] == "ACTIVE"
    (history,) = queries.status_histories(store, STAFF, [member["member_id"]])
    assert history is not None
    assert [(h["old_status"], h["new_status"], h["reason"]) for h in history] == [
        (None, "ACTIVE", "imported")
    ]
    assert invoices(store, member["member_id"])[0]["status"] == "PAID"


def test_cancelling_voids_open_invoices_and_cannot_repeat(store: Store) -> None:
    store.set_today(date(2027, 2, 1))
    dues.set_dues_schedule(store, STAFF, POLICY, 2027, band_input())
    member_id = register(store, "Emporia")
    done = membership.cancel_membership(store, STAFF, POLICY, member_id, " moved ")
    assert done["status"] == "CANCELLED" and not done["good_standing"]
    assert invoices(store, member_id)[0]["status"] == "VOID"
    with pytest.raises(Conflict):
        membership.cancel_membership(store, STAFF, POLICY, member_id, "again")
    # A cancelled member is not billed when a year opens.
    dues.set_dues_schedule(store, STAFF, POLICY, 2028, band_input())
    assert dues.open_dues_year(store, STAFF, POLICY, 2028)["issued"] == 0


def test_reinstating_reopens_this_years_dues_and_derives_the_status(
    store: Store,
) -> None:
    store.set_today(date(2027, 2, 1))
    dues.set_dues_schedule(store, STAFF, POLICY, 2027, band_input())
    member_id = register(store, "Lawrence")
    with pytest.raises(Conflict):
        membership.reinstate_membership(store, STAFF, POLICY, member_id, "not gone")
    membership.cancel_membership(store, STAFF, POLICY, member_id, "left")
    assert invoices(store, member_id)[0]["status"] == "VOID"
    store.set_today(date(2027, 5, 1))
    back = membership.reinstate_membership(store, STAFF, POLICY, member_id, "back")
    # This year's invoice is owed again: due 2027-02-01, past its grace period.
    assert back["status"] == "LAPSED"
    assert [i["status"] for i in invoices(store, member_id)] == ["OPEN"]
    (history,) = queries.status_histories(store, STAFF, [member_id])
    assert history is not None
    assert history[-1]["old_status"] == "CANCELLED"
    assert history[-1]["reason"].startswith("reinstated by staff: back")


def test_a_member_cancelled_last_year_is_billed_afresh(store: Store) -> None:
    store.set_today(date(2027, 2, 1))
    dues.set_dues_schedule(store, STAFF, POLICY, 2027, band_input())
    member_id = register(store, "Olathe")
    membership.cancel_membership(store, STAFF, POLICY, member_id, "left")
    store.set_today(date(2028, 3, 1))
    dues.set_dues_schedule(store, STAFF, POLICY, 2028, band_input())
    back = membership.reinstate_membership(store, STAFF, POLICY, member_id, "back")
    assert back["status"] == "PENDING"
    years = [(i["fiscal_year"], i["status"]) for i in invoices(store, member_id)]
    assert years == [(2028, "OPEN"), (2027, "VOID")]  # last year's stays void


def test_a_batch_of_payment_news_ends_as_one_at_a_time(store: Store) -> None:
    store.set_today(date(2027, 2, 1))
    dues.set_dues_schedule(store, STAFF, POLICY, 2027, band_input())
    twice, once = register(store, "Salina"), register(store, "Hays")

    def news(kind: str, member_id: str, payment_id: str, **extra: Any) -> Envelope:
        (invoice,) = invoices(store, member_id)
        payload = {"purpose": "DUES", "invoice_id": invoice["invoice_id"]}
        return Envelope(
            type=kind,
            producer="payments",
            payload={**payload, "payment_id": payment_id, **extra},
        )

    paid = news("payment_succeeded", twice, "pay_1", amount_cents=10_000)
    batch = [
        paid,
        news("payment_succeeded", once, "pay_2", amount_cents=10_000),
        news("payment_refunded", twice, "pay_1", fully_refunded=True),
        paid,  # a repeat within the batch
        news("payment_succeeded", twice, "pay_3", amount_cents=10_000),
    ]
    standing.payment_news(store, batch)

    assert status(store, twice) == "ACTIVE" and status(store, once) == "ACTIVE"
    changes = [
        c for c in store.events("membership_status_changed") if c["member_id"] == twice
    ]
    # Each move recorded, as if the news had come one by one.
    assert [c["new_status"] for c in changes] == [
        "PENDING",
        "ACTIVE",
        "PENDING",
        "ACTIVE",
    ]
    assert [c["reason"].rsplit("(", 1)[1] for c in changes[1:]] == [
        "payment pay_1 received)",
        "payment pay_1 refunded)",
        "payment pay_3 received)",
    ]
    versions = [c["version"] for c in changes]
    assert versions == sorted(set(versions))
    (member,) = queries.get_members(store, STAFF, POLICY, [twice])
    assert member is not None and member["version"] == versions[-1]
    (invoice,) = invoices(store, twice)
    assert invoice["status"] == "PAID"


def members_where(store: Store, caller: Any = STAFF, **flt: Any) -> list[str]:
    found = queries.list_members(store, caller, POLICY, flt, first=100)
    return [e["node"]["name"] for e in found["edges"]]


def test_a_community_with_its_population_missing_is_imported_and_waits(
    store: Store,
) -> None:
    store.set_today(date(2027, 4, 1))
    dues.set_dues_schedule(store, STAFF, POLICY, 2027, band_input())
    rows: list[tuple[int, dict[str, Any]]] = [
        (2, {**CITY, "name": "Abilene", "population": 6_500}),
        (3, {**CITY, "name": "Barrow", "population": None}),
    ]
    report = import_members(store, STAFF, POLICY, rows)
    assert (report.imported, report.skipped, report.population_missing) == (2, [], [3])
    (barrow,) = queries.find_members(store, STAFF, POLICY, [["Barrow", "KS"]])
    assert barrow is not None
    barrow_id = barrow["member_id"]
    assert (barrow["status"], barrow["good_standing"]) == ("ACTIVE", True)
    assert (barrow["population"], barrow["dues_band"]) == (None, None)
    assert barrow["population_missing"] is True
    assert invoices(store, barrow_id) == []  # its dues wait
    (history,) = queries.status_histories(store, STAFF, [barrow_id])
    assert history is not None and "population missing" in history[0]["reason"]
    registered = [
        e for e in store.events("member_registered") if e["member_id"] == barrow_id
    ]
    assert registered[0]["population"] is None and "dues_band" not in registered[0]
    assert len(store.events("dues_invoice_issued")) == 1  # Abilene's only

    # Staff find it; nobody else may ask.
    assert members_where(store, population_missing=True) == ["Barrow"]
    assert members_where(store, population_missing=False) == ["Abilene"]
    assert members_where(store) == ["Abilene", "Barrow"]
    reviewer = Identity(sub="r", role="reviewer", reviewer_id="r")
    with pytest.raises(Forbidden):
        members_where(store, reviewer, population_missing=True)
    with pytest.raises(Unauthenticated):
        members_where(store, Identity(), population_missing=True)

    # Nothing bills it meanwhile, and it stays in good standing.
    standing.run_daily(store, STAFF, POLICY, date(2027, 9, 1))
    dues.set_dues_schedule(store, STAFF, POLICY, 2028, band_input())
    store.set_today(date(2027, 12, 1))
    assert dues.open_dues_year(store, STAFF, POLICY, 2028)["issued"] == 1  # Abilene
    assert invoices(store, barrow_id) == []
    standing.run_daily(store, STAFF, POLICY, date(2027, 12, 20))
    assert status(store, barrow_id) == "ACTIVE"
    renamed = membership.update_member(
        store, STAFF, POLICY, barrow_id, {"name": "Utqiagvik", "population": None}
    )
    assert renamed["population_missing"] and invoices(store, barrow_id) == []

    # Staff set the population: billed as a joiner, this year and the opened next.
    done = membership.update_member(
        store, STAFF, POLICY, barrow_id, {"population": 4_400}
    )
    assert (done["population_missing"], done["dues_band"]) == (False, "UP_TO_25K")
    billed = [
        (i["fiscal_year"], i["status"], i["due_date"], i["amount_cents"])
        for i in invoices(store, barrow_id)
    ]
    assert billed == [
        (2028, "OPEN", "2028-01-01", 100_00),
        (2027, "OPEN", "2027-12-01", 100_00),  # due the day it is issued
    ]
    issued = store.events("dues_invoice_issued")
    assert sorted(e["fiscal_year"] for e in issued if e["member_id"] == barrow_id) == [
        2027,
        2028,
    ]
    assert members_where(store, population_missing=True) == []
    assert status(store, barrow_id) == "ACTIVE"
    # A member of standing: overdue dues bring GRACE, then LAPSED; paying ends it.
    standing.run_daily(store, STAFF, POLICY, date(2027, 12, 2))
    assert status(store, barrow_id) == "GRACE"
    standing.run_daily(store, STAFF, POLICY, date(2028, 1, 1))
    assert status(store, barrow_id) == "LAPSED"


def test_a_cancelled_member_is_not_billed_when_its_population_is_set(
    store: Store,
) -> None:
    store.set_today(date(2027, 4, 1))
    dues.set_dues_schedule(store, STAFF, POLICY, 2027, band_input())
    import_members(store, STAFF, POLICY, [(2, {**CITY, "name": "Snowbird"})])
    (found,) = queries.find_members(store, STAFF, POLICY, [["Snowbird", "KS"]])
    assert found is not None
    member_id = found["member_id"]
    membership.cancel_membership(store, STAFF, POLICY, member_id, "left")
    membership.update_member(store, STAFF, POLICY, member_id, {"population": 300})
    assert invoices(store, member_id) == []
    back = membership.reinstate_membership(store, STAFF, POLICY, member_id, "back")
    assert back["status"] == "ACTIVE"  # imported in good standing, billed today
    assert [i["fiscal_year"] for i in invoices(store, member_id)] == [2027]


@pytest.mark.parametrize("query", ["🎉", "🎉 🙂", ".", "...", "!?", "—", "'", "🇯🇵"])
def test_a_search_of_only_emoji_or_punctuation_finds_nothing(
    store: Store, query: str
) -> None:
    store.set_today(date(2027, 2, 1))
    for name in ("St. Paul", "Coeur d'Alene", "Winston-Salem"):
        register(store, name)
    assert members_where(store, search=query) == []
    found = queries.list_members(store, STAFF, POLICY, {"search": query})
    assert found["total_count"] == 0
    assert members_where(store, search="st.") == ["St. Paul"]
    assert members_where(store, search=" ") == [
        "Coeur d'Alene",
        "St. Paul",
        "Winston-Salem",
    ]
