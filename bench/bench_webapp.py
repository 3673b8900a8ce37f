"""Web app benchmark (run by hand: `.venv/bin/python -m bench.bench_webapp`).

Against a running platform (`make run`, which serves the production build):
1. Lighthouse (npm `lighthouse`, driving Debian's Chromium) on the directory and
   statistics pages: performance and accessibility scores (the median of
   five runs, with the range of the performance score), with Lighthouse's
   mobile defaults (simulated slow 4G, 4x CPU slowdown) and its desktop preset.
2. The JavaScript the first page loads, compressed as the gateway sends it
   (the build's brotli copies, as Chromium accepts br):
   Lighthouse's transfer sizes of every script of the page.
3. The time from navigation to the directory's first rows (the page's
   `directory:first-rows` performance mark, unthrottled Chromium, median of
   several cold loads) beside the time of the bare `partnerships` query the
   page sends, over HTTP, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.support import machine
from common.config import REPO_ROOT

FRONTEND = REPO_ROOT / "frontend"
FIRST_ROWS_MARK = "directory:first-rows"
PAGES = ("/directory", "/statistics")
# The directory page's first query as the page sends it (frontend/src/pages/
# public/Directory.tsx): 25 rows in name order, no filter.
BARE_QUERY = """query DirectoryPage {
  partnerships(filter: {}, first: 25, orderBy: NAME_ASC) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id memberId memberName memberState partnerCity partnerRegion
      country countryName type status signedOn establishedYear __typename }
      __typename }
    __typename
  }
}"""


def chromium() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        raise SystemExit("Chromium not found: apt-get install chromium")
    return path


def lighthouse(url: str, preset: str, throttling: str | None = None) -> dict[str, Any]:
    """One Lighthouse run's JSON report."""
    binary = FRONTEND / "node_modules" / ".bin" / "lighthouse"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        argv = [
            str(binary),
            url,
            f"--chrome-path={chromium()}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            "--only-categories=performance,accessibility",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
        ]
        if preset == "desktop":
            argv.append("--preset=desktop")
        if throttling:
            argv.append(f"--throttling-method={throttling}")
        subprocess.run(argv, check=True, cwd=FRONTEND)
        report: dict[str, Any] = json.loads(out.read_text())
        return report


def score(report: dict[str, Any], category: str) -> int:
    return round(report["categories"][category]["score"] * 100)


def audit_ms(report: dict[str, Any], name: str) -> float:
    return float(report["audits"][name]["numericValue"])


def script_bytes(report: dict[str, Any]) -> int:
    """Bytes on the wire (compressed) of every script the page loaded."""
    items = report["audits"]["network-requests"]["details"]["items"]
    return sum(
        int(item.get("transferSize", 0))
        for item in items
        if item.get("resourceType") == "Script"
    )


def first_rows_ms(report: dict[str, Any]) -> float | None:
    for item in report["audits"]["user-timings"]["details"].get("items", []):
        if item.get("name") == FIRST_ROWS_MARK:
            return float(item["startTime"])
    return None


def bare_query_ms(base_url: str, runs: int) -> list[float]:
    samples = []
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for _ in range(runs):
            started = time.perf_counter()
            response = client.post("/graphql", json={"query": BARE_QUERY})
            samples.append((time.perf_counter() - started) * 1e3)
            response.raise_for_status()
            assert "errors" not in response.json(), response.text
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_webapp")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=5, help="loads for first rows")
    parser.add_argument(
        "--lighthouse-runs", type=int, default=5, help="runs per page, the median shown"
    )
    args = parser.parse_args(argv)
    base = args.base_url.rstrip("/")
    httpx.get(f"{base}/healthz", timeout=5).raise_for_status()

    print(f"# web app benchmark, {machine()}\n")
    print(
        "| page | preset | performance (range) | accessibility | FCP ms | LCP ms "
        "| TBT ms | CLS | scripts KB (wire) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for page in PAGES:
        for preset in ("mobile", "desktop"):
            # Lighthouse's own advice: the median of several runs, as one run's
            # blocking time swings with the machine.
            reports = sorted(
                (lighthouse(base + page, preset) for _ in range(args.lighthouse_runs)),
                key=lambda r: score(r, "performance"),
            )
            report = reports[len(reports) // 2]
            scores = [score(r, "performance") for r in reports]
            print(
                f"| {page} | {preset} | {score(report, 'performance')} "
                f"({min(scores)} to {max(scores)}) "
                f"| {score(report, 'accessibility')} "
                f"| {audit_ms(report, 'first-contentful-paint'):.0f} "
                f"| {audit_ms(report, 'largest-contentful-paint'):.0f} "
                f"| {audit_ms(report, 'total-blocking-time'):.0f} "
                f"| {audit_ms(report, 'cumulative-layout-shift'):.3f} "
                f"| {script_bytes(report) / 1024:.1f} |",
                flush=True,
            )

    # Cold loads without throttling: what a person on this machine waits.
    rows = []
    for _ in range(args.runs):
        report = lighthouse(base + "/directory", "desktop", throttling="provided")
        if (ms := first_rows_ms(report)) is None:
            raise SystemExit(f"the directory set no {FIRST_ROWS_MARK!r} mark")
        rows.append(ms)
    bare = bare_query_ms(base, max(20, args.runs * 4))
    print("\n| measure | median ms | min ms | max ms | samples |")
    print("|---|---|---|---|---|")
    for label, samples in (
        ("navigation to the directory's first rows", rows),
        ("the bare `partnerships` query (HTTP)", bare),
    ):
        print(
            f"| {label} | {statistics.median(samples):.0f} | {min(samples):.0f} "
            f"| {max(samples):.0f} | {len(samples)} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
