"""Small builders for members unit tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.members.domain.bands import BANDS, DuesSchedule, schedule_from_input
from services.members.domain.fiscal import FiscalCalendar
from services.members.domain.invoices import Invoice, InvoiceStatus, issue_invoice

AMOUNTS = (100_00, 200_00, 300_00, 400_00, 500_00, 600_00)


def band_input(amounts: tuple[int, ...] = AMOUNTS) -> list[dict[str, Any]]:
    return [
        {
            "min_population": band.min_population,
            "max_population": band.max_population,
            "amount_cents": cents,
        }
        for band, cents in zip(BANDS, amounts, strict=True)
    ]


def schedule(year: int = 2027, grace_days: int = 30) -> DuesSchedule:
    return schedule_from_input(year, band_input(), grace_days, 30)


def invoice(
    year: int = 2027,
    status: InvoiceStatus = InvoiceStatus.OPEN,
    issued_on: date | None = None,
    grace_days: int = 30,
) -> Invoice:
    issued = issue_invoice(
        f"inv-{year}",
        "m-1",
        BANDS[0],
        schedule(year, grace_days),
        FiscalCalendar(),
        issued_on or date(year - 1, 11, 1),
    )
    return Invoice(**{**issued.__dict__, "status": status})
