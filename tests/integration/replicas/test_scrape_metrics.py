"""/metrics of every process of a running platform (both replicas of each
service, both gateways): the families operators rely on exist, and a dues
payment, a refused call and a poison event move them."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx

from common import config
from tests.integration.replicas.world import PROCESSES, ReplicaWorld, sample
from tests.support.platform import Process
from tests.support.wait import wait_until

Page = dict[tuple[str, tuple[tuple[str, str], ...]], float]

FAMILIES = {
    "gateway": (
        "graphql_operations_total",
        "graphql_operation_errors_total",
        "graphql_operation_duration_seconds_bucket",
        "webhooks_total",
    ),
    "service": (
        "rpc_requests_total",
        "rpc_duration_seconds_bucket",
        "events_handled_total",
        "outbox_unpublished_events",
        "outbox_oldest_unpublished_age_seconds",
    ),
}
REFUSED = """mutation MetricsRefused($input: RegisterMemberInput!) {
  registerMember(input: $input) { id } }"""
FOUND = """query MetricsFound($f: MemberFilter) {
  members(filter: $f, first: 1) { edges { node { id } } } }"""


def total(
    pages: dict[str, Page], procs: list[Process], name: str, **labels: str
) -> float:
    return sum(sample(pages[p.name], name, **labels) for p in procs)


def test_every_process_serves_metrics_that_move(replicas: ReplicaWorld) -> None:
    world, platform = replicas, replicas.platform
    procs = {name: platform.replicas(name) for name in PROCESSES}
    everyone = [p for each in procs.values() for p in each]
    assert len(everyone) == 2 * len(PROCESSES)

    def scrape() -> dict[str, Page]:
        return {p.name: world.metrics(p) for p in everyone}

    before = scrape()
    for proc in everyone:
        page = before[proc.name]
        kind = "gateway" if proc.name.startswith("gateway") else "service"
        names = {name for name, _labels in page}
        if kind == "service":
            service = proc.name.split("-")[0]
            # The backlog is measured when scraped: present while nothing waits.
            for gauge in FAMILIES["service"][3:]:
                assert (gauge, (("service", service),)) in page, (proc.name, gauge)
        # A counter with labels shows once a series exists: the gateway's once
        # it served a request; every family is declared (HELP) from the start.
        text = httpx.get(f"{proc.http_url}/metrics", timeout=10).text
        for family in FAMILIES[kind]:
            base = family.removesuffix("_total").removesuffix("_bucket")
            assert f"# HELP {base}" in text, (proc.name, family)
        assert names, proc.name

    # A dues payment through the offline Stripe, named operations on each
    # gateway (one found, one refused), and a poison event.
    journey = world.journey("metrics")
    staff = platform.token("staff")
    for url in platform.gateway_urls:
        for query, variables in (
            (FOUND, {"f": {"search": journey.name}}),
            (
                REFUSED,
                {
                    "input": {
                        "name": f"Metricsville {uuid.uuid4().hex[:6]}",
                        "kind": "CITY",
                        "state": "VT",
                        "population": 20_000,
                        "contactEmail": "not an address",
                    }
                },
            ),
        ):
            httpx.post(
                f"{url}/graphql",
                json={"query": query, "variables": variables},
                headers={"Authorization": f"Bearer {staff}"},
                timeout=30,
            )
    platform.publish_raw(
        "payments",
        "payment_succeeded",
        b'{"hello": "world"}',
        headers={"nameko.event_id": str(uuid.uuid4())},
    )
    world.wait_settled([journey])

    def moved(check: Callable[[dict[str, Page]], bool]) -> dict[str, Page]:
        return wait_until(
            lambda: (pages := scrape()) and check(pages) and pages,
            timeout=60,
            interval=0.5,
            message="the metrics moved",
        )

    def delta(pages: dict[str, Page], group: str, name: str, **labels: str) -> float:
        return total(pages, procs[group], name, **labels) - total(
            before, procs[group], name, **labels
        )

    def poison_parked(pages: dict[str, Page]) -> bool:
        """Every consumer of the poison parked it after its retries (two
        retries, then the dead-letter queue, with EVENT_MAX_ATTEMPTS=3)."""
        retried = dead = 0.0
        for service in config.SERVICES:
            retried += delta(pages, service, "events_retried_total")
            dead += delta(pages, service, "events_dead_lettered_total")
        return dead >= 1 and retried == 2 * dead

    pages = moved(poison_parked)
    pages = moved(
        lambda p: delta(p, "members", "events_handled_total",
                        event_type="payment_succeeded", outcome="ok") >= 1
        and delta(p, "payments", "webhooks_total", component="payments",
                  outcome="applied") >= 1
    )  # fmt: skip
    found = {"operation": "MetricsFound", "type": "query"}
    refused = {"operation": "MetricsRefused", "type": "mutation"}
    for gateway in procs["gateway"]:
        page, old = pages[gateway.name], before[gateway.name]
        assert sample(page, "graphql_operations_total", **found) == 1 + sample(
            old, "graphql_operations_total", **found
        )
        assert sample(page, "graphql_operation_duration_seconds_count", **found) >= 1
        assert sample(page, "graphql_operation_errors_total", **found) == 0
        assert sample(page, "graphql_operation_errors_total", **refused) == 1
    assert delta(pages, "gateway", "webhooks_total", component="gateway") >= 1
    assert delta(pages, "members", "rpc_requests_total", method="register_member") >= 1
    assert delta(pages, "members", "rpc_duration_seconds_count") >= 1
    assert delta(pages, "members", "rpc_errors_total", kind="refused") >= 1
    assert delta(pages, "members", "events_handled_total", outcome="failed") >= 3
    assert delta(pages, "members", "events_retried_total") >= 2
    assert delta(pages, "members", "events_dead_lettered_total") >= 1
    for service in ("members", "payments"):
        assert delta(pages, service, "outbox_relay_published_total") >= 1
    # The poison stays parked for an operator; later tests count from here.
    moved_families = sorted(
        {name for page in pages.values() for name, _labels in page}
        - {name for page in before.values() for name, _labels in page}
    )
    print(f"\nmetrics: {len(everyone)} processes scraped; new series: {moved_families}")
