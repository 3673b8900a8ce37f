"""Assigning reviewers: deterministic, even, and never across a conflict.

1. Each application needs `needed` more reviewers, chosen among reviewers who
   have no conflict with it and have not been on it before (recused, removed).
2. The most constrained applications (fewest possible reviewers) are served
   first, ties by submission order then id, so a scarce reviewer is not used up
   by an application that had other choices.
3. Each takes the least loaded candidates (ties by reviewer id).
4. A repair pass moves new assignments from the most to the least loaded
   reviewer while a move is allowed and narrows the gap, until the loads differ
   by at most one or no allowed move is left.
The same input gives the same output, whatever order it came in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Need:
    application_id: str
    needed: int
    order_key: str  # submission time, ISO 8601
    excluded: frozenset[str] = frozenset()  # reviewers already on it, or off it


@dataclass
class Plan:
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (app, reviewer)
    shortfall: dict[str, int] = field(default_factory=dict)
    load: dict[str, int] = field(default_factory=dict)


def plan_assignments(
    needs: list[Need],
    reviewer_ids: list[str],
    load: dict[str, int],
    allowed: Callable[[str, str], bool],
) -> Plan:
    """`allowed(reviewer_id, application_id)` is False across a conflict."""
    reviewers = sorted(set(reviewer_ids))
    load = {r: load.get(r, 0) for r in reviewers}
    candidates: dict[str, list[str]] = {}
    for need in needs:
        candidates[need.application_id] = [
            r
            for r in reviewers
            if r not in need.excluded and allowed(r, need.application_id)
        ]
    order = sorted(
        (n for n in needs if n.needed > 0),
        key=lambda n: (
            len(candidates[n.application_id]),
            n.order_key,
            n.application_id,
        ),
    )
    plan = Plan()
    chosen: dict[str, list[str]] = {}
    for need in order:
        pool = candidates[need.application_id]
        picked = sorted(pool, key=lambda r: (load[r], r))[: need.needed]
        for r in picked:
            load[r] += 1
        chosen[need.application_id] = picked
        if len(picked) < need.needed:
            plan.shortfall[need.application_id] = need.needed - len(picked)
    _rebalance(chosen, candidates, load)
    plan.pairs = sorted((a, r) for a, rs in chosen.items() for r in rs)
    plan.load = load
    return plan


def _rebalance(
    chosen: dict[str, list[str]],
    candidates: dict[str, list[str]],
    load: dict[str, int],
) -> None:
    if not load:
        return
    on_app = {a: set(rs) for a, rs in chosen.items()}
    by_reviewer: dict[str, list[str]] = {}
    for a in sorted(chosen):
        for r in chosen[a]:
            by_reviewer.setdefault(r, []).append(a)
    while True:
        moved = False
        for heavy in sorted(load, key=lambda r: (-load[r], r)):
            for app in list(by_reviewer.get(heavy, [])):
                light = min(
                    (
                        r
                        for r in candidates[app]
                        if r not in on_app[app] and load[r] <= load[heavy] - 2
                    ),
                    key=lambda r: (load[r], r),
                    default=None,
                )
                if light is None:
                    continue
                chosen[app][chosen[app].index(heavy)] = light
                on_app[app].discard(heavy)
                on_app[app].add(light)
                by_reviewer[heavy].remove(app)
                by_reviewer.setdefault(light, []).append(app)
                load[heavy] -= 1
                load[light] += 1
                moved = True
                break
            if moved:
                break
        if not moved:
            return
