"""The staff's daily digest: what waits for them, counted by the services
that own it, with a few examples and links into the web app.

One digest per date: its deliveries are keyed by (the digest's own event id,
derived from the date, recipient), like every other delivery, so running
the daily job twice on a date, or in two processes, records it once. A day
on which nothing waits sends nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from common.errors import BadInput
from contracts.rpc import Json

# Fixed forever: the digest of a date always has the same event id, so its
# deliveries and Message-IDs are the same however often it is recorded.
_NAMESPACE = uuid.UUID("5c1f8a52-3f43-4d2e-9a59-6c0b7d1e4a21")
EVENT_TYPE = "staff_digest"
EXAMPLES = 5  # items shown per section; the count is of all


def digest_event_id(day: date) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{EVENT_TYPE}/{day.isoformat()}"))


def parse_recipients(value: str, name: str = "STAFF_DIGEST_TO") -> list[str]:
    """Comma-separated addresses, each once (any case), in their order."""
    found: list[str] = []
    for part in value.split(","):
        address = part.strip()
        if not address:
            continue
        local, at, domain = address.rpartition("@")
        if not (at and local and "." in domain) or any(c.isspace() for c in address):
            raise BadInput(f"{address[:80]!r} is not an email address", name)
        if address.lower() not in (x.lower() for x in found):
            found.append(address)
    return found


@dataclass(frozen=True)
class Item:
    """One example: a line of text and its page in the web app (or none)."""

    label: str
    link: str | None = None


@dataclass(frozen=True)
class Section:
    key: str  # the count's name in GraphQL (snake case) and in templates
    title: str
    count: int
    items: tuple[Item, ...] = ()
    link: str | None = None  # the web app's page of all of them

    def context(self) -> Json:
        return {
            "key": self.key,
            "title": self.title,
            "count": self.count,
            "more": max(self.count - len(self.items), 0),
            "link": self.link,
            "items": [{"label": i.label, "link": i.link} for i in self.items],
        }


@dataclass(frozen=True)
class Digest:
    generated_at: datetime
    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def counts(self) -> dict[str, int]:
        return {s.key: s.count for s in self.sections}

    @property
    def waiting(self) -> int:
        return sum(s.count for s in self.sections)

    @property
    def is_empty(self) -> bool:
        return self.waiting == 0

    def context(self, day: date) -> Json:
        """The facts a digest's template sees (plain JSON)."""
        return {
            "digest_date": day.isoformat(),
            "generated_at": self.generated_at.isoformat(),
            "waiting": self.waiting,
            "sections": [s.context() for s in self.sections],
            "link": None,  # each section links to its own page
        }


# --- from the owners' replies (their JSON, see contracts/rpc.py) -----------------


def _items(page: Json) -> list[Json]:
    return list(page.get("items") or [])


def _nodes(page: Json) -> list[Json]:
    """A page's nodes (contracts.page.Page)."""
    return [e["node"] for e in page.get("edges") or []]


def payments_held(page: Json) -> Section:
    """payments.held_payments: {total, items: [payment]}."""
    return Section(
        "payments_held",
        "Payments held for an amount mismatch",
        int(page["total"]),
        tuple(
            Item(
                f"{p.get('payer_name') or p['member_id']}: "
                f"{p.get('flag_detail') or 'amount does not match the invoice'}",
                f"/staff/payments/{p['payment_id']}",
            )
            for p in _items(page)[:EXAMPLES]
        ),
        "/staff/payments",
    )


def members_missing_population(page: Json) -> Section:
    """members.list_members(population_missing): a connection."""
    return Section(
        "members_missing_population",
        "Members whose population is missing",
        int(page["total_count"]),
        tuple(
            Item(
                f"{e['node']['name']} ({e['node']['state']})",
                f"/staff/members/{e['node']['member_id']}",
            )
            for e in list(page.get("edges") or [])[:EXAMPLES]
        ),
        "/staff/members",
    )


def partnerships_awaiting_approval(page: Json) -> Section:
    """partnerships.search_partnerships(status PENDING): a page."""
    return Section(
        "partnerships_awaiting_approval",
        "Partnerships awaiting approval",
        int(page["total_count"]),
        tuple(
            Item(
                f"{p.get('member_name') or p['member_id']} with "
                f"{p['partner_city']}, {p.get('country_name') or p['country']}",
                f"/staff/partnerships/{p['id']}",
            )
            for p in _nodes(page)[:EXAMPLES]
        ),
        "/staff/partnerships",
    )


def reports_awaiting_review(page: Json) -> Section:
    """grants.reports_awaiting_review: {total, items: [report]}."""
    return Section(
        "reports_awaiting_review",
        "Grantee reports awaiting review",
        int(page["total"]),
        tuple(
            Item(
                f"{str(r['kind']).capitalize()} report, submitted "
                f"{str(r.get('submitted_at') or '')[:10]}",
                f"/staff/grants/awards/{r['award_id']}",
            )
            for r in _items(page)[:EXAMPLES]
        ),
        "/staff/grants",
    )


def dead_letters(counts: dict[str, int]) -> Section:
    """Messages parked in each service's dead-letter queue (no web page:
    `python -m common.deadletters list` shows them)."""
    return Section(
        "dead_letters",
        "Dead letters",
        sum(counts.values()),
        tuple(Item(f"{service}: {n}") for service, n in sorted(counts.items()) if n),
    )


def digest(
    *,
    payments: Json,
    members: Json,
    partnerships: Json,
    grants: Json,
    parked: dict[str, int],
    now: datetime,
) -> Digest:
    return Digest(
        now,
        (
            payments_held(payments),
            dead_letters(parked),
            members_missing_population(members),
            partnerships_awaiting_approval(partnerships),
            reports_awaiting_review(grants),
        ),
    )
