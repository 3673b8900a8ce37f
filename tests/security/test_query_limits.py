"""#17 item 6: cost limits. Too many aliases, too many tokens, too deep (10
nested fields pass, 11 do not) and too costly (lists times fields that call
services; a smaller budget for anonymous callers) are refused with their
own code before anything runs: no service is called."""

from __future__ import annotations

import re
import time

from tests.security.conftest import Gateway
from tests.support.platform import Platform


def code(errors: list[dict[str, object]]) -> object:
    extensions = errors[0].get("extensions")
    assert isinstance(extensions, dict), errors
    return extensions.get("code")


# members > edges > node > partnerships > member > partnerships > member >
# partnerships > member > name: 10 nested fields; an empty page costs nothing.
TEN = (
    "{ members(first: 0) { edges { node { partnerships { member { partnerships "
    "{ member { partnerships { member { name } } } } } } } } } }"
)
ELEVEN = TEN.replace("member { name }", "member { partnerships { id } }")


def test_ten_nested_fields_pass_eleven_do_not(gateway: Gateway) -> None:
    assert gateway.data(TEN) == {"members": {"edges": []}}
    errors = gateway.errors(ELEVEN)
    assert code(errors) == "QUERY_TOO_DEEP"
    assert "exceeds maximum operation depth" in str(errors[0]["message"])


def test_unknown_fragment_is_a_validation_error_not_a_crash(gateway: Gateway) -> None:
    errors = gateway.errors("{ ...Missing }")
    assert code(errors) == "GRAPHQL_VALIDATION_FAILED"
    assert "Unknown fragment 'Missing'" in str(errors[0]["message"])


def test_too_many_aliases(gateway: Gateway, services: Platform) -> None:
    # 500 (the report's) are past the token limit too; 100 are not.
    for count, refused_as in ((500, "TOO_MANY_TOKENS"), (100, "TOO_MANY_ALIASES")):
        many = " ".join(f"h{i}: health {{ status }}" for i in range(count))
        started = time.perf_counter()
        errors = gateway.errors("{ " + many + " }")
        assert time.perf_counter() - started < 2
        assert code(errors) == refused_as
    assert "100 aliases found. Allowed: 15" in str(errors[0]["message"])
    fifteen = "{ " + " ".join(f"h{i}: health {{ status }}" for i in range(15)) + " }"
    assert len(gateway.data(fifteen)) == 15


def test_too_many_tokens(gateway: Gateway) -> None:
    fields = " ".join(["service"] * 2100)
    errors = gateway.errors("{ health { " + fields + " } }")
    assert code(errors) == "TOO_MANY_TOKENS"
    assert "2000 tokens" in str(errors[0]["message"])


# The query of the report: 144 bytes that took 3 s and 874 KB.
EXPENSIVE = (
    "{ members { edges { node { partnerships { member { partnerships { "
    "member { partnerships { member { name } } } } } } } } } }"
)


def test_the_costly_nested_query_is_refused_at_once(gateway: Gateway) -> None:
    for query in (EXPENSIVE, _aliased(EXPENSIVE, 3)):
        started = time.perf_counter()
        response = gateway.graphql(query)
        elapsed = time.perf_counter() - started
        body = response.json()
        assert code(body["errors"]) == "QUERY_TOO_COSTLY", body
        assert body["data"] is None
        assert "300 allowed to anonymous callers" in body["errors"][0]["message"]
        assert elapsed < 0.5, elapsed
        assert len(response.content) < 1000


def _aliased(query: str, times: int) -> str:
    body = query.strip()[1:-1]
    return "{ " + " ".join(f"a{i}: {body.strip()}" for i in range(times)) + " }"


def test_signed_in_callers_have_a_larger_budget(
    gateway: Gateway, services: Platform
) -> None:
    page = "query($n: Int!) { partnerships(first: $n) { edges { node { id } } } }"
    # 2 x (1 call + 150 objects): over the anonymous budget of 300...
    two = (
        "query($n: Int!) { a: partnerships(first: $n) { edges { node { id } } } "
        "b: partnerships(first: $n) { edges { node { id } } } }"
    )
    anonymous = gateway.graphql(two, {"n": 150}).json()
    assert code(anonymous["errors"]) == "QUERY_TOO_COSTLY"
    staff = services.token("staff")
    assert "a" in gateway.data(two, variables={"n": 150}, token=staff)
    # ... and the page size counts whether it is a literal or a variable.
    assert gateway.data(page, variables={"n": 100})
    literal = re.sub(r"\$n", "5000", page.replace("query($n: Int!) ", ""))
    assert code(gateway.errors(literal, token=staff)) == "QUERY_TOO_COSTLY"
    assert code(gateway.errors(page, variables={"n": 5000}, token=staff)) == (
        "QUERY_TOO_COSTLY"
    )
