import { screen, within } from "@testing-library/react";

import { renderPage } from "../../../test/render";
import type { Ranking, RankingEntry } from "./ranking";
import { budgetLine } from "./ranking";
import { RankingView } from "./RankingView";

function entry(rank: number, overrides: Partial<RankingEntry>): RankingEntry {
  return {
    rank,
    applicationId: `app-${rank}`,
    applicantName: `Town ${rank}`,
    title: `Application ${rank}`,
    status: "IN_REVIEW",
    amountRequestedCents: 400000,
    cumulativeRequestedCents: rank * 400000,
    reviewsExpected: 2,
    reviews: 2,
    score: null,
    spread: null,
    disagreement: false,
    ...overrides,
  };
}

const ranking: Ranking = {
  budgetCents: 2000000,
  awardedCents: 500000,
  remainingCents: 1000000,
  disagreementThreshold: 20,
  entries: [
    entry(1, { status: "AWARDED", score: 91.5, spread: 3, amountRequestedCents: 500000, cumulativeRequestedCents: 500000 }),
    entry(2, { score: 71.6667, spread: 31.6667, disagreement: true, cumulativeRequestedCents: 900000 }),
    entry(3, { score: 60, spread: 0, cumulativeRequestedCents: 1300000 }),
    entry(4, { score: 55.25, spread: 5, reviews: 1, cumulativeRequestedCents: 1700000 }),
    entry(5, { score: null, reviews: 0, cumulativeRequestedCents: 2100000 }),
  ],
};

function show(value: Ranking = ranking) {
  return renderPage(<RankingView ranking={value} currency="USD" />, { path: "/staff/grants/p1", as: { role: "staff" } });
}

describe("the ranking view", () => {
  it("lists applications by rank with their weighted scores, spread and reviews done", () => {
    show();
    const rows = screen.getAllByTestId(/^rank-/);
    expect(rows.map((r) => r.getAttribute("data-testid"))).toEqual(["rank-1", "rank-2", "rank-3", "rank-4", "rank-5"]);
    const second = within(screen.getByTestId("rank-2"));
    expect(second.getByRole("link", { name: "Application 2" })).toHaveAttribute("href", "/staff/grants/applications/app-2");
    expect(second.getByText("71.67")).toBeInTheDocument();
    expect(second.getByText("31.67")).toBeInTheDocument();
    expect(second.getByText("2 of 2")).toBeInTheDocument();
    expect(within(screen.getByTestId("rank-4")).getByText("1 of 2")).toBeInTheDocument();
    expect(within(screen.getByTestId("rank-5")).getAllByText("—").length).toBeGreaterThan(0);
  });

  it("flags reviewers' disagreement only where the spread is above the threshold", () => {
    show();
    expect(within(screen.getByTestId("rank-2")).getByText("Disagreement")).toBeInTheDocument();
    for (const rank of [1, 3, 4, 5]) {
      expect(within(screen.getByTestId(`rank-${rank}`)).queryByText("Disagreement")).not.toBeInTheDocument();
    }
    expect(screen.getByText(/more than 20 points apart/)).toBeInTheDocument();
  });

  it("measures undecided applications, in rank order, against the remaining budget", () => {
    show();
    expect(screen.getByTestId("remaining-budget")).toHaveTextContent("$10,000.00");
    expect(within(screen.getByTestId("rank-1")).getByText("Decided")).toBeInTheDocument();
    expect(within(screen.getByTestId("rank-2")).getByText("Fits")).toBeInTheDocument();
    expect(within(screen.getByTestId("rank-3")).getByText("Fits")).toBeInTheDocument();
    expect(within(screen.getByTestId("rank-4")).getByText("Beyond by $2,000.00")).toBeInTheDocument();
    expect(within(screen.getByTestId("rank-5")).getByText("Beyond by $6,000.00")).toBeInTheDocument();
    expect(within(screen.getByTestId("rank-3")).getByText("$13,000.00")).toBeInTheDocument(); // cumulative requested
  });

  it("says so when nothing is ranked yet", () => {
    show({ ...ranking, entries: [] });
    expect(screen.getByTestId("empty-state")).toHaveTextContent("No submitted application to rank yet.");
  });
});

describe("the budget line", () => {
  it("skips decided applications and keeps a running total of the rest", () => {
    const line = budgetLine(ranking);
    expect(line.has("app-1")).toBe(false);
    expect(line.get("app-3")).toEqual({ runningCents: 800000, fits: true });
    expect(line.get("app-4")).toEqual({ runningCents: 1200000, fits: false });
  });
});
