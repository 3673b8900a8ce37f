"""Review assignment and ranking at scale (run by hand:
`.venv/bin/python -m bench.bench_review_assignment [--sqlite]`).

On a scratch PostgreSQL database (or SQLite with --sqlite), migrated to head:
1. read models from the real data: the 1,381 U.S. communities of
   `data/us_communities.csv` and the 3,850 partnerships of
   `data/us_sister_cities.csv`, so conflicts are the real ones (a reviewer's
   home shares a partner city with many applicants: Japanese and Mexican
   cities especially);
2. 100 reviewers homed in the communities with the most partnerships (the
   hardest case for conflicts), and 2,000 submitted applications for one
   programme, 3 reviewers each (applicants drawn from every community, so some
   apply twice; written directly, bypassing the one-per-community rule that is
   not what is measured);
3. times `assign_reviewers` (the real handler: load, conflict index, plan,
   6,000 assignments written in one transaction) and the pure planner alone;
4. scores every review, times `program_ranking`;
5. checks, independently of the service's conflict code, that no assignment
   crosses a conflict, that no application has a reviewer twice, and how even
   the load is.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.support import machine, scratch_databases
from common.config import REPO_ROOT
from common.db import make_engine, make_session_factory
from common.identity import Identity
from common.migrate import upgrade
from services.grants.adapters.orm import metadata
from services.grants.domain.application import (
    Application,
    ApplicationStatus,
    BudgetLine,
)
from services.grants.domain.assignment import Need, plan_assignments
from services.grants.domain.conflicts import ConflictIndex, Reviewer
from services.grants.domain.facts import MemberFacts, PartnershipFacts
from services.grants.service_layer import programs, review
from services.grants.service_layer.unit_of_work import GrantsUnitOfWork

STAFF = Identity(sub="bench", role="staff")
APPLICATIONS, REVIEWERS, PER_APPLICATION = 2000, 100, 3
DATA = REPO_ROOT / "data"


def norm(city: str) -> str:
    return " ".join(city.split()).casefold()


def load_world() -> tuple[list[MemberFacts], list[PartnershipFacts]]:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    members: dict[tuple[str, str], MemberFacts] = {}
    with (DATA / "us_communities.csv").open() as f:
        for i, row in enumerate(csv.DictReader(f)):
            population = int(row["population"]) if row["population"] else None
            members[(row["us_city"], row["us_state"])] = MemberFacts(
                member_id=f"m{i:05d}",
                name=row["us_city"],
                state=row["us_state"],
                population=population,
                status="ACTIVE",
                good_standing=True,
                profile_at=at,
                standing_at=at,
            )
    partnerships = []
    with (DATA / "us_sister_cities.csv").open() as f:
        for i, row in enumerate(csv.DictReader(f)):
            member = members.get((row["us_city"], row["us_state"]))
            if member is None:
                continue
            partnerships.append(
                PartnershipFacts(
                    partnership_id=f"p{i:05d}",
                    member_id=member.member_id,
                    partner_city=row["partner_city"],
                    country=row["partner_country_code"],
                    status="ACTIVE",
                    recognized=True,
                    status_at=at,
                    recognition_at=at,
                )
            )
    return list(members.values()), partnerships


def seed(uow_factory: Any, rng: random.Random) -> tuple[str, dict[str, Any]]:
    members, partnerships = load_world()
    by_member: dict[str, list[PartnershipFacts]] = defaultdict(list)
    for p in partnerships:
        by_member[p.member_id].append(p)
    busiest = sorted(by_member, key=lambda m: (-len(by_member[m]), m))[:REVIEWERS]
    now = datetime.now(UTC)
    with uow_factory() as uow:
        uow.session.add_all(members)
        uow.session.add_all(partnerships)
        for i, home in enumerate(busiest):
            uow.reviewers.add(Reviewer(f"rv{i:03d}", f"Reviewer {i}", home))
        uow.commit()
    program = programs.create_program(
        uow_factory,
        STAFF,
        {
            "name": "Benchmark round",
            "areas": ["YOUTH_EDUCATION"],
            "opens_at": (now + timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(days=30)).isoformat(),
            "budget_cents": 10**11,
            "max_award_cents": 10**8,
            "eligibility": {"partnership_requirement": "NONE"},
            "rubric": [
                {"key": "impact", "name": "Impact", "max_score": 5, "weight": 3},
                {"key": "plan", "name": "Plan", "max_score": 10, "weight": 2},
                {"key": "cost", "name": "Cost", "max_score": 4, "weight": 1},
            ],
            "reviewers_per_application": PER_APPLICATION,
        },
    )
    programs.publish_program(uow_factory, STAFF, program["id"])
    applicants = sorted(by_member)
    rng.shuffle(applicants)
    with uow_factory() as uow:
        for i in range(APPLICATIONS):
            member_id = applicants[i % len(applicants)]
            partnership = rng.choice(by_member[member_id])
            at = now + timedelta(seconds=i)
            uow.applications.add(
                Application(
                    id=str(uuid.uuid4()),
                    program_id=program["id"],
                    member_id=member_id,
                    partnership_id=partnership.partnership_id,
                    area="YOUTH_EDUCATION",
                    title=f"Exchange {i}",
                    amount_requested_cents=rng.randrange(100_000, 1_000_000),
                    currency="USD",
                    narrative="...",
                    budget=(BudgetLine("All", 1_000_000),),
                    attachments=(),
                    status=ApplicationStatus.SUBMITTED,
                    created_at=at,
                    updated_at=at,
                    submitted_at=at,
                )
            )
        uow.commit()
    world = {
        "members": {m.member_id: m for m in members},
        "by_member": by_member,
        "partnerships": {p.partnership_id: p for p in partnerships},
    }
    return program["id"], world


def independent_conflict(world: dict[str, Any], home: str, app: Application) -> bool:
    """The three rules, written again from the raw read models."""
    if home == app.member_id:
        return True
    members, by_member = world["members"], world["by_member"]
    home_partners = {(norm(p.partner_city), p.country) for p in by_member[home]}
    app_partners = {(norm(p.partner_city), p.country) for p in by_member[app.member_id]}
    if (norm(members[app.member_id].name), "US") in home_partners:
        return True
    if (norm(members[home].name), "US") in app_partners:
        return True
    applied = world["partnerships"][app.partnership_id]
    return (norm(applied.partner_city), applied.country) in home_partners


def run(url: str) -> dict[str, Any]:
    upgrade("grants", url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)

    def uow_factory() -> GrantsUnitOfWork:
        return GrantsUnitOfWork(
            sessions,
            "grants",
            metadata.tables["outbox"],
            metadata.tables["processed_events"],
        )

    rng = random.Random(2026)
    t0 = time.perf_counter()
    program_id, world = seed(uow_factory, rng)
    seeded = time.perf_counter() - t0

    # The pure planner alone, on the same input.
    with uow_factory() as uow:
        apps = list(
            uow.applications.for_program(program_id, [ApplicationStatus.SUBMITTED])
        )
        reviewers = list(uow.reviewers.active())
        ids = {a.member_id for a in apps} | {r.home_member_id for r in reviewers}
        index = ConflictIndex(uow.facts.members(ids), uow.facts.partnerships_of(ids))
        by_id = {a.id: a for a in apps}
        rv = {r.reviewer_id: r for r in reviewers}
        t0 = time.perf_counter()
        plan = plan_assignments(
            [Need(a.id, PER_APPLICATION, a.submitted_at.isoformat()) for a in apps],  # type: ignore[union-attr]
            list(rv),
            {},
            lambda r, a: (
                not index.reasons(rv[r], by_id[a].member_id, by_id[a].partnership_id)
            ),
        )
        planner = time.perf_counter() - t0
        conflicted_pairs = sum(
            1
            for a in apps
            for r in reviewers
            if index.reasons(r, a.member_id, a.partnership_id)
        )

    t0 = time.perf_counter()
    result = review.assign_reviewers(uow_factory, STAFF, program_id)
    assign = time.perf_counter() - t0

    with uow_factory() as uow:
        assignments = list(uow.assignments.for_program(program_id))
        apps_by_id = {
            a.id: a
            for a in uow.applications.for_program(
                program_id, [ApplicationStatus.IN_REVIEW, ApplicationStatus.SUBMITTED]
            )
        }
        homes = {r.reviewer_id: r.home_member_id for r in uow.reviewers.all()}
        slipped = [
            a
            for a in assignments
            if independent_conflict(
                world, homes[a.reviewer_id], apps_by_id[a.application_id]
            )
        ]
        pairs = Counter((a.application_id, a.reviewer_id) for a in assignments)
        per_app = Counter(a.application_id for a in assignments)
        load = Counter(a.reviewer_id for a in assignments)
        # Every reviewer scores every assignment (deterministic pseudo-scores).
        t0 = time.perf_counter()
        program = uow.programs.get(program_id)
        assert program is not None
        for a in assignments:
            a.submit(
                program.rubric,
                {
                    "impact": rng.randrange(6),
                    "plan": rng.randrange(11),
                    "cost": rng.randrange(5),
                },
                "",
                datetime.now(UTC),
            )
        uow.commit()
        scoring = time.perf_counter() - t0
    t0 = time.perf_counter()
    ranking = review.program_ranking(uow_factory, STAFF, program_id)
    rank = time.perf_counter() - t0
    scores: list[float] = []
    for entry in ranking["entries"]:
        assert entry["score"] is not None  # every assignment was scored above
        scores.append(entry["score"])
    engine.dispose()
    return {
        "seed_s": seeded,
        "planner_s": planner,
        "planner_pairs": len(plan.pairs),
        "assign_s": assign,
        "assigned": result["assigned"],
        "shortfall": len(result["shortfall"]),
        "conflicted_pairs": conflicted_pairs,
        "slipped": len(slipped),
        "duplicates": sum(1 for n in pairs.values() if n > 1),
        "apps_short": sum(1 for a in apps_by_id if per_app[a] < PER_APPLICATION),
        "load_min": min(load.values()),
        "load_max": max(load.values()),
        "scoring_s": scoring,
        "ranking_s": rank,
        "ranked": len(ranking["entries"]),
        "sorted": scores == sorted(scores, reverse=True),
        "flagged": sum(1 for e in ranking["entries"] if e["disagreement"]),
        "statuses": Counter(a.status.value for a in assignments),
    }


def dense(conflict_rate: float = 0.3) -> dict[str, Any]:
    """The planner alone under heavy conflicts: a random 30% of pairs forbidden."""
    rng = random.Random(7)
    reviewers = [f"rv{i:03d}" for i in range(REVIEWERS)]
    apps = [f"a{i:05d}" for i in range(APPLICATIONS)]
    forbidden = {
        (r, a) for a in apps for r in reviewers if rng.random() < conflict_rate
    }
    needs = [Need(a, PER_APPLICATION, f"{i:06d}") for i, a in enumerate(apps)]
    t0 = time.perf_counter()
    plan = plan_assignments(needs, reviewers, {}, lambda r, a: (r, a) not in forbidden)
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "pairs": len(plan.pairs),
        "slipped": sum(1 for a, r in plan.pairs if (r, a) in forbidden),
        "load_min": min(plan.load.values()),
        "load_max": max(plan.load.values()),
        "shortfall": len(plan.shortfall),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_review_assignment")
    parser.add_argument("--sqlite", action="store_true", help="SQLite, not PostgreSQL")
    args = parser.parse_args()
    if args.sqlite:
        folder = Path(tempfile.mkdtemp(prefix="bench-grants-"))
        backend, r = "SQLite", run(f"sqlite:///{folder / 'grants.db'}")
    else:
        with scratch_databases(["grants"]) as urls:
            backend, r = "PostgreSQL", run(urls["grants"])
    total = APPLICATIONS * REVIEWERS
    print(f"## Grants: review assignment and ranking ({backend})")
    print(f"Machine: {machine()}")
    print(
        f"- seed (1,381 communities, 3,850 partnerships, {REVIEWERS} reviewers, "
        f"{APPLICATIONS:,} applications): {r['seed_s']:.2f} s"
    )
    print(
        f"- conflicted (application, reviewer) pairs: {r['conflicted_pairs']:,} "
        f"of {total:,} ({r['conflicted_pairs'] / total:.1%})"
    )
    print(
        f"- planner alone: {r['planner_pairs']:,} assignments in {r['planner_s']:.2f} s"
    )
    print(
        f"- assign_reviewers handler (load, plan, write): {r['assigned']:,} "
        f"assignments in {r['assign_s']:.2f} s; shortfall: {r['shortfall']} apps"
    )
    print(f"- load per reviewer: min {r['load_min']}, max {r['load_max']}")
    print(
        f"- check: conflicts slipped through: {r['slipped']}; duplicate reviewer on "
        f"an application: {r['duplicates']}; applications short of "
        f"{PER_APPLICATION}: {r['apps_short']}"
    )
    print(
        f"- scoring {r['assigned']:,} reviews in one transaction: "
        f"{r['scoring_s']:.2f} s"
    )
    print(
        f"- program_ranking of {r['ranked']:,} applications: {r['ranking_s']:.2f} s "
        f"(sorted: {r['sorted']}, flagged for disagreement: {r['flagged']})"
    )
    d = dense()
    print(
        "- planner under heavy conflicts (30% of pairs forbidden at random): "
        f"{d['pairs']:,} assignments in {d['seconds']:.2f} s; load min "
        f"{d['load_min']}, max {d['load_max']}; slipped through: {d['slipped']}; "
        f"shortfall: {d['shortfall']}"
    )


if __name__ == "__main__":
    main()
