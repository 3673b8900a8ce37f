"""#17 item 10: an error message never quotes a whole input (a 1 MB email
came back inside a 1,000,221-character message), and a refusal of the
caller's input is logged by the service at INFO, in one line, without a
traceback (members, partnerships and payments logged them at ERROR with
one, grants at WARNING)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.integration.payments.world import PaymentsWorld
from tests.security.conftest import Gateway
from tests.support.platform import Platform
from tests.support.wait import wait_until

HUGE = "x" * 60_000  # what the 64 KiB body limit lets in

REGISTER = """mutation($input: RegisterMemberInput!) {
  registerMember(input: $input) { id } }"""
PROPOSE = """mutation($input: ProposePartnershipInput!) {
  proposePartnership(input: $input) { id } }"""
CHECKOUT = """mutation($id: ID!) { createDuesCheckout(invoiceId: $id,
  successUrl: "https://x.example/ok", cancelUrl: "https://x.example/no")
  { paymentId } }"""


def refused(
    gateway: Gateway, query: str, variables: dict[str, Any], token: str
) -> tuple[str, dict[str, Any]]:
    """(the correlation id sent, the one error of the answer)."""
    cid = f"sec-{uuid.uuid4().hex}"
    body = gateway.graphql(
        query, variables, token=token, headers={"X-Correlation-ID": cid}
    ).json()
    (error,) = body["errors"]
    return cid, error


def lines_of(platform: Platform, service: str, cid: str) -> list[str]:
    """The service's log lines of one request, and the traceback lines after
    them (which carry no correlation id)."""
    text = platform.processes[service].log_path.read_text(errors="replace")
    found: list[str] = []
    following = False
    for line in text.splitlines():
        if f"[cid={cid}]" in line:
            found.append(line)
            following = True
        elif following and (
            line.startswith((" ", "Traceback")) or not line[:4].isdigit()
        ):
            found.append(line)
        else:
            following = False
    return found


def assert_one_quiet_line(
    platform: Platform, service: str, cid: str, code: str
) -> None:
    def logged() -> list[str]:
        return [line for line in lines_of(platform, service, cid) if "refused" in line]

    wait_until(logged, timeout=10, message=f"{service} logged the refusal")
    every = lines_of(platform, service, cid)
    assert not [line for line in every if " ERROR " in line or " WARNING " in line], (
        every
    )
    assert not [line for line in every if "Traceback" in line], every
    (line,) = logged()
    assert " INFO " in line and code in line
    assert len(line) < 1000, line[:300]


def test_a_huge_email_is_not_quoted_back(gateway: Gateway, services: Platform) -> None:
    staff = Platform.token("staff")
    cid, error = refused(
        gateway,
        REGISTER,
        {
            "input": {
                "name": f"Echo Town {uuid.uuid4().hex[:6]}",
                "kind": "CITY",
                "state": "VT",
                "population": 5000,
                "contactEmail": HUGE + "@example.org",
            }
        },
        staff,
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "contactEmail"
    assert len(error["message"]) < 300
    assert HUGE[:1000] not in error["message"]
    assert_one_quiet_line(services, "members", cid, "BAD_USER_INPUT")


def test_partnerships_refusals_are_quiet(gateway: Gateway, services: Platform) -> None:
    member_id = services.rpc(
        "members",
        "register_member",
        {
            "name": f"Quietville {uuid.uuid4().hex[:6]}",
            "kind": "CITY",
            "state": "VT",
            "population": 5000,
            "contact_email": "clerk@quietville.example",
        },
    )["member_id"]
    cid, error = refused(
        gateway,
        PROPOSE,
        {
            "input": {
                "memberId": member_id,
                "partnerCity": HUGE,
                "country": "JP",
                "type": "SISTER",
            }
        },
        Platform.token("staff"),
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert len(error["message"]) < 300
    assert_one_quiet_line(services, "partnerships", cid, "BAD_USER_INPUT")


def test_payments_refusals_are_quiet(gateway: Gateway, payments: PaymentsWorld) -> None:
    invoice = payments.new_invoice()
    stranger = Platform.token("member", member_id=str(uuid.uuid4()))
    cid, error = refused(gateway, CHECKOUT, {"id": invoice["invoice_id"]}, stranger)
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert_one_quiet_line(payments.platform, "payments", cid, "NOT_FOUND")


def test_graphql_errors_do_not_quote_huge_inputs(gateway: Gateway) -> None:
    body = gateway.graphql(
        "query($x: Int) { members(first: $x) { totalCount } }", {"x": HUGE}
    ).json()
    (error,) = body["errors"]
    assert len(error["message"]) < 400
    field = "{ " + "a" * 50_000 + " }"
    (error,) = gateway.graphql(field).json()["errors"]
    assert len(error["message"]) <= 300
