"""The gateway's pure parts, in process: tokens, error presentation, the
nameko reply mapping, the schema merge and the wire format."""

from __future__ import annotations

import dataclasses
import json
import math
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import ModuleType
from typing import Any

import jwt
import pytest
import strawberry
from cryptography.hazmat.primitives.asymmetric import rsa
from graphql import GraphQLError, GraphQLSyntaxError, Source
from kombu.utils import json as kombu_json

from common import correlation
from common.errors import Conflict, Forbidden, Unauthenticated
from common.fastpaths.nameko import encode_reply
from common.identity import ANONYMOUS, Identity
from gateway import wire
from gateway.app import GraphQLView
from gateway.auth import Authenticator, issue_token
from gateway.errors import ServiceError, present
from gateway.rpc import RpcClient, error_from_reply
from gateway.schema import build_schema, merge_root
from gateway.settings import Settings
from tests.gateway.harness import free_port

SECRET = "unit-test-secret-0123456789abcdef0123"


@pytest.fixture
def settings() -> Settings:
    return dataclasses.replace(
        Settings.from_env(),
        jwt_secret=SECRET,
        jwks_url=None,
        issuer=None,
        audience=None,
    )


# --- tokens -------------------------------------------------------------------

HOUR = int(time.time()) + 3600  # an hour from when the tests start


async def test_no_header_is_anonymous(settings: Settings) -> None:
    assert await Authenticator(settings).identity(None) is ANONYMOUS


async def test_dev_token_gives_its_identity(settings: Settings) -> None:
    token = issue_token(settings, "reviewer", sub="r@x", reviewer_id="rv-1")
    identity = await Authenticator(settings).identity(f"Bearer {token}")
    assert identity == Identity(sub="r@x", role="reviewer", reviewer_id="rv-1")


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"sub": "s", "role": "staff", "exp": 1}, "token expired"),
        ({"sub": "s", "role": "reviewer", "exp": HOUR}, "reviewer token without"),
        ({"role": "staff", "exp": HOUR}, "invalid token"),
        ({"sub": "s", "role": "staff", "exp": 2**40}, "longer than 24 h"),
    ],
)
async def test_bad_claims_are_unauthenticated(
    settings: Settings, claims: dict[str, Any], message: str
) -> None:
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    with pytest.raises(Unauthenticated, match=message):
        await Authenticator(settings).identity(f"Bearer {token}")


async def test_issuer_and_audience_are_checked_when_set(settings: Settings) -> None:
    strict = dataclasses.replace(settings, issuer="https://id.example", audience="gw")
    good = issue_token(strict, "staff")
    assert (await Authenticator(strict).identity(f"Bearer {good}")).role == "staff"
    other = issue_token(dataclasses.replace(strict, audience="elsewhere"), "staff")
    with pytest.raises(Unauthenticated):
        await Authenticator(strict).identity(f"Bearer {other}")


@pytest.fixture
def jwks_server() -> Iterator[tuple[str, rsa.RSAPrivateKey]]:
    """A JSON Web Key Set served on loopback, as an identity provider does."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    body = json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json", key
    server.shutdown()
    server.server_close()


async def test_production_tokens_are_rs256_from_the_jwks(
    settings: Settings, jwks_server: tuple[str, rsa.RSAPrivateKey]
) -> None:
    url, key = jwks_server
    prod = dataclasses.replace(
        settings, jwks_url=url, issuer="https://id.example", audience="gateway"
    )
    claims = {
        "sub": "auth0|1",
        "role": "member",
        "member_id": "m-1",
        "iss": "https://id.example",
        "aud": "gateway",
        "exp": int(time.time()) + 60,
    }
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
    identity = await Authenticator(prod).identity(f"Bearer {token}")
    assert identity == Identity(sub="auth0|1", role="member", member_id="m-1")
    # A development token is not accepted in production mode.
    dev = issue_token(prod, "staff")
    with pytest.raises(Unauthenticated):
        await Authenticator(prod).identity(f"Bearer {dev}")


async def test_unreachable_jwks_is_unavailable(settings: Settings) -> None:
    prod = dataclasses.replace(
        settings, jwks_url=f"http://127.0.0.1:{free_port()}/jwks.json"
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(
        {"sub": "s", "role": "staff", "exp": int(time.time()) + 60},
        key,
        algorithm="RS256",
        headers={"kid": "k1"},
    )
    with pytest.raises(ServiceError) as caught:
        await Authenticator(prod).identity(f"Bearer {token}")
    assert caught.value.code == "UNAVAILABLE"


# --- errors -------------------------------------------------------------------


def _raised(exc: Exception) -> GraphQLError:
    return GraphQLError(str(exc), path=["field"], original_error=exc)


@pytest.mark.parametrize(
    ("exc", "message", "extensions"),
    [
        (
            ServiceError("NOT_FOUND", "no member 7", "memberId"),
            "no member 7",
            {"code": "NOT_FOUND", "field": "memberId"},
        ),
        (Forbidden("staff only"), "staff only", {"code": "FORBIDDEN"}),
        (Conflict("taken", "name"), "taken", {"code": "CONFLICT", "field": "name"}),
        (
            ServiceError("UNAVAILABLE", "members is unavailable"),
            "members is unavailable",
            {"code": "UNAVAILABLE"},
        ),
    ],
)
def test_expected_errors_keep_message_and_code(
    exc: Exception, message: str, extensions: dict[str, str]
) -> None:
    shown = present(_raised(exc))
    assert (shown.message, shown.extensions, shown.path) == (
        message,
        extensions,
        ["field"],
    )


@pytest.mark.parametrize(
    "exc",
    [
        KeyError("password"),
        ServiceError("INTERNAL", "internal error", detail="db down"),
        ServiceError("METHOD_NOT_FOUND", "internal error"),
    ],
)
def test_anything_else_is_masked_with_the_correlation_id(exc: Exception) -> None:
    correlation.set_current("cid-unit")
    try:
        shown = present(_raised(exc))
    finally:
        correlation.set_current(None)
    assert shown.message == "internal error"
    assert shown.extensions == {
        "code": "INTERNAL_SERVER_ERROR",
        "correlationId": "cid-unit",
    }


def test_request_errors_are_the_clients() -> None:
    syntax = GraphQLSyntaxError(Source("{"), 1, "Expected Name")
    assert present(syntax).extensions == {"code": "GRAPHQL_PARSE_FAILED"}
    invalid = GraphQLError("Cannot query field 'x' on type 'Query'.")
    assert present(invalid).extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}
    coded = GraphQLError("invalid token", extensions={"code": "UNAUTHENTICATED"})
    assert present(coded).extensions == {"code": "UNAUTHENTICATED"}
    # An error while executing without a cause (say a null for a non-null
    # field) is a server bug: masked.
    null = GraphQLError("Cannot return null for non-nullable field", path=["x"])
    masked = present(null).extensions
    assert masked is not None and masked["code"] == "INTERNAL_SERVER_ERROR"


def test_nameko_reply_errors_map_to_codes() -> None:
    domain = error_from_reply(
        "members",
        "get_member",
        {
            "exc_type": "NotFound",
            "exc_path": "common.errors.NotFound",
            "exc_args": ["no such member", "id"],
            "value": "id: no such member",
        },
    )
    assert (domain.code, domain.message, domain.field) == (
        "NOT_FOUND",
        "no such member",
        "id",
    )
    # nameko sends a None arg as the string "None": no field, not a field "None".
    fieldless = error_from_reply(
        "members",
        "cancel",
        {"exc_type": "Conflict", "exc_args": ["already cancelled", "None"]},
    )
    assert (fieldless.code, fieldless.field) == ("CONFLICT", None)
    missing = error_from_reply("members", "nope", {"exc_type": "MethodNotFound"})
    assert missing.code == "METHOD_NOT_FOUND" and not missing.public
    other = error_from_reply(
        "members", "x", {"exc_type": "KeyError", "exc_args": ["k"], "value": "'k'"}
    )
    assert (other.code, other.message) == ("INTERNAL", "internal error")
    assert "KeyError" in str(other)


# --- schema merge ---------------------------------------------------------------


def _domain(**roots: type) -> ModuleType:
    module = ModuleType(f"domain_{uuid.uuid4().hex[:6]}")
    for name, root in roots.items():
        setattr(module, name, root)
    return module


@strawberry.type
class EmptyRoot:
    pass


@strawberry.type
class QueryA:
    a: int = 1


@strawberry.type
class QueryB:
    b: int = 2


@strawberry.type
class QueryAgainA:
    a: int = 3


def test_merge_skips_empty_roots_and_missing_ones() -> None:
    domains = (_domain(Query=QueryA, Mutation=EmptyRoot), _domain(Query=QueryB))
    merged = merge_root("Query", domains)
    assert merged is not None
    names = [f.name for f in merged.__strawberry_definition__.fields]  # type: ignore[attr-defined]
    assert sorted(names) == ["a", "b"]
    assert merge_root("Mutation", domains) is None
    assert merge_root("Subscription", domains) is None


def test_merge_refuses_a_field_defined_twice() -> None:
    with pytest.raises(TypeError, match="fields defined twice: a"):
        merge_root("Query", (_domain(Query=QueryA), _domain(Query=QueryAgainA)))


# --- wire -------------------------------------------------------------------------


def test_wire_matches_kombu_both_ways() -> None:
    value = {
        "at": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        "on": date(2024, 1, 2),
        "amount": Decimal("12.30"),
        "id": uuid.UUID(int=7),
        "raw": b"\xff\x00",
        "text": b"ok",
        "plain": [1, "two", None, {"x": True}],
    }
    assert wire.loads(wire.dumps(value)) == value
    assert kombu_json.loads(wire.dumps(value)) == value
    assert wire.loads(kombu_json.dumps(value).encode()) == value


REPLY_VALUES: list[Any] = [
    {"items": [{"id": "p-1", "name": "Tromsø “Łódź”\n😀", "n": 3, "share": 0.125}]},
    [None, True, False, 0, -1, 2**63, 2**64 - 1, 1.5, 1e300, [], {}],
    2**64,  # beyond orjson: written by kombu, read by json
    -(10**30),
    {"at": datetime(2024, 1, 2, tzinfo=UTC), "amount": Decimal("1.10")},
    {"__type__": "decimal", "__value__": "2.5"},  # data that looks like a marker
    {"nested": [{"__type__": "date", "__value__": "2024-01-02"}]},
    "__type__",
]


@pytest.mark.parametrize("value", REPLY_VALUES, ids=repr)
def test_replies_read_as_kombu_reads_them(value: Any) -> None:
    """Whichever way a service encoded it (orjson or kombu), the gateway reads
    the reply as kombu's json would: the same values of the same types."""
    reply = {"result": value, "error": None}
    for _, _, body in (encode_reply(reply, "json"), kombu_json_reply(reply)):
        raw = body if isinstance(body, bytes) else body.encode()
        assert repr(wire.loads(raw)) == repr(kombu_json.loads(raw))


def kombu_json_reply(reply: Any) -> tuple[str, str, str]:
    return "application/json", "utf-8", kombu_json.dumps(reply)


def test_a_bad_reply_is_reported_as_json_reports_it() -> None:
    assert math.isnan(wire.loads(b'{"result":NaN}')["result"])  # json reads NaN
    for raw in (b'{"result": [1,', b'{"result":[1,', b'{"result":1}x', b"\xff"):
        with pytest.raises(ValueError) as ours:
            wire.loads(raw)
        with pytest.raises(ValueError) as theirs:
            json.loads(raw)
        assert str(ours.value) == str(theirs.value)


RESPONSES: list[Any] = [
    {"data": {"partnerships": {"totalCount": 3, "edges": [{"cursor": "cGE6MA=="}]}}},
    {"data": {"a": 'Tromsø “Łódź” \u2028 😀 \x01 \\ " /', "b": [1.5, -0.0, 1e300]}},
    {"data": None, "errors": [{"message": "x", "path": ["a", 0], "locations": []}]},
    {"data": {"json": {"big": 2**64, "1": {"n": 2**63 - 1}, "t": True, "n": None}}},
]


@pytest.mark.parametrize("data", RESPONSES, ids=repr)
def test_responses_are_the_json_json_writes(settings: Settings, data: Any) -> None:
    view = GraphQLView(
        build_schema(),
        RpcClient("amqp://nowhere/"),
        Authenticator(settings),
        graphiql_html=lambda: "",
    )
    encoded = view.encode_json(data)
    assert isinstance(encoded, str)  # a text frame on a WebSocket, as before
    assert json.loads(encoded) == json.loads(json.dumps(data)) == data


def test_what_json_cannot_write_still_fails(settings: Settings) -> None:
    view = GraphQLView(
        build_schema(),
        RpcClient("amqp://nowhere/"),
        Authenticator(settings),
        graphiql_html=lambda: "",
    )
    for value in (datetime(2024, 1, 1, tzinfo=UTC), Decimal("1.5"), {1, 2}):
        with pytest.raises(TypeError) as ours:
            view.encode_json({"data": {"json": value}})
        with pytest.raises(TypeError) as theirs:
            json.dumps({"data": {"json": value}})
        assert str(ours.value) == str(theirs.value)
