"""Every mutation tried as the wrong user: refused, and nothing changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import text

from common.identity import Identity
from tests.integration.grants.conftest import ANON, STAFF, Grants, member, reviewer
from tests.unit.grants import builders as b

TABLES = (
    "programs",
    "applications",
    "review_assignments",
    "awards",
    "instalments",
    "grantee_reports",
    "reviewers",
    "outbox",
)


def snapshot(grants: Grants) -> dict[str, list[Any]]:
    with grants.engine.connect() as conn:
        return {
            t: sorted(repr(tuple(r)) for r in conn.execute(text(f"SELECT * FROM {t}")))
            for t in TABLES
        }


@pytest.fixture(scope="module")
def world(grants: Grants) -> dict[str, Any]:
    """A programme in review with an award, a report and assigned reviewers."""
    owner, owner_p = grants.community()
    other, _ = grants.community()
    panel = [grants.reviewer_at(grants.community()[0]) for _ in range(2)]
    outsider = grants.reviewer_at(grants.community()[0])
    program = grants.open_program(panel=panel, reviewers_per_application=1)
    draft_program = grants.call("create_program", b.program_data(grants.now()))
    awarded = grants.apply(program["id"], owner, owner_p)
    award = grants.call("decide_application", awarded["id"], {"outcome": "AWARD"})[
        "award"
    ]
    report = grants.call(
        "submit_grantee_report",
        award["id"],
        {"kind": "INTERIM", "narrative": "so far"},
        identity=member(owner),
    )
    second, second_p = grants.community()
    in_review = grants.apply(program["id"], second, second_p)
    grants.call("assign_reviewers", program["id"])
    (assigned,) = grants.call("get_application", in_review["id"])["reviews"]
    draft = grants.call(
        "save_application",
        b.application_data(program["id"], "p-x"),
        identity=member(other),
    )
    return {
        "owner": owner,
        "other": other,
        "program": program["id"],
        "draft_program": draft_program["id"],
        "award": award["id"],
        "instalment": award["instalments"][0]["id"],
        "report": report["id"],
        "in_review": in_review["id"],
        "second": second,
        "assignment": assigned["assignment_id"],
        "assigned_reviewer": assigned["reviewer_id"],
        "other_reviewer": next(r for r in panel if r != assigned["reviewer_id"]),
        "outsider": outsider,
        "draft": draft["id"],
    }


def cases(
    w: dict[str, Any], now: datetime
) -> list[tuple[str, tuple[Any, ...], list[Identity], list[Identity]]]:
    """(method, arguments, who is refused, to whom the thing does not exist:
    someone else's application, award or assignment is NOT_FOUND, as an
    unknown id is; every other refusal is FORBIDDEN)."""
    owner, other = member(w["owner"]), member(w["other"])
    not_assigned = reviewer(w["other_reviewer"])
    assigned = reviewer(w["assigned_reviewer"])
    program_data = b.program_data(now)
    not_staff = [ANON, owner, assigned]
    return [
        ("create_program", (program_data,), not_staff, []),
        ("update_program", (w["draft_program"], program_data), not_staff, []),
        ("publish_program", (w["draft_program"],), not_staff, []),
        (
            "register_reviewer",
            ({"reviewer_id": "sneaky", "name": "x", "home_member_id": "y"},),
            not_staff,
            [],
        ),
        (
            "save_application",
            (b.application_data(w["program"], "p-x", member_id=w["owner"]),),
            [ANON, other, assigned],
            [],
        ),
        (
            "save_application",
            ({**b.application_data(w["program"], "p-x"), "id": w["draft"]},),
            [ANON, owner, assigned],
            [owner, assigned],
        ),
        (
            "submit_application",
            (w["draft"],),
            [ANON, owner, assigned],
            [owner, assigned],
        ),
        (
            "withdraw_application",
            (w["in_review"],),
            [ANON, other, owner, assigned],
            [other, owner, assigned],  # in_review is `second`'s
        ),
        ("assign_reviewers", (w["program"],), not_staff, []),
        (
            "recuse",
            (w["assignment"], "busy"),
            [ANON, owner, not_assigned, STAFF],
            [not_assigned],
        ),
        (
            "submit_review",
            (w["assignment"], {"impact": 1, "feasibility": 1, "budget": 1}),
            [ANON, owner, not_assigned, STAFF],
            [not_assigned],
        ),
        (
            "decide_application",
            (w["in_review"], {"outcome": "AWARD"}),
            not_staff,
            [],
        ),
        ("sign_agreement", (w["award"],), [ANON, other, assigned], [other, assigned]),
        ("release_instalment", (w["instalment"],), not_staff, []),
        (
            "submit_grantee_report",
            (w["award"], {"kind": "FINAL", "narrative": "done"}),
            [ANON, other, assigned],
            [other, assigned],
        ),
        ("review_grantee_report", (w["report"], True), not_staff, []),
    ]


def test_every_mutation_refuses_the_wrong_user(
    grants: Grants, world: dict[str, Any]
) -> None:
    before = snapshot(grants)
    tried = 0
    for method, args, identities, hidden in cases(world, grants.now()):
        for identity in identities:
            err = grants.refused(method, *args, identity=identity)
            expected = "Unauthenticated" if identity == ANON else "Forbidden"
            if identity in hidden:
                expected = "NotFound"
            assert err.exc_type == expected, (method, identity, err)
            tried += 1
    assert tried >= 45
    assert snapshot(grants) == before


def test_reads_are_limited_by_role(grants: Grants, world: dict[str, Any]) -> None:
    w = world
    draft = grants.refused("get_program", w["draft_program"], identity=ANON)
    assert draft.exc_type == "NotFound"
    public = grants.call("get_program", w["program"], identity=ANON)
    assert public["remaining_cents"] is None  # budget use is for staff
    listed = {p["id"] for p in grants.call("list_programs", identity=ANON)}
    assert w["program"] in listed and w["draft_program"] not in listed
    unknown = grants.refused("get_application", "no-such-id", identity=STAFF)
    for identity in (ANON, member(w["other"]), reviewer(w["outsider"])):
        err = grants.refused("get_application", w["in_review"], identity=identity)
        if identity == ANON:
            assert err.exc_type == "Unauthenticated"
        else:  # exactly what an unknown id gets
            assert (err.exc_type, err.value) == (unknown.exc_type, unknown.value)
    for method, args in (
        ("program_ranking", (w["program"],)),
        ("list_reviewers", ()),
    ):
        for identity in (ANON, member(w["owner"]), reviewer(w["assigned_reviewer"])):
            assert grants.refused(method, *args, identity=identity).exc_type in (
                "Unauthenticated",
                "Forbidden",
            )
    err = grants.refused("get_award", w["award"], identity=member(w["other"]))
    unknown = grants.refused("get_award", "no-such-award", identity=STAFF)
    assert (err.exc_type, err.value) == (unknown.exc_type, unknown.value)
    mine = grants.call("list_applications", identity=member(w["other"]))
    assert {e["node"]["member_id"] for e in mine["edges"]} == {w["other"]}
    theirs = grants.refused(
        "list_applications", {"member_id": w["owner"]}, identity=member(w["other"])
    )
    assert theirs.exc_type == "Forbidden"
    assigned = grants.call(
        "list_applications", identity=reviewer(w["assigned_reviewer"])
    )
    assert [e["node"]["id"] for e in assigned["edges"]] == [w["in_review"]]
    # a blind programme
    assert assigned["edges"][0]["node"]["member_id"] is None
    assert (
        grants.refused("my_review_assignments", identity=STAFF).exc_type == "Forbidden"
    )


def test_the_owner_can_do_what_the_others_could_not(
    grants: Grants, world: dict[str, Any]
) -> None:
    w = world
    withdrawn = grants.call(
        "withdraw_application",
        w["in_review"],
        "postponed",
        identity=member(w["second"]),
    )
    assert withdrawn["status"] == "WITHDRAWN"
    reviews = grants.call("get_application", w["in_review"])["reviews"]
    assert [r["status"] for r in reviews] == ["REMOVED"]
