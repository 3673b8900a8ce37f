"""The workflow on the real service: every valid and every invalid transition,
who/when/why in the history, the events in the outbox, bad input refused with
nothing changed, one live partnership per partner community."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.integration.partnerships.conftest import (
    AGREEMENT,
    TODAY,
    Partnerships,
    member_user,
    uid,
)
from tests.support.wait import wait_until

STATES = ("PROPOSED", "PENDING", "ACTIVE", "DORMANT", "TERMINATED")


def in_state(ps: Partnerships, member_id: str, status: str) -> dict[str, Any]:
    p = ps.propose(member_id)
    plans: dict[str, list[tuple[Any, ...]]] = {
        "PENDING": [("record_agreement", AGREEMENT)],
        "ACTIVE": [("record_agreement", AGREEMENT), ("activate_partnership",)],
        "DORMANT": [
            ("record_agreement", AGREEMENT),
            ("activate_partnership",),
            ("mark_partnership_dormant", "no exchange since 2019"),
        ],
        "TERMINATED": [("terminate_partnership", "council withdrew")],
    }
    for method, *args in plans.get(status, []):
        p = ps.call(method, p["id"], *args)
    assert p["status"] == status
    return p


ACTIONS: dict[str, tuple[str, tuple[Any, ...]]] = {
    "record_agreement": ("record_agreement", (AGREEMENT,)),
    "activate": ("activate_partnership", ()),
    "mark_dormant": ("mark_partnership_dormant", ("quiet for years",)),
    "reactivate": ("reactivate_partnership", (TODAY.isoformat(),)),
    "terminate": ("terminate_partnership", ("in writing",)),
}
ALLOWED = {
    ("PROPOSED", "record_agreement"): "PENDING",
    ("PENDING", "activate"): "ACTIVE",
    ("ACTIVE", "mark_dormant"): "DORMANT",
    ("DORMANT", "reactivate"): "ACTIVE",
    **{(s, "terminate"): "TERMINATED" for s in STATES if s != "TERMINATED"},
}


def test_the_whole_life_of_a_partnership(pships: Partnerships) -> None:
    mid = pships.member(state="AK")
    user = member_user(mid)
    p = pships.propose(mid, city="Tromsø", country="no", identity=user)
    assert (p["status"], p["country"], p["continent"]) == ("PROPOSED", "NO", "EU")
    assert p["country_name"] == "Norway" and not p["recognized"]

    p = pships.call("record_agreement", p["id"], AGREEMENT, identity=user)
    assert p["status"] == "PENDING" and p["signed_on"] == AGREEMENT["signed_on"]
    assert p["agreement"]["partner_signatory"] == "Mayor Kenji Sato"

    p = pships.call("activate_partnership", p["id"])
    assert p["status"] == "ACTIVE" and p["recognized"] is True

    p = pships.call("mark_partnership_dormant", p["id"], "no exchange since 2019")
    assert p["status"] == "DORMANT" and p["recognized"] is False

    resigned = TODAY.isoformat()
    p = pships.call("reactivate_partnership", p["id"], resigned)
    assert (p["status"], p["signed_on"], p["recognized"]) == ("ACTIVE", resigned, True)

    p = pships.call("terminate_partnership", p["id"], "letter of 3 May", identity=user)
    assert p["status"] == "TERMINATED" and p["recognized"] is False

    (history,) = pships.call("partnership_histories", [p["id"]])
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        (None, "PROPOSED"),
        ("PROPOSED", "PENDING"),
        ("PENDING", "ACTIVE"),
        ("ACTIVE", "DORMANT"),
        ("DORMANT", "ACTIVE"),
        ("ACTIVE", "TERMINATED"),
    ]
    assert [h["actor"] for h in history] == [
        f"user-{mid}",
        f"user-{mid}",
        "staff-1",
        "staff-1",
        "staff-1",
        f"user-{mid}",
    ]
    assert history[3]["reason"] == "no exchange since 2019"
    assert history[4]["details"] == {"signed_on": resigned}
    assert history[5]["reason"] == "letter of 3 May"
    assert all(h["at"] for h in history)

    events = pships.events(p["id"])
    assert [e["type"] for e in events] == [
        "partnership_registered",
        "partnership_status_changed",
        "partnership_status_changed",
        "partnership_status_changed",
        "partnership_recognition_changed",
        "partnership_status_changed",
        "partnership_recognition_changed",
        "partnership_status_changed",
        "partnership_recognition_changed",
        "partnership_status_changed",
        "partnership_recognition_changed",
    ]
    assert [e["payload"]["recognized"] for e in events if "recognized" in e["payload"]]
    assert [
        e["payload"]["recognized"]
        for e in events
        if e["type"] == "partnership_recognition_changed"
    ] == [True, False, True, False]
    assert events[1]["payload"]["old_status"] is None


@pytest.mark.parametrize("status", [s for s in STATES if s != "TERMINATED"])
def test_terminate_from_every_live_state(pships: Partnerships, status: str) -> None:
    p = in_state(pships, pships.member(), status)
    done = pships.call("terminate_partnership", p["id"], "in writing")
    assert done["status"] == "TERMINATED"


@pytest.mark.parametrize(
    ("status", "action"),
    [(s, a) for s in STATES for a in ACTIONS if (s, a) not in ALLOWED],
)
def test_invalid_transitions_are_refused_and_change_nothing(
    pships: Partnerships, status: str, action: str
) -> None:
    p = in_state(pships, pships.member(), status)
    before = pships.snapshot(p["id"])
    method, args = ACTIONS[action]
    err = pships.refused(method, p["id"], *args)
    assert err.exc_type == "Conflict"
    assert f"cannot go from {status}" in err.value or "already terminated" in err.value
    assert pships.snapshot(p["id"]) == before


def test_one_live_partnership_per_partner_community(pships: Partnerships) -> None:
    mid = pships.member()
    first = pships.propose(mid, city="Kraków", country="PL")
    err = pships.refused(
        "propose_partnership",
        {"member_id": mid, "partner_city": "KRAKOW", "country": "PL", "type": "SISTER"},
    )
    assert err.exc_type == "Conflict" and err.value.startswith("partnerCity:")
    # Another member may twin with the same city; the same member once terminated.
    assert pships.propose(pships.member(), city="Kraków", country="PL")
    pships.call("terminate_partnership", first["id"], "lapsed")
    again = pships.propose(mid, city="Krakow", country="PL")
    assert again["status"] == "PROPOSED"


BAD_PROPOSALS = [
    ({"country": "ZZ"}, "country"),
    ({"country": "US"}, "country"),
    # U.S. territories are U.S. communities, not partners abroad.
    *(({"country": code}, "country") for code in ("PR", "GU", "VI", "AS", "MP", "UM")),
    ({"country": ""}, "country"),
    # Bidi controls and zero-width characters can make a name pass for another.
    ({"partner_city": "Nagoya\u202e"}, "partnerCity"),
    ({"partner_city": "Nag\u200boya"}, "partnerCity"),
    ({"partner_region": "Aichi\u2066"}, "partnerRegion"),
    ({"partner_city": "  "}, "partnerCity"),
    ({"partner_city": "?!"}, "partnerCity"),
    ({"type": "TWIN"}, "type"),
    ({"program_areas": ["SPORTS"]}, "programAreas"),
    ({"partner_region": "x" * 201}, "partnerRegion"),
]


@pytest.mark.parametrize(("change", "field"), BAD_PROPOSALS)
def test_bad_proposals_name_the_field_and_add_nothing(
    pships: Partnerships, change: dict[str, Any], field: str
) -> None:
    mid = pships.member()
    data = {"member_id": mid, "partner_city": "Nagoya", "country": "JP"}
    data["type"] = "SISTER"
    err = pships.refused("propose_partnership", {**data, **change})
    assert err.exc_type == "BadInput" and err.value.startswith(f"{field}:")
    assert pships.call("partnerships_of_members", [mid]) == [[]]


def test_kosovo_is_a_country(pships: Partnerships) -> None:
    p = pships.propose(pships.member(), city="Prishtina", country="XK")
    assert (p["country_name"], p["continent"]) == ("Kosovo", "EU")


def test_unknown_member_is_not_found(pships: Partnerships) -> None:
    err = pships.refused(
        "propose_partnership",
        {
            "member_id": uid("nobody-"),
            "partner_city": "Oslo",
            "country": "NO",
            "type": "SISTER",
        },
    )
    assert err.exc_type == "NotFound" and err.value.startswith("memberId:")


BAD_AGREEMENTS = [
    ({"signed_on": (TODAY + timedelta(days=1)).isoformat()}, "signedOn"),
    ({"signed_on": "31/12/2020"}, "signedOn"),
    ({"council_resolution": ""}, "councilResolution"),
    ({"us_signatory": None}, "usSignatory"),
    ({"partner_signatory": " "}, "partnerSignatory"),
    ({"document_reference": ""}, "documentReference"),
    ({"document_reference": "agreement\u202efdp.exe"}, "documentReference"),
    ({"us_signatory": "Mayor\u200b Doe"}, "usSignatory"),
]


@pytest.mark.parametrize(("change", "field"), BAD_AGREEMENTS)
def test_bad_agreements_name_the_field_and_change_nothing(
    pships: Partnerships, change: dict[str, Any], field: str
) -> None:
    p = pships.propose(pships.member())
    before = pships.snapshot(p["id"])
    err = pships.refused("record_agreement", p["id"], {**AGREEMENT, **change})
    assert err.exc_type == "BadInput" and err.value.startswith(f"{field}:")
    assert pships.snapshot(p["id"]) == before


def test_reactivation_needs_a_signing_date_not_before_the_last(
    pships: Partnerships,
) -> None:
    p = in_state(pships, pships.member(), "DORMANT")
    before = pships.snapshot(p["id"])
    early = (TODAY - timedelta(days=400)).isoformat()
    for bad in (early, "soon", (TODAY + timedelta(days=3)).isoformat()):
        err = pships.refused("reactivate_partnership", p["id"], bad)
        assert err.exc_type == "BadInput" and err.value.startswith("signedOn:")
    assert pships.snapshot(p["id"]) == before


def test_dormancy_and_termination_need_a_reason(pships: Partnerships) -> None:
    p = in_state(pships, pships.member(), "ACTIVE")
    before = pships.snapshot(p["id"])
    for method in ("mark_partnership_dormant", "terminate_partnership"):
        err = pships.refused(method, p["id"], " ")
        assert err.exc_type == "BadInput" and err.value.startswith("reason:")
    assert pships.snapshot(p["id"]) == before


def test_edit_type_areas_and_region_is_recorded(pships: Partnerships) -> None:
    mid = pships.member()
    p = pships.propose(mid, type="FRIENDSHIP")
    p = pships.call(
        "update_partnership",
        p["id"],
        {"type": "SISTER", "program_areas": ["ARTS_CULTURE", "BUSINESS_TRADE"]},
        identity=member_user(mid),
    )
    assert p["type"] == "SISTER"
    assert p["program_areas"] == ["ARTS_CULTURE", "BUSINESS_TRADE"]
    (history,) = pships.call("partnership_histories", [p["id"]])
    assert history[-1]["action"] == "UPDATED"
    assert history[-1]["details"]["type"] == "SISTER"
    err = pships.refused("update_partnership", p["id"], {"country": "FR"})
    assert err.exc_type == "BadInput" and err.value.startswith("country:")


def test_outbox_events_are_published(pships: Partnerships) -> None:
    p = pships.propose(pships.member())

    def published() -> bool:
        rows = pships.rows(
            "SELECT published_at FROM outbox WHERE envelope->'payload'->>"
            "'partnership_id' = :p",
            p=p["id"],
        )
        return bool(rows) and all(r["published_at"] for r in rows)

    wait_until(published, timeout=10, message="relay published the events")
