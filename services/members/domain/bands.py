"""Population bands and the dues schedule of a fiscal year.

The bands are the national body's (the same it uses for its awards) and do not
change; what changes from year to year is the amount per band.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from common.errors import BadInput
from contracts.members import DuesBand as Band

CURRENCY = "USD"
MIN_FISCAL_YEAR, MAX_FISCAL_YEAR = 2000, 2100
MAX_AMOUNT_CENTS = 100_000_000  # $1M: far above any real dues, catches typos
MAX_GRACE_DAYS = 365


BANDS: tuple[Band, ...] = tuple(Band)


def band_for(population: int) -> Band:
    for band in BANDS:
        high = band.max_population
        if high is None or population <= high:
            return band
    raise AssertionError("the last band is open-ended")


def parse_band(value: Any, field: str) -> Band:
    try:
        return Band(str(value).upper())
    except ValueError:
        known = ", ".join(BANDS)
        raise BadInput(f"unknown dues band {value!r} (one of {known})", field) from None


def check_fiscal_year(value: Any, field: str = "fiscal_year") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput("a fiscal year is a whole number such as 2027", field)
    if not MIN_FISCAL_YEAR <= value <= MAX_FISCAL_YEAR:
        raise BadInput(
            f"fiscal year must be between {MIN_FISCAL_YEAR} and {MAX_FISCAL_YEAR}",
            field,
        )
    return value


@dataclass(frozen=True)
class DuesSchedule:
    fiscal_year: int
    amounts: Mapping[Band, int]  # cents, one per band
    grace_days: int
    currency: str = CURRENCY

    def amount_for(self, band: Band) -> int:
        return self.amounts[band]


def schedule_from_input(
    fiscal_year: Any, bands: Any, grace_days: Any, default_grace_days: int
) -> DuesSchedule:
    """Validate staff input: one amount for each of the six standard bands."""
    year = check_fiscal_year(fiscal_year)
    if not isinstance(bands, Sequence) or isinstance(bands, str | bytes):
        raise BadInput("give the list of bands with their amounts", "bands")
    if len(bands) != len(BANDS):
        raise BadInput(
            f"give exactly {len(BANDS)} bands: " + "; ".join(b.label for b in BANDS),
            "bands",
        )
    ordered = sorted(
        enumerate(bands), key=lambda item: _int_or_zero(_get(item[1], "min_population"))
    )
    amounts: dict[Band, int] = {}
    for band, (index, given) in zip(BANDS, ordered, strict=True):
        where = f"bands[{index}]"
        low = _get(given, "min_population")
        high = _get(given, "max_population")
        # The first band may start at 0 or 1: a population is always positive.
        low_ok = low == band.min_population or (band is BANDS[0] and low == 0)
        if not low_ok or high != band.max_population:
            raise BadInput(
                f"band {_describe(low, high)} is not a standard band; expected "
                f"{band.label} (min {band.min_population}, max "
                f"{band.max_population if band.max_population else 'none'})",
                f"{where}.min_population" if not low_ok else f"{where}.max_population",
            )
        amounts[band] = check_amount(
            _get(given, "amount_cents"), f"{where}.amount_cents"
        )
    grace = default_grace_days if grace_days is None else grace_days
    if isinstance(grace, bool) or not isinstance(grace, int):
        raise BadInput("grace days is a whole number of days", "grace_days")
    if not 0 <= grace <= MAX_GRACE_DAYS:
        raise BadInput(
            f"grace days must be between 0 and {MAX_GRACE_DAYS}", "grace_days"
        )
    return DuesSchedule(year, amounts, grace)


def check_amount(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput("an amount is a whole number of cents", field)
    if not 0 < value <= MAX_AMOUNT_CENTS:
        raise BadInput(
            f"an amount must be positive and at most {MAX_AMOUNT_CENTS} cents", field
        )
    return value


def _get(band: Any, key: str) -> Any:
    return band.get(key) if isinstance(band, Mapping) else None


def _int_or_zero(value: Any) -> int:
    return value if isinstance(value, int) else 0


def _describe(low: Any, high: Any) -> str:
    return f"{low}-{high if high is not None else ''}"
