"""Every mutation tried as the wrong user: refused by the service itself, with
nothing changed. Staff do everything; a member user acts for its own
community (proposing, the agreement, edits, dormancy, termination); only
staff verify (activate) and reactivate."""

from __future__ import annotations

from typing import Any

import pytest

from common.identity import Identity
from tests.integration.partnerships.conftest import (
    AGREEMENT,
    ANON,
    TODAY,
    Partnerships,
    member_user,
)

REVIEWER = Identity(sub="rev-1", role="reviewer", reviewer_id="rev-1")

# (method, arguments after the id, the state to start from)
MUTATIONS: list[tuple[str, tuple[Any, ...], str]] = [
    ("record_agreement", (AGREEMENT,), "PROPOSED"),
    ("activate_partnership", (), "PENDING"),
    ("mark_partnership_dormant", ("quiet",), "ACTIVE"),
    ("reactivate_partnership", (TODAY.isoformat(),), "DORMANT"),
    ("terminate_partnership", ("by letter",), "ACTIVE"),
    ("update_partnership", ({"type": "FRIENDSHIP"},), "ACTIVE"),
]
STAFF_ONLY = {"activate_partnership", "reactivate_partnership"}


def prepare(ps: Partnerships, member_id: str, status: str) -> dict[str, Any]:
    p = ps.propose(member_id)
    if status in ("PENDING", "ACTIVE", "DORMANT"):
        p = ps.call("record_agreement", p["id"], AGREEMENT)
    if status in ("ACTIVE", "DORMANT"):
        p = ps.call("activate_partnership", p["id"])
    if status == "DORMANT":
        p = ps.call("mark_partnership_dormant", p["id"], "quiet")
    return p


@pytest.mark.parametrize(("method", "args", "status"), MUTATIONS)
def test_wrong_users_are_refused_and_nothing_changes(
    pships: Partnerships, method: str, args: tuple[Any, ...], status: str
) -> None:
    owner = pships.member()
    p = prepare(pships, owner, status)
    before = pships.snapshot(p["id"])
    # Staff-only changes are refused by role; another member's partnership
    # is as unknown to a caller as one that never was.
    hidden = "Forbidden" if method in STAFF_ONLY else "NotFound"
    wrong = [
        (ANON, "Unauthenticated"),
        (member_user(pships.member()), hidden),
        (REVIEWER, hidden),
    ]
    if method in STAFF_ONLY:
        wrong.append((member_user(owner), "Forbidden"))
    for identity, expected in wrong:
        err = pships.refused(method, p["id"], *args, identity=identity)
        assert err.exc_type == expected, (identity, err)
        assert pships.snapshot(p["id"]) == before
    if method not in STAFF_ONLY:  # and the owner may
        assert pships.call(method, p["id"], *args, identity=member_user(owner))


def test_proposing_for_another_community_is_refused(pships: Partnerships) -> None:
    owner = pships.member()
    data = {"member_id": owner, "partner_city": "Oslo", "country": "NO"}
    data["type"] = "SISTER"
    for identity, expected in (
        (ANON, "Unauthenticated"),
        (member_user(pships.member()), "Forbidden"),
        (REVIEWER, "Forbidden"),
        (Identity(sub="x", role="member"), "Forbidden"),  # no member id at all
    ):
        err = pships.refused("propose_partnership", data, identity=identity)
        assert err.exc_type == expected
    assert pships.call("partnerships_of_members", [owner]) == [[]]
    assert pships.propose(owner, identity=member_user(owner))["status"] == "PROPOSED"
