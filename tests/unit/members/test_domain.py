"""Pure rules of membership and dues."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from common.errors import BadInput
from services.members.domain.bands import BANDS, Band, band_for, schedule_from_input
from services.members.domain.community import changed_member, new_member
from services.members.domain.fiscal import FiscalCalendar
from services.members.domain.invoices import (
    InvoiceStatus,
    PaymentRecord,
    issue_invoice,
    settled_status,
)
from services.members.domain.reminders import Reminder, reminder_due
from services.members.domain.standing import MembershipStatus, derive_standing
from tests.unit.members.builders import band_input, invoice, schedule

OPEN, PAID, REFUNDED, VOID = (
    InvoiceStatus.OPEN,
    InvoiceStatus.PAID,
    InvoiceStatus.REFUNDED,
    InvoiceStatus.VOID,
)


@pytest.mark.parametrize(
    ("population", "band"),
    [
        (1, Band.UP_TO_25K),
        (25_000, Band.UP_TO_25K),
        (25_001, Band.FROM_25K_TO_50K),
        (50_000, Band.FROM_25K_TO_50K),
        (50_001, Band.FROM_50K_TO_100K),
        (100_000, Band.FROM_50K_TO_100K),
        (100_001, Band.FROM_100K_TO_300K),
        (300_000, Band.FROM_100K_TO_300K),
        (300_001, Band.FROM_300K_TO_500K),
        (500_000, Band.FROM_300K_TO_500K),
        (500_001, Band.OVER_500K),
        (40_000_000, Band.OVER_500K),
    ],
)
def test_band_edges(population: int, band: Band) -> None:
    assert band_for(population) is band


def test_band_labels() -> None:
    assert [b.label for b in BANDS] == [
        "up to 25,000",
        "25,001 to 50,000",
        "50,001 to 100,000",
        "100,001 to 300,000",
        "300,001 to 500,000",
        "over 500,000",
    ]


def test_a_schedule_takes_the_six_bands_in_any_order() -> None:
    given = list(reversed(band_input()))
    given[-1]["min_population"] = 0  # the first band may start at 0
    made = schedule_from_input(2027, given, None, 45)
    assert made.amount_for(Band.OVER_500K) == 600_00 and made.grace_days == 45


@pytest.mark.parametrize(
    ("mangle", "field"),
    [
        (lambda b: b.pop(), "bands"),
        (lambda b: b[1].update(min_population=25_000), "bands[1].min_population"),
        (lambda b: b[5].update(max_population=900_000), "bands[5].max_population"),
        (lambda b: b[2].update(amount_cents=0), "bands[2].amount_cents"),
        (lambda b: b[2].update(amount_cents=12.5), "bands[2].amount_cents"),
    ],
)
def test_a_schedule_with_a_wrong_band_is_refused(mangle: Any, field: str) -> None:
    given = band_input()
    mangle(given)
    with pytest.raises(BadInput) as error:
        schedule_from_input(2027, given, None, 30)
    assert error.value.field == field


def test_schedule_year_and_grace_are_checked() -> None:
    with pytest.raises(BadInput, match="between"):
        schedule_from_input(1999, band_input(), None, 30)
    with pytest.raises(BadInput) as error:
        schedule_from_input(2027, band_input(), -1, 30)
    assert error.value.field == "grace_days"


def test_calendar_years_by_default_and_july_years_named_by_their_end() -> None:
    calendar = FiscalCalendar()
    assert calendar.start_of(2027) == date(2027, 1, 1)
    assert calendar.year_of(date(2027, 12, 31)) == 2027
    july = FiscalCalendar.parse("07-01")
    assert july.start_of(2027) == date(2026, 7, 1)
    assert july.end_of(2027) == date(2027, 6, 30)
    assert july.year_of(date(2026, 7, 1)) == 2027
    assert july.year_of(date(2026, 6, 30)) == 2026
    assert july.days_in(2028) == 366  # July 2027 - June 2028 holds Feb 29
    with pytest.raises(ValueError):
        FiscalCalendar(2, 30)


def test_an_invoice_is_due_on_the_first_day_or_when_issued_if_later() -> None:
    ahead = issue_invoice(
        "i", "m", Band.UP_TO_25K, schedule(2027), FiscalCalendar(), date(2026, 11, 1)
    )
    assert (ahead.due_date, ahead.amount_cents, ahead.prorated) == (
        date(2027, 1, 1),
        100_00,
        False,
    )
    late = issue_invoice(
        "i", "m", Band.UP_TO_25K, schedule(2027), FiscalCalendar(), date(2027, 3, 5)
    )
    assert late.due_date == date(2027, 3, 5) and late.amount_cents == 100_00
    assert late.grace_ends_on == date(2027, 4, 4)


def test_a_joiner_can_be_prorated_to_the_cent() -> None:
    joined = date(2027, 7, 1)  # 184 of 365 days left
    prorated = issue_invoice(
        "i",
        "m",
        Band.FROM_25K_TO_50K,
        schedule(2027),
        FiscalCalendar(),
        joined,
        prorate_from=joined,
    )
    assert (prorated.covered_days, prorated.year_days) == (184, 365)
    assert prorated.full_amount_cents == 200_00
    assert prorated.amount_cents == round(200_00 * 184 / 365)  # 10082
    first_day = issue_invoice(
        "i",
        "m",
        Band.UP_TO_25K,
        schedule(2027),
        FiscalCalendar(),
        date(2027, 1, 1),
        prorate_from=date(2027, 1, 1),
    )
    assert not first_day.prorated and first_day.amount_cents == 100_00


def test_settlement_from_payments_in_any_order() -> None:
    paid = PaymentRecord("i", "p1", succeeded=True)
    refund = PaymentRecord("i", "p1", fully_refunded=True)
    assert settled_status(OPEN, [refund]) is OPEN  # refund known first: wait
    assert settled_status(OPEN, [paid.merge(refund)]) is REFUNDED
    assert settled_status(OPEN, [refund.merge(paid)]) is REFUNDED
    partial = PaymentRecord("i", "p1", succeeded=True, amount_refunded_cents=5)
    assert settled_status(OPEN, [partial]) is PAID
    again = PaymentRecord("i", "p2", succeeded=True)
    assert settled_status(REFUNDED, [paid.merge(refund), again]) is PAID
    assert settled_status(VOID, []) is VOID


def test_status_is_derived_from_invoices_and_the_date() -> None:
    y27 = invoice(2027)  # due 2027-01-01, grace until 01-31
    assert derive_standing([], date(2027, 5, 1)).status is MembershipStatus.PENDING
    pending = derive_standing([y27], date(2027, 1, 20))
    assert pending.status is MembershipStatus.PENDING  # never paid: not in grace
    assert derive_standing([y27], date(2027, 2, 1)).status is MembershipStatus.LAPSED
    paid = replace(y27, status=PAID)
    y28 = invoice(2028)
    assert derive_standing([paid], date(2027, 6, 1)).status is MembershipStatus.ACTIVE
    on_due_day = derive_standing([paid, y28], date(2028, 1, 1))
    assert on_due_day.status is MembershipStatus.ACTIVE
    grace = derive_standing([paid, y28], date(2028, 1, 2))
    assert grace.status is MembershipStatus.GRACE
    assert "grace period until 2028-01-31" in grace.reason
    assert (
        derive_standing([paid, y28], date(2028, 1, 31)).status is MembershipStatus.GRACE
    )
    lapsed = derive_standing([paid, y28], date(2028, 2, 1))
    assert lapsed.status is MembershipStatus.LAPSED
    # Void invoices never count; paying ahead counts as being current.
    assert (
        derive_standing([paid, replace(y28, status=VOID)], date(2028, 6, 1)).status
        is MembershipStatus.ACTIVE
    )
    ahead = replace(y28, status=PAID)
    assert derive_standing([ahead], date(2027, 12, 1)).status is MembershipStatus.ACTIVE
    refunded = replace(y28, status=REFUNDED)
    assert derive_standing([paid, refunded], date(2028, 1, 5)).status is (
        MembershipStatus.GRACE
    )


def test_reminders_once_each_in_their_windows_never_when_paid() -> None:
    due = invoice(2027, grace_days=30)  # due 2027-01-01, issued 2026-11-01
    assert reminder_due(due, date(2026, 12, 1), set()) is None
    assert reminder_due(due, date(2026, 12, 2), set()) is Reminder.DUE_IN_30_DAYS
    assert reminder_due(due, date(2026, 12, 2), {Reminder.DUE_IN_30_DAYS}) is None
    # A missed day is caught up while the window lasts, and windows never overlap.
    assert reminder_due(due, date(2026, 12, 20), set()) is Reminder.DUE_IN_30_DAYS
    assert reminder_due(due, date(2026, 12, 25), set()) is Reminder.DUE_IN_7_DAYS
    assert reminder_due(due, date(2027, 1, 1), set()) is Reminder.DUE_IN_7_DAYS
    assert reminder_due(due, date(2027, 1, 2), set()) is Reminder.GRACE_STARTED
    assert reminder_due(due, date(2027, 2, 1), set()) is None  # grace is over
    for status in (PAID, VOID):
        assert (
            reminder_due(replace(due, status=status), date(2026, 12, 2), set()) is None
        )
    # Issued 10 days before its due date: no "30 days" notice, the invoice was it.
    late = invoice(2027, issued_on=date(2026, 12, 22))
    assert reminder_due(late, date(2026, 12, 22), set()) is None
    assert reminder_due(late, date(2026, 12, 25), set()) is Reminder.DUE_IN_7_DAYS


CITY = {
    "name": "  Dayton ",
    "kind": "city",
    "state": "oh",
    "population": 137_644,
    "contact_email": "clerk@dayton.example",
}


def test_a_new_member_is_validated_and_pending() -> None:
    member = new_member("m-1", CITY, date(2027, 3, 1))
    assert (member.name, member.kind.value, member.state) == ("Dayton", "CITY", "OH")
    assert member.status is MembershipStatus.PENDING and not member.good_standing
    assert member.dues_band is Band.FROM_100K_TO_300K


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"state": "ZZ"}, "state"),
        ({"state": None}, "state"),
        ({"kind": "village"}, "kind"),
        ({"population": -5}, "population"),
        ({"population": True}, "population"),
        ({"population": "100"}, "population"),
        ({"population": None}, "population"),
        ({"contact_email": "clerk at dayton"}, "contact_email"),
        ({"contact_email": "a@b"}, "contact_email"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Nul\x00ville"}, "name"),
        ({"contact_email": "a\x00@b.example"}, "contact_email"),
        ({"dues_band": "OVER_500K"}, "dues_band"),
        ({"nickname": "Gem City"}, "nickname"),
        ({"website": "dayton.example"}, "website"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "https://"}, "website"),
        ({"website": "https://day ton.example"}, "website"),
        ({"website": "https://dayton.example/\x00"}, "website"),
        ({"website": "https://dayton.example/" + "a" * 2048}, "website"),
        ({"website": 42}, "website"),
    ],
)
def test_registration_names_the_bad_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(BadInput) as error:
        new_member("m-1", {**CITY, **change}, date(2027, 3, 1))
    assert error.value.field == field


def test_counties_and_states_without_population_need_a_chosen_band() -> None:
    county = {**CITY, "kind": "COUNTY", "population": None}
    with pytest.raises(BadInput) as error:
        new_member("m-2", county, date(2027, 3, 1))
    assert error.value.field == "dues_band"
    chosen = new_member(
        "m-2", {**county, "dues_band": "from_50k_to_100k"}, date(2027, 3, 1)
    )
    assert chosen.dues_band is Band.FROM_50K_TO_100K


def test_changes_are_validated_as_a_whole_and_listed() -> None:
    county = new_member(
        "m-3",
        {**CITY, "kind": "COUNTY", "population": None, "dues_band": "OVER_500K"},
        date(2027, 3, 1),
    )
    counted, changed = changed_member(county, {"population": 40_000})
    assert counted.chosen_band is None and counted.dues_band is Band.FROM_25K_TO_50K
    assert changed == ["population", "dues_band"]
    same, nothing = changed_member(counted, {"name": "dayton"})
    assert nothing == ["name"] and same.name == "dayton"
    with pytest.raises(BadInput):
        changed_member(counted, {"kind": "CITY", "population": None})
    unchanged, none = changed_member(counted, {})
    assert unchanged == counted and none == []


def test_a_website_is_optional_trimmed_and_cleared_by_null_or_blank() -> None:
    assert new_member("m-1", CITY, date(2027, 3, 1)).website is None
    given = new_member(
        "m-1", {**CITY, "website": " https://dayton.example/ "}, date(2027, 3, 1)
    )
    assert given.website == "https://dayton.example/"
    for cleared in (None, "", "  "):
        updated, changed = changed_member(given, {"website": cleared})
        assert updated.website is None and changed == ["website"]


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Dayton\u202e", "U+202E"),  # right-to-left override
        ("\u202dDayton", "U+202D"),  # left-to-right override
        ("Day\u2067ton\u2069", "U+2067"),  # right-to-left isolate
        ("Day\u200bton", "U+200B"),  # zero-width space
        ("Day\u200cton", "U+200C"),  # zero-width non-joiner
        ("Day\u200dton", "U+200D"),  # zero-width joiner
        ("Day\u2060ton", "U+2060"),  # word joiner
        ("\ufeffDayton", "U+FEFF"),  # zero-width no-break space
        ("Day\u00adton", "U+00AD"),  # soft hyphen
        ("Day\u009bton", "U+009B"),  # a C1 control character
    ],
)
def test_names_refuse_bidi_controls_and_invisible_characters(
    name: str, shown: str
) -> None:
    with pytest.raises(BadInput) as error:
        new_member("m-1", {**CITY, "name": name}, date(2027, 3, 1))
    assert error.value.field == "name" and shown in str(error.value)
    member = new_member("m-1", CITY, date(2027, 3, 1))
    with pytest.raises(BadInput) as error:
        changed_member(member, {"name": name})
    assert error.value.field == "name" and shown in str(error.value)


def test_names_in_any_script_are_fine() -> None:
    for name in ("Española", "Hawai\u02bbi County", "Coeur d'Alene", "St. Paul"):
        assert new_member("m-1", {**CITY, "name": name}, date(2027, 3, 1)).name == name


def test_an_imported_community_may_have_its_population_missing() -> None:
    unknown = {**CITY, "population": None}
    with pytest.raises(BadInput) as error:  # registering: a city needs it
        new_member("m-1", unknown, date(2027, 3, 1))
    assert error.value.field == "population"
    member = new_member("m-1", unknown, date(2027, 3, 1), True)
    assert member.population_missing and member.dues_band is None
    known = new_member("m-2", CITY, date(2027, 3, 1), population_may_be_missing=True)
    assert not known.population_missing and known.dues_band is Band.FROM_100K_TO_300K
    county = {**CITY, "kind": "COUNTY", "population": None, "dues_band": "OVER_500K"}
    chosen = new_member("m-3", county, date(2027, 3, 1), population_may_be_missing=True)
    assert not chosen.population_missing and chosen.dues_band is Band.OVER_500K


def test_a_member_whose_population_is_missing_can_change_until_it_is_set() -> None:
    member = new_member("m-1", {**CITY, "population": None}, date(2027, 3, 1), True)
    renamed, changed = changed_member(member, {"name": "Dayton Town"})
    assert changed == ["name"] and renamed.population_missing
    same, nothing = changed_member(member, {"population": None})  # a full form
    assert nothing == [] and same.population_missing
    with pytest.raises(BadInput) as error:  # a city's dues follow its population
        changed_member(member, {"dues_band": "OVER_500K"})
    assert error.value.field == "dues_band"
    counted, changed = changed_member(member, {"population": 30_000})
    assert changed == ["population"] and not counted.population_missing
    assert counted.dues_band is Band.FROM_25K_TO_50K
    # Once known, it cannot go missing again.
    with pytest.raises(BadInput) as error:
        changed_member(counted, {"population": None})
    assert error.value.field == "population"
    county = changed_member(member, {"kind": "COUNTY", "dues_band": "OVER_500K"})[0]
    assert not county.population_missing and county.dues_band is Band.OVER_500K


def test_an_imported_member_is_in_good_standing_until_its_dues_are_overdue() -> None:
    # Imported in good standing from earlier records: not a joiner waiting for
    # its first payment, so no PENDING; overdue dues bring GRACE, then LAPSED.
    assert derive_standing([], date(2027, 5, 1), imported=True).status is (
        MembershipStatus.ACTIVE
    )
    billed = invoice(2027, issued_on=date(2027, 5, 1))  # due that day
    for day, expected in (
        (date(2027, 5, 1), MembershipStatus.ACTIVE),
        (date(2027, 5, 2), MembershipStatus.GRACE),
        (date(2027, 5, 31), MembershipStatus.GRACE),
        (date(2027, 6, 1), MembershipStatus.LAPSED),
    ):
        assert derive_standing([billed], day, imported=True).status is expected, day
        assert derive_standing([billed], day).status is (
            MembershipStatus.LAPSED
            if expected is MembershipStatus.LAPSED
            else MembershipStatus.PENDING
        )
    paid = replace(billed, status=PAID)
    assert derive_standing([paid], date(2027, 7, 1), imported=True).status is (
        MembershipStatus.ACTIVE
    )
