"""The partnerships part of the GraphQL schema: names the frontend uses;
the directory's cursors round-trip, garbage cursors are refused as bad input."""

from __future__ import annotations

import pytest

from common.errors import BadInput
from contracts.page import encode_cursor
from gateway.schema import build_schema
from services.partnerships.service_layer.directory import page_start


def test_the_names_the_frontend_uses() -> None:
    sdl = build_schema().as_str()
    for name in (
        "partnership(id: ID!): Partnership",
        "partnerships(filter: PartnershipFilter",
        "partnershipStats(filter: PartnershipFilter",
        "partnerSuggestions(memberId: ID!, first: Int! = 10)",
        "proposePartnership(input: ProposePartnershipInput!)",
        "recordAgreement(id: ID!, input: AgreementInput!)",
        "activatePartnership(id: ID!)",
        "markPartnershipDormant(id: ID!, reason: String!)",
        "reactivatePartnership(id: ID!, signedOn: Date!)",
        "terminatePartnership(id: ID!, reason: String!)",
        "setPartnerPreferences(memberId: ID!, input: PartnerPreferencesInput!)",
    ):
        assert name in sdl, name
    member = sdl[sdl.index("type Member {") :]
    assert "partnerships: [Partnership!]!" in member[: member.index("\n}")]
    partnership = sdl[sdl.index("type Partnership {") :]
    body = partnership[: partnership.index("\n}")]
    for field in (
        "member: Member",
        "partnerCity: String!",
        "partnerRegion: String",
        "country: String!",
        "countryName: String!",
        "continent: String!",
        "type: PartnershipType!",
        "status: PartnershipStatus!",
        "programAreas: [PartnershipProgramArea!]!",
        "recognized: Boolean!",
        "signedOn: Date",
        "history: [PartnershipTransition!]!",
    ):
        assert field in body, field


def test_cursors_round_trip_and_garbage_is_bad_input() -> None:
    assert page_start(None) == 0
    assert page_start(encode_cursor("41")) == 42
    for garbage in (
        "x",
        "bWVtYmVyczox",
        encode_cursor("-1"),
        encode_cursor("4", "1"),
        encode_cursor("1")[:-2] + "!!",
    ):
        with pytest.raises(BadInput) as err:
            page_start(garbage)
        assert err.value.field == "after"
