"""Email on the running platform, through GraphQL and the SMTP sink.

Every service runs, with notifications writing to a devmail sink. A member
registers and gets its invoice, pays through the offline Stripe and gets its
receipt (number and amount as GraphQL shows them); the daily job, run twice
on each date of a moved clock, sends the three reminders once each; a blind
programme's reviewer is told of an assignment without the applicant's name;
a member that opted out gets no partnership news but still its receipt, and
a signed link in the news unsubscribes without signing in.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from tests.e2e.test_grants_e2e import partner, pay_dues, register_member
from tests.integration.grants.conftest import Grants
from tests.integration.members.conftest import CLOCK_ENV, Members
from tests.integration.notifications.conftest import (
    notifications_env,
    start_notifications,
)
from tests.integration.payments.world import PaymentsWorld
from tests.support.mailsink import MailSink
from tests.support.platform import Platform
from tests.support.wait import wait_until
from tests.unit.grants import builders as b

NOTIFICATION_FIELDS = """
  id kind recipient memberId status subject messageId attemptCount lastError
  createdAt sentAt attempts { number outcome error }
"""


@pytest.fixture(scope="module")
def sink(platform: Platform) -> Iterator[MailSink]:
    found = MailSink(platform.workdir, platform.env).start()
    yield found
    found.stop()


@pytest.fixture(scope="module")
def gql(platform: Platform, sink: MailSink) -> Iterator[Any]:
    proc = platform.processes.get("members")
    if proc is not None and proc.env.get("MEMBERS_CLOCK_CONTROL") != "1":
        platform.stop("members")
    platform.start("members", env=CLOCK_ENV)
    PaymentsWorld(platform)  # payments, the gateway, the offline Stripe
    platform.start("partnerships", "grants")
    start_notifications(platform, notifications_env(sink))

    def run(query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
        body = platform.graphql(query, variables, token=token)
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    yield run
    members = Members(platform)
    members.set_today(None)
    members.rpc("run_daily")


def contact(gql: Any, staff: str, member_id: str, email: str) -> None:
    gql(
        """mutation($id: ID!, $c: UpdateMemberInput!) {
             updateMember(id: $id, input: $c) { id } }""",
        staff,
        id=member_id,
        c={"contactEmail": email},
    )


def notifications(gql: Any, token: str, **filter_: Any) -> list[dict[str, Any]]:
    found = gql(
        f"""query($f: NotificationFilter) {{ notifications(filter: $f, first: 50) {{
              totalCount edges {{ node {{ {NOTIFICATION_FIELDS} }} }} }} }}""",
        token,
        f=filter_,
    )["notifications"]
    return [e["node"] for e in found["edges"]]


def test_invoice_then_receipt_and_an_opted_out_member_gets_no_news(
    platform: Platform, gql: Any, sink: MailSink
) -> None:
    staff = platform.token("staff")
    email = f"treasurer-{uuid.uuid4().hex[:8]}@bend.example"
    member_id = register_member(gql, staff, "Bend", 30_000)
    # register_member gives every community the same address: this one's own
    # is set before anything else (its invoice went to the shared one).
    contact(gql, staff, member_id, email)
    member = platform.token("member", member_id=member_id)

    # The member turns partnership news off; receipts cannot be turned off.
    prefs = gql(
        """mutation { setNotificationPreferences(optedOut: [PARTNERSHIP_NEWS])
             { memberId optedOut optional } }""",
        member,
    )["setNotificationPreferences"]
    assert prefs["optedOut"] == ["PARTNERSHIP_NEWS"]
    refused = platform.graphql(
        "mutation { setNotificationPreferences(optedOut: [PAYMENT_RECEIPT]) "
        "{ memberId } }",
        token=member,
    )["errors"][0]
    assert refused["extensions"]["code"] == "BAD_USER_INPUT"
    assert refused["extensions"]["field"] == "optedOut"

    pay_dues(gql, staff, member_id)
    (receipt_mail,) = sink.wait_for(1, to=email, kind="PAYMENT_RECEIPT")
    paid = gql(
        """query($id: ID!) { member(id: $id) { invoices { status
             payments { status receipt { number amountCents currency } } } } }""",
        staff,
        id=member_id,
    )["member"]
    (receipt,) = [
        p["receipt"]
        for i in paid["invoices"]
        for p in i["payments"]
        if p["status"] == "SUCCEEDED"
    ]
    amount = f"{receipt['currency']} {receipt['amountCents'] // 100:,}.00"
    assert receipt["number"] in receipt_mail["subject"]
    assert f"Receipt number: {receipt['number']}" in receipt_mail["text"]
    assert amount in receipt_mail["text"] and amount in receipt_mail["html"]

    partnership_id = partner(gql, staff, member_id, "Tsuruta", "JP")

    # The agreement and the activation are news the member turned off:
    # recorded, never sent.
    def news() -> list[dict[str, Any]]:
        found = notifications(gql, staff, recipient=email, kind="PARTNERSHIP_NEWS")
        return found if len(found) >= 2 else []

    skipped = wait_until(news, message="the partnership news recorded")
    assert {n["status"] for n in skipped} == {"SKIPPED"}
    assert {n["attemptCount"] for n in skipped} == {0}
    assert sink.messages(to=email, kind="PARTNERSHIP_NEWS") == []
    assert partnership_id

    # The member sees its own notifications, and no one else's.
    mine = notifications(gql, member)
    assert {n["kind"] for n in mine} >= {"PAYMENT_RECEIPT", "PARTNERSHIP_NEWS"}
    assert {n["memberId"] for n in mine} == {member_id}
    sent = next(n for n in mine if n["kind"] == "PAYMENT_RECEIPT")
    assert sent["status"] == "SENT" and sent["messageId"] == receipt_mail["message_id"]
    assert [a["outcome"] for a in sent["attempts"]] == ["SENT"]


def test_a_new_member_gets_its_invoice_and_news_unsubscribes_by_link(
    platform: Platform, gql: Any, sink: MailSink
) -> None:
    staff = platform.token("staff")
    year = date.today().year
    email = f"clerk-{uuid.uuid4().hex[:8]}@hood.example"
    registered = gql(
        """mutation($input: RegisterMemberInput!) { registerMember(input: $input) {
             id currentInvoice { amountCents currency fiscalYear } } }""",
        staff,
        input={
            "name": f"Hood River {b.uid()}",
            "kind": "CITY",
            "state": "OR",
            "population": 8_300,
            "contactEmail": email,
        },
    )["registerMember"]
    invoice = registered["currentInvoice"]
    (mail,) = sink.wait_for(1, to=email, kind="INVOICE_ISSUED")
    cents = invoice["amountCents"]
    assert f"{invoice['currency']} {cents // 100:,}.{cents % 100:02d}" in mail["text"]
    assert (
        str(invoice["fiscalYear"]) in mail["subject"] and str(year) in mail["subject"]
    )
    assert mail["list_unsubscribe"] is None  # invoices are always sent

    partner(gql, staff, registered["id"], "Sapporo", "JP")
    news = sink.wait_for(1, to=email, kind="PARTNERSHIP_NEWS")[-1]
    link = news["list_unsubscribe"].strip().strip("<>")
    assert news["list_unsubscribe_post"] == "List-Unsubscribe=One-Click"
    path = link[link.index("/notifications/unsubscribe") :]
    page = httpx.get(f"{platform.gateway_url}{path}", timeout=10)
    assert page.status_code == 200 and "<form method='post'" in page.text
    forged = httpx.post(f"{platform.gateway_url}{path}x", timeout=10)
    assert forged.status_code == 400
    done = httpx.post(  # RFC 8058 one-click, without signing in
        f"{platform.gateway_url}{path}",
        data={"List-Unsubscribe": "One-Click"},
        timeout=10,
    )
    assert done.status_code == 200 and "partnership news" in done.text
    prefs = gql(
        "query($m: ID!) { notificationPreferences(memberId: $m) { optedOut } }",
        staff,
        m=registered["id"],
    )["notificationPreferences"]
    assert prefs["optedOut"] == ["PARTNERSHIP_NEWS"]


def test_three_reminders_once_each_with_the_daily_job_run_twice(
    platform: Platform, gql: Any, sink: MailSink
) -> None:
    members = Members(platform)
    members.set_today(date(2070, 11, 15))
    email = f"clerk-{uuid.uuid4().hex[:8]}@reminded.example"
    member = members.register(population=12_000, contact_email=email)
    if members.rpc("get_dues_schedule", 2071) is None:
        members.schedule(2071)
    members.rpc("open_dues_year", 2071)
    invoice = members.invoice_for(member["member_id"], 2071)
    due = date.fromisoformat(invoice["due_date"])
    for day in (
        due - timedelta(days=30),
        due - timedelta(days=7),
        due + timedelta(days=1),
    ):
        members.run_daily(day)
        members.run_daily(day)
    reminders = sink.wait_for(3, to=email, kind="DUES_REMINDER", timeout=60)
    subjects = sorted(m["subject"] for m in reminders)
    assert len(reminders) == 3 and len({m["message_id"] for m in reminders}) == 3
    assert any("due in 30 days" in s for s in subjects)
    assert any("due in 7 days" in s for s in subjects)
    assert any("overdue" in s for s in subjects)
    assert all(m["received"] == 1 for m in reminders)
    # Nothing more comes: every reminder was recorded once.
    staff = platform.token("staff")
    recorded = notifications(gql, staff, recipient=email, kind="DUES_REMINDER")
    assert len(recorded) == 3 and {n["status"] for n in recorded} == {"SENT"}


def test_a_blind_programmes_reviewer_is_not_told_the_applicant(
    platform: Platform, gql: Any, sink: MailSink
) -> None:
    grants = Grants(platform)
    staff = platform.token("staff")
    name = f"Ashland {b.uid()}"
    applicant = gql(
        """mutation($input: RegisterMemberInput!) { registerMember(input: $input) {
             id name } }""",
        staff,
        input={
            "name": name,
            "kind": "CITY",
            "state": "OR",
            "population": 21_000,
            "contactEmail": "clerk@ashland.example",
        },
    )["registerMember"]
    home = register_member(gql, staff, "Reviewer home", 30_000)
    partnership_id = partner(gql, staff, applicant["id"], "Guanajuato", "MX")
    grants.wait_partnership(partnership_id, status="ACTIVE")
    grants.wait_member(home)
    reviewer_id, email = b.uid("rv-"), f"rv-{uuid.uuid4().hex[:8]}@review.example"
    gql(
        """mutation($input: RegisterReviewerInput!) {
             registerReviewer(input: $input) { reviewerId email } }""",
        staff,
        input={
            "reviewerId": reviewer_id,
            "name": "Rita Reviewer",
            "homeMemberId": home,
            "email": email,
        },
    )
    now = grants.now()
    program = gql(
        """mutation($input: GrantProgramInput!) {
             createGrantProgram(input: $input) { id name } }""",
        staff,
        input={
            "name": f"Blind exchange {b.uid()}",
            "description": "Blind review",
            "areas": ["YOUTH_EDUCATION"],
            "opensAt": (now + timedelta(hours=1)).isoformat(),
            "closesAt": (now + timedelta(days=20)).isoformat(),
            "budgetCents": 1_000_000,
            "maxAwardCents": 500_000,
            "currency": "USD",
            "eligibility": {"goodStandingRequired": False},
            "rubric": [{"key": "impact", "name": "Impact", "maxScore": 5, "weight": 1}],
            "reviewersPerApplication": 1,
            "blindReview": True,
            "panel": [reviewer_id],
        },
    )["createGrantProgram"]
    gql("mutation($id: ID!) { publishGrantProgram(id: $id) { status } }", staff,
        id=program["id"])  # fmt: skip
    grants.advance(timedelta(hours=2))
    token = platform.token("member", member_id=applicant["id"])
    draft = gql(
        """mutation($input: ApplicationInput!) {
             saveApplication(input: $input) { id } }""",
        token,
        input={
            "programId": program["id"],
            "partnershipId": partnership_id,
            "area": "YOUTH_EDUCATION",
            "title": "Mariachi summer school",
            "amountRequestedCents": 300_000,
            "narrative": "Twenty students for a summer.",
            "budget": [{"item": "Travel", "amountCents": 300_000}],
        },
    )["saveApplication"]
    gql("mutation($id: ID!) { submitApplication(id: $id) { status } }", token,
        id=draft["id"])  # fmt: skip
    gql(
        "mutation($id: ID!) { assignReviewers(programId: $id) { assigned } }",
        staff,
        id=program["id"],
    )
    (mail,) = sink.wait_for(1, to=email, kind="REVIEW_ASSIGNED")
    assert "Mariachi summer school" in mail["text"]
    assert program["name"] in mail["subject"]
    assert "reviewed blind" in mail["text"]
    for part in (mail["subject"], mail["text"], mail["html"]):
        assert name not in part and applicant["id"] not in part
        assert "Guanajuato" not in part
    reviewer = platform.token("reviewer", reviewer_id=reviewer_id)
    (seen,) = notifications(gql, reviewer)
    assert seen["kind"] == "REVIEW_ASSIGNED" and seen["recipient"] == email
