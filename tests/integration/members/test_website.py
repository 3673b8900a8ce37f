"""A member's website through the gateway on a real broker and database:
staff give it at registration, the member's own users change or clear it,
everyone reads it in the directory, and a bad address changes nothing."""

from __future__ import annotations

from typing import Any

from tests.integration.members.conftest import Members, unique
from tests.support.platform import Platform

REGISTER = """
mutation($input: RegisterMemberInput!) {
  registerMember(input: $input) { id website }
}"""
UPDATE = """
mutation($id: ID!, $input: UpdateMemberInput!) {
  updateMember(id: $id, input: $input) { id website }
}"""
READ = "query($id: ID!) { member(id: $id) { name website } }"


def test_a_members_website_from_registration_to_the_directory(
    members: Members, platform: Platform
) -> None:
    platform.start_gateway()
    staff = platform.token("staff")
    name = unique("Webville")
    body = platform.graphql(
        REGISTER,
        {
            "input": {
                "name": name,
                "kind": "CITY",
                "state": "OH",
                "population": 12_000,
                "contactEmail": "clerk@webville.example",
                "website": " https://webville.example/ ",
            }
        },
        token=staff,
    )
    assert not body.get("errors"), body
    member_id = body["data"]["registerMember"]["id"]

    def seen(token: str | None = None) -> Any:
        found = platform.graphql(READ, {"id": member_id}, token=token)
        assert not found.get("errors"), found
        return found["data"]["member"]["website"]

    assert seen() == "https://webville.example/"  # anonymous: the directory

    own = platform.token("member", member_id=member_id)
    changed = platform.graphql(
        UPDATE, {"id": member_id, "input": {"website": "http://webville.example"}}, own
    )
    assert not changed.get("errors"), changed
    assert seen() == "http://webville.example"

    bad_ones = ("webville.example", "ftp://webville.example", "https://", "https://a b")
    for bad in bad_ones:
        refused = platform.graphql(
            UPDATE, {"id": member_id, "input": {"website": bad}}, own
        )
        (error,) = refused["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert error["extensions"]["field"] == "website", error
        assert bad in error["message"] or "web address" in error["message"]
    assert seen() == "http://webville.example"

    cleared = platform.graphql(
        UPDATE, {"id": member_id, "input": {"website": None}}, own
    )
    assert not cleared.get("errors"), cleared
    assert seen(staff) is None
    assert members.db(
        "SELECT website FROM members WHERE member_id = :m", m=member_id
    ) == [(None,)]
