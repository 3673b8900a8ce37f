"""The grants service implements what contracts/rpc.py promises."""

from __future__ import annotations

import inspect

from contracts.events import CATALOGUE
from contracts.rpc import Grants
from services.grants.service import Service


def _params(fn: object) -> list[str]:
    return [p for p in inspect.signature(fn).parameters if p != "self"]  # type: ignore[arg-type]


def test_every_promised_method_exists_with_its_parameters() -> None:
    promised = {
        name: fn
        for name, fn in vars(Grants).items()
        if callable(fn) and not name.startswith("_")
    }
    assert "assign_reviewers" in promised
    for name, fn in promised.items():
        assert hasattr(Service, name), name
        assert _params(getattr(Service, name)) == _params(fn), name


def test_events_we_emit_are_in_the_catalogue() -> None:
    for name in (
        "application_submitted",
        "application_decided",
        "grant_awarded",
        "instalment_released",
        "reviewer_assigned",
        "grant_round_published",
        "grantee_report_due",
        "grantee_report_reviewed",
        "review_reminder_due",
    ):
        assert CATALOGUE[name].producer == "grants"
