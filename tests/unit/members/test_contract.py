"""The members service implements what contracts/rpc.py promises."""

from __future__ import annotations

import inspect

from contracts.events import CATALOGUE
from contracts.rpc import Members
from services.members.service import Service


def _params(fn: object) -> list[str]:
    return [p for p in inspect.signature(fn).parameters if p != "self"]  # type: ignore[arg-type]


def test_every_promised_method_exists_with_its_parameters() -> None:
    promised = {
        name: fn
        for name, fn in vars(Members).items()
        if callable(fn) and not name.startswith("_")
    }
    assert {"get_member", "get_members", "get_invoice", "find_members"} <= set(promised)
    for name, fn in promised.items():
        assert hasattr(Service, name), name
        assert _params(getattr(Service, name)) == _params(fn), name


def test_events_we_emit_are_in_the_catalogue() -> None:
    for name in (
        "member_registered",
        "member_updated",
        "dues_invoice_issued",
        "membership_status_changed",
        "dues_reminder_due",
    ):
        assert CATALOGUE[name].producer == "members"
