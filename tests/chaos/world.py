"""What the chaos tests do and check: members registering and paying their
dues through the gateway and the offline Stripe, as careful clients that
retry while the platform is unavailable, and the counts that prove every
effect happened exactly once."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import httpx
from sqlalchemy import text

from common import config
from common.config import REPO_ROOT
from common.deadletters import DeadLetter, list_dead_letters
from common.identity import Identity
from devstripe.testing import free_port, start_devstripe, stop_devstripe, wait_ready
from tests.chaos.rabbit_node import RabbitCluster, RabbitNode
from tests.support.mailsink import MailSink
from tests.support.platform import Platform
from tests.support.wait import wait_until

T = TypeVar("T")
SECRET = "whsec_chaos_tests"
API_KEY = "sk_test_chaos_tests"
STAFF = Identity(sub="chaos-staff", role="staff")
BANDS = [
    {"min_population": low, "max_population": high, "amount_cents": cents}
    for (low, high), cents in (
        ((1, 25_000), 10_000),
        ((25_001, 50_000), 20_000),
        ((50_001, 100_000), 30_000),
        ((100_001, 300_000), 40_000),
        ((300_001, 500_000), 50_000),
        ((500_001, None), 60_000),
    )
]
# What a careful client retries: the platform said it cannot serve just now.
RETRYABLE = {"UNAVAILABLE", "RATE_LIMITED"}


class Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclass
class Journey:
    """One member community: registered, invoiced, checked out, paid."""

    name: str
    member_id: str = ""
    invoice_id: str = ""
    payment_id: str = ""
    session_id: str = ""
    paid: bool = False


@dataclass
class Refusals:
    """The platform's answers of "not now", and how long each took."""

    seconds: list[float] = field(default_factory=list)
    codes: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, code: str, took: float) -> None:
        with self.lock:
            self.codes[code] += 1
            self.seconds.append(took)

    def summary(self) -> str:
        if not self.seconds:
            return "none"
        ordered = sorted(self.seconds)
        codes = ", ".join(f"{c} {n}" for c, n in sorted(self.codes.items()))
        return (
            f"{len(ordered)} ({codes}), answered in median "
            f"{ordered[len(ordered) // 2] * 1e3:.0f} ms, max {ordered[-1] * 1e3:.0f} ms"
        )


class ChaosWorld:
    def __init__(
        self, platform: Platform, rabbit: RabbitNode | RabbitCluster, stripe_base: str
    ):
        self.platform = platform
        self.rabbit = rabbit
        self.stripe_base = stripe_base
        self.staff = platform.token("staff")
        self.refusals = Refusals()
        self._calls = itertools.count()

    # --- the platform as its clients see it --------------------------------------

    def set_dues_schedule(self) -> None:
        members = self.platform
        today = members.rpc("members", "get_clock", identity=STAFF)["today"]
        year = date.fromisoformat(today).year
        if members.rpc("members", "get_dues_schedule", year, identity=STAFF) is None:
            members.rpc("members", "set_dues_schedule", year, BANDS, identity=STAFF)

    def next_gateway(self) -> str:
        """Round robin over the gateways, as a load balancer in front would."""
        urls = self.platform.gateway_urls
        return urls[next(self._calls) % len(urls)]

    def graphql(self, query: str, token: str, **variables: Any) -> dict[str, Any]:
        """The data, or Refused with the first error's code."""
        response = httpx.post(
            f"{self.next_gateway()}/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        if response.status_code >= 500 or response.status_code == 429:
            raise Refused("UNAVAILABLE", f"HTTP {response.status_code}")
        body = response.json()
        if body.get("errors"):
            error = body["errors"][0]
            extensions = error.get("extensions") or {}
            where = ".".join(map(str, error.get("path") or ["-"]))
            # The whole error: a masked one's correlationId finds its log lines.
            raise Refused(
                extensions.get("code", "?"),
                f"{where}: {error.get('message', '')} {extensions}",
            )
        data: dict[str, Any] = body["data"]
        return data

    def retrying(self, action: Callable[[], T], deadline: float = 180) -> T:
        """`action` until the platform serves it, as a careful client would."""
        give_up = time.monotonic() + deadline
        while True:
            started = time.monotonic()
            try:
                return action()
            except Refused as exc:
                if exc.code not in RETRYABLE:
                    raise
                self.refusals.add(exc.code, time.monotonic() - started)
            except httpx.TransportError:
                self.refusals.add("TRANSPORT", time.monotonic() - started)
            if time.monotonic() > give_up:
                raise AssertionError(f"the platform did not serve it in {deadline} s")
            time.sleep(0.2)

    def register(self, journey: Journey) -> None:
        def attempt() -> dict[str, Any]:
            try:
                return self.graphql(
                    """mutation($input: RegisterMemberInput!) {
                         registerMember(input: $input) {
                           id currentInvoice { id } } }""",
                    self.staff,
                    input={
                        "name": journey.name,
                        "kind": "CITY",
                        "state": "VT",
                        "population": 20_000,
                        "contactEmail": "clerk@chaos.example",
                    },
                )["registerMember"]
            except Refused as exc:
                if exc.code != "CONFLICT":
                    raise
                # An earlier attempt went through although its answer was lost.
                return self.find(journey.name)

        member = self.retrying(attempt)
        journey.member_id = member["id"]
        journey.invoice_id = member["currentInvoice"]["id"]

    def find(self, name: str) -> dict[str, Any]:
        found = self.graphql(
            """query($f: MemberFilter) { members(filter: $f, first: 5) {
                 edges { node { id name currentInvoice { id } } } } }""",
            self.staff,
            f={"search": name},
        )["members"]["edges"]
        (member,) = [e["node"] for e in found if e["node"]["name"] == name]
        return dict(member)

    def check_out(self, journey: Journey) -> None:
        token = self.platform.token("member", member_id=journey.member_id)
        checkout = self.retrying(
            lambda: self.graphql(
                """mutation($i: ID!) { createDuesCheckout(invoiceId: $i,
                     successUrl: "https://chaos.example/ok",
                     cancelUrl: "https://chaos.example/no") {
                     paymentId checkoutSessionId } }""",
                token,
                i=journey.invoice_id,
            )["createDuesCheckout"]
        )
        journey.payment_id = checkout["paymentId"]
        journey.session_id = checkout["checkoutSessionId"]

    def pay(self, journey: Journey) -> None:
        """The payer clicks Pay at Stripe; Stripe delivers the webhook (and
        retries it until the gateway takes it)."""
        paid = httpx.post(
            f"{self.stripe_base}/checkout/{journey.session_id}/pay",
            json={"email": "clerk@chaos.example"},
            timeout=30,
        )
        assert paid.status_code == 200, paid.text
        journey.paid = True

    def journey(self, label: str) -> Journey:
        journey = Journey(f"Chaosville {label} {uuid.uuid4().hex[:8]}")
        self.register(journey)
        self.check_out(journey)
        self.pay(journey)
        return journey

    # --- what happened, read from each service's own database -------------------

    def rows(self, service: str, sql: str, **params: Any) -> list[Any]:
        with self.platform.engine(service).connect() as conn:
            return list(conn.execute(text(sql), params))

    @contextmanager
    def calls_held(self, service: str, table: str) -> Iterator[Callable[[], int]]:
        """Hold `table` of a service locked (even from reads): its calls that
        touch it wait, in flight, until the block ends. Yields how many wait."""
        engine = self.platform.engine(service)
        with engine.connect() as conn, conn.begin():
            conn.execute(text(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE'))

            def waiting() -> int:
                return int(
                    self.rows(
                        service,
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = :d "
                        "AND wait_event_type = 'Lock'",
                        d=engine.url.database,
                    )[0][0]
                )

            yield waiting

    def unpublished(self) -> dict[str, int]:
        return {
            service: self.rows(
                service, "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            )[0][0]
            for service in config.SERVICES
        }

    def wait_settled(self, journeys: list[Journey], timeout: float = 120) -> None:
        """Every paid member ACTIVE, every outbox published."""
        ids = [j.member_id for j in journeys if j.paid]

        def settled() -> bool:
            active = self.rows(
                "members",
                "SELECT count(*) FROM members WHERE status = 'ACTIVE' "
                "AND member_id = ANY(:ids)",
                ids=ids,
            )[0][0]
            return active == len(ids) and not any(self.unpublished().values())

        wait_until(settled, timeout=timeout, interval=0.5, message="all settled")

    def effects(self, journeys: Iterable[Journey]) -> dict[str, Counter[str]]:
        """Per member: how many of each effect exists (each must be 1)."""
        journeys = list(journeys)
        names = [j.name for j in journeys]
        members = [j.member_id for j in journeys]
        invoices = [j.invoice_id for j in journeys]
        count: dict[str, Counter[str]] = {}

        def tally(key: str, rows: list[Any]) -> None:
            count[key] = Counter(str(r[0]) for r in rows)

        tally(
            "member registered",
            self.rows(
                "members", "SELECT name FROM members WHERE name = ANY(:n)", n=names
            ),
        )
        tally(
            "member ACTIVE",
            self.rows(
                "members",
                "SELECT member_id FROM members WHERE status = 'ACTIVE' "
                "AND member_id = ANY(:m)",
                m=members,
            ),
        )
        tally(
            "invoice PAID",
            self.rows(
                "members",
                "SELECT invoice_id FROM invoices WHERE status = 'PAID' "
                "AND invoice_id = ANY(:i)",
                i=invoices,
            ),
        )
        tally(
            "status change to ACTIVE",
            self.rows(
                "members",
                "SELECT member_id FROM status_changes WHERE new_status = 'ACTIVE' "
                "AND member_id = ANY(:m)",
                m=members,
            ),
        )
        tally(
            "payment SUCCEEDED",
            self.rows(
                "payments",
                "SELECT invoice_id FROM payments WHERE status = 'SUCCEEDED' "
                "AND invoice_id = ANY(:i)",
                i=invoices,
            ),
        )
        tally(
            "payment_succeeded event",
            self.rows(
                "payments",
                "SELECT envelope::jsonb -> 'payload' ->> 'invoice_id' FROM outbox "
                "WHERE event_type = 'payment_succeeded' "
                "AND envelope::jsonb -> 'payload' ->> 'invoice_id' = ANY(:i)",
                i=invoices,
            ),
        )
        tally(
            "grants knows it ACTIVE",
            self.rows(
                "grants",
                "SELECT member_id FROM member_facts WHERE status = 'ACTIVE' "
                "AND member_id = ANY(:m)",
                m=members,
            ),
        )
        tally(
            "partnerships knows it ACTIVE",
            self.rows(
                "partnerships",
                "SELECT member_id FROM members WHERE status = 'ACTIVE' "
                "AND member_id = ANY(:m)",
                m=members,
            ),
        )
        tally(
            "payment email",
            self.rows(
                "notifications",
                "SELECT member_id FROM deliveries WHERE event_type = "
                "'payment_succeeded' AND member_id = ANY(:m)",
                m=members,
            ),
        )
        return count

    def assert_exactly_once(self, journeys: list[Journey]) -> str:
        """Each effect once per paid journey; a line of counts to print."""
        paid = [j for j in journeys if j.paid]
        keys = {
            "member registered": [j.name for j in paid],
            "payment SUCCEEDED": [j.invoice_id for j in paid],
            "invoice PAID": [j.invoice_id for j in paid],
            "payment_succeeded event": [j.invoice_id for j in paid],
        }

        def once(effects: dict[str, Counter[str]]) -> dict[str, str]:
            wrong = {}
            for effect, counter in effects.items():
                wanted = keys.get(effect, [j.member_id for j in paid])
                if any(counter[k] != 1 for k in wanted) or len(counter) != len(paid):
                    wrong[effect] = f"{sorted(Counter(counter.values()).items())}"
            return wrong

        # The read models of grants and partnerships follow a moment later.
        wait_until(lambda: not once(self.effects(paid)), timeout=60, interval=0.5,
                   message="every effect exactly once")  # fmt: skip
        effects = self.effects(paid)
        assert not once(effects)
        return ", ".join(
            f"{effect} {sum(counter.values())}" for effect, counter in effects.items()
        )

    def dead_letters(self) -> list[DeadLetter]:
        return [
            letter
            for service in config.SERVICES
            for letter in list_dead_letters(service, self.rabbit.amqp_uri)
        ]

    def deadletters_command(self, *args: str) -> str:
        """`python -m common.deadletters ...` as an operator runs it."""
        done = subprocess.run(
            [sys.executable, "-m", "common.deadletters", *args],
            cwd=REPO_ROOT,
            env={**os.environ, "AMQP_URI": self.rabbit.amqp_uri},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout

    def logged(self, needle: str) -> dict[str, int]:
        """How many lines of each process's log contain `needle`."""
        return {
            name: sum(
                needle in line
                for line in proc.log_path.read_text(errors="replace").splitlines()
            )
            for name, proc in self.platform.processes.items()
            if proc.log_path.exists()
        }

    def pids(self) -> dict[str, int]:
        return {
            name: proc.proc.pid
            for name, proc in self.platform.processes.items()
            if proc.proc is not None and proc.running
        }

    def assert_same_processes(self, pids: dict[str, int]) -> None:
        """The processes of `pids` all still running, none restarted; the
        log tail of any that is not."""
        now = self.pids()
        changed = {name for name, pid in pids.items() if now.get(name) != pid}
        assert not changed, "\n".join(
            f"--- {name} exited or restarted ---\n"
            f"{self.platform.processes[name].log_tail(60)}"
            for name in sorted(changed)
        )


@contextmanager
def running_world(
    rabbit: RabbitNode | RabbitCluster,
    databases: dict[str, str],
    workdir: Path,
    amqp_uri: str | None = None,
    gateway_env: dict[str, str] | None = None,
    replicas: int = 1,
) -> Iterator[ChaosWorld]:
    """Every service and the gateway started one by one on `rabbit` (a node,
    or every node of a cluster; `amqp_uri` if given, else its own), with an
    offline Stripe and a mail sink; all stopped as the block ends.
    `gateway_env` is added to the gateway's; `replicas` of every process."""
    platform = Platform(amqp_uri or rabbit.amqp_uri, databases, workdir)
    # Calls to a dead service give up sooner; the suite's own retries are its
    # clients' (never the gateway's limits, which another test suite covers).
    platform.env.update(
        RPC_TIMEOUT_SECONDS="5",
        RATE_LIMIT_PER_MINUTE="1000000",
        RATE_LIMIT_BURST="100000",
        FAILURE_LIMIT_PER_MINUTE="1000000",
        FAILURE_LIMIT_BURST="100000",
    )
    stripe_port = free_port()
    devstripe = None
    sink = None
    try:
        sink = MailSink(platform.workdir, platform.env).start()
        gateway = platform.start_gateway(gateway_env, replicas=replicas)
        devstripe = start_devstripe(
            stripe_port,
            f"{gateway}/webhooks/stripe",
            SECRET,
            workdir / "devstripe",
            # Retried every second for minutes: longer than any outage here.
            retry_max_delay=1.0,
            max_attempts=600,
        )
        wait_ready(stripe_port, proc=devstripe)
        stripe_base = f"http://127.0.0.1:{stripe_port}"
        platform.env.update(
            STRIPE_API_BASE=stripe_base,
            STRIPE_API_KEY=API_KEY,
            STRIPE_WEBHOOK_SECRET=SECRET,
            STRIPE_NETWORK_RETRIES="0",
            SMTP_URL=sink.smtp_url,
            NOTIFICATIONS_POLL_SECONDS="0.2",
        )
        for service in config.SERVICES:  # each its own process, in turn
            platform.start(service, replicas=replicas)
        world = ChaosWorld(platform, rabbit, stripe_base)
        world.set_dues_schedule()
        yield world
    except BaseException:
        for name, proc in platform.processes.items():
            print(f"--- {name} log ---\n{proc.log_tail(40)}")
        raise
    finally:
        platform.shutdown()
        if devstripe is not None:
            stop_devstripe(devstripe)
        if sink is not None:
            sink.stop()
