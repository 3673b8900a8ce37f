"""Dues on the real platform: bands, schedules per year, opening a year."""

from __future__ import annotations

from datetime import date

import pytest
from nameko.exceptions import RemoteError

from tests.integration.members.conftest import AMOUNTS, Members, bands

BAND_EDGES = [
    (25_000, "UP_TO_25K", 0),
    (25_001, "FROM_25K_TO_50K", 1),
    (50_000, "FROM_25K_TO_50K", 1),
    (50_001, "FROM_50K_TO_100K", 2),
    (100_000, "FROM_50K_TO_100K", 2),
    (100_001, "FROM_100K_TO_300K", 3),
    (300_000, "FROM_100K_TO_300K", 3),
    (300_001, "FROM_300K_TO_500K", 4),
    (500_000, "FROM_300K_TO_500K", 4),
    (500_001, "OVER_500K", 5),
    (1, "UP_TO_25K", 0),
]


def test_every_band_edge_bills_its_own_band(members: Members) -> None:
    members.set_today(date(2030, 2, 1))
    members.schedule(2030)
    for population, band, index in BAND_EDGES:
        member = members.register(population=population)
        assert member["dues_band"] == band, population
        invoice = members.invoice_for(member["member_id"], 2030)
        assert (invoice["band"], invoice["amount_cents"]) == (band, AMOUNTS[index])
        assert invoice["currency"] == "USD" and invoice["status"] == "OPEN"


def test_unknown_population_is_billed_in_the_band_staff_chose(members: Members) -> None:
    members.set_today(date(2030, 2, 1))
    if members.rpc("get_dues_schedule", 2030) is None:
        members.schedule(2030)
    with pytest.raises(RemoteError) as refused:
        members.register(population=None, kind="COUNTY")
    assert refused.value.exc_type == "BadInput"
    assert "dues_band" in str(refused.value.value)
    county = members.register(population=None, kind="COUNTY", dues_band="OVER_500K")
    invoice = members.invoice_for(county["member_id"], 2030)
    assert (invoice["band"], invoice["amount_cents"]) == ("OVER_500K", AMOUNTS[5])


def test_next_years_schedule_leaves_this_years_invoices_alone(members: Members) -> None:
    members.set_today(date(2032, 11, 1))
    members.schedule(2032)
    member = members.register(population=60_000)
    before = members.invoice_for(member["member_id"], 2032)
    assert before["amount_cents"] == AMOUNTS[2]

    members.schedule(2033, amounts=(1, 2, 3, 4, 5, 6))
    members.schedule(2033, amounts=(11_000, 22_000, 33_000, 44_000, 55_000, 66_000))
    assert members.rpc("open_dues_year", 2033)["issued"] >= 1

    assert members.invoice_for(member["member_id"], 2032) == before
    assert members.invoice_for(member["member_id"], 2033)["amount_cents"] == 33_000
    assert members.rpc("get_dues_schedule", 2032)["bands"][2]["amount_cents"] == 30_000
    # A year with invoices keeps its schedule: a price change never rewrites history.
    with pytest.raises(RemoteError) as refused:
        members.schedule(2032, amounts=(9, 9, 9, 9, 9, 9))
    assert refused.value.exc_type == "Conflict"
    assert members.invoice_for(member["member_id"], 2032) == before


def test_opening_a_year_twice_issues_nothing_twice(members: Members) -> None:
    members.set_today(date(2034, 12, 1))
    ours = [members.register(population=p)["member_id"] for p in (5_000, 70_000)]
    members.schedule(2035, grace_days=10)
    first = members.rpc("open_dues_year", 2035)
    assert first["fiscal_year"] == 2035 and first["issued"] >= 2
    assert members.rpc("open_dues_year", 2035)["issued"] == 0
    for member_id in ours:
        invoice = members.invoice_for(member_id, 2035)
        assert invoice["due_date"] == "2035-01-01"
        assert invoice["grace_ends_on"] == "2035-01-11"
    rows = members.db(
        "SELECT member_id, count(*) FROM invoices WHERE fiscal_year = 2035 "
        "GROUP BY member_id HAVING count(*) > 1"
    )
    assert rows == []
    (issued_events,) = members.db(
        "SELECT count(*) FROM outbox WHERE event_type = 'dues_invoice_issued' "
        "AND envelope::jsonb -> 'payload' ->> 'fiscal_year' = '2035'"
    )
    (invoice_count,) = members.db(
        "SELECT count(*) FROM invoices WHERE fiscal_year = 2035"
    )
    assert issued_events == invoice_count


def test_a_year_needs_a_schedule_and_must_be_current_or_next(members: Members) -> None:
    members.set_today(date(2036, 6, 1))
    with pytest.raises(RemoteError) as no_schedule:
        members.rpc("open_dues_year", 2037)
    assert no_schedule.value.exc_type == "Conflict"
    with pytest.raises(RemoteError) as too_far:
        members.rpc("open_dues_year", 2039)
    assert too_far.value.exc_type == "BadInput"
    with pytest.raises(RemoteError) as bad_band:
        members.rpc("set_dues_schedule", 2037, bands()[:5])
    assert bad_band.value.exc_type == "BadInput"
    assert members.rpc("get_dues_schedule", 2037) is None


def test_a_joiner_without_a_schedule_is_billed_when_it_is_set(members: Members) -> None:
    members.set_today(date(2045, 3, 1))
    member = members.register(population=20_000)
    assert members.invoices(member["member_id"]) == []
    assert members.member(member["member_id"])["status"] == "PENDING"
    members.set_today(date(2045, 3, 10))
    result = members.schedule(2045)
    assert result["issued"] >= 1
    invoice = members.invoice_for(member["member_id"], 2045)
    # Full amount (proration is off by default), due when issued, not before.
    assert invoice["amount_cents"] == AMOUNTS[0] and not invoice["prorated"]
    assert invoice["due_date"] == "2045-03-10"


def test_opening_ten_members_year_emits_one_event_each(members: Members) -> None:
    members.set_today(date(2040, 12, 15))
    ids = [members.register(population=1_000 * (n + 1))["member_id"] for n in range(10)]
    members.schedule(2041)
    members.rpc("open_dues_year", 2041)
    rows = members.db(
        "SELECT envelope::jsonb -> 'payload' ->> 'member_id' FROM outbox "
        "WHERE event_type = 'dues_invoice_issued' "
        "AND envelope::jsonb -> 'payload' ->> 'fiscal_year' = '2041'"
    )
    published = [r[0] for r in rows]
    assert all(published.count(i) == 1 for i in ids)
