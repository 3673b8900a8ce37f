import { screen, waitFor as waitForDefault, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { renderPage } from "../../../../test/render";
import { MembersPage } from "./MembersPage";

// The search waits for typing to pause; the machine may be slow.
const waitFor = (check: () => void) => waitForDefault(check, { timeout: 8000 });

function member(id: string, name: string, status: string) {
  return {
    id,
    name,
    kind: "CITY",
    state: "VT",
    population: 12_000,
    status,
    goodStanding: status === "ACTIVE" || status === "GRACE",
    duesBand: "UP_TO_25K",
  };
}

const ALL = [
  member("m1", "Burlington", "ACTIVE"),
  member("m2", "Montpelier", "LAPSED"),
  member("m3", "Rutland", "ACTIVE"),
];

interface Filter {
  search?: string | null;
  status?: string | null;
}

function answer(variables: Record<string, unknown>) {
  const filter = (variables.filter ?? {}) as Filter;
  const rows = ALL.filter(
    (m) =>
      (!filter.search || m.name.toLowerCase().includes(filter.search.toLowerCase())) &&
      (!filter.status || m.status === filter.status),
  );
  return {
    data: {
      members: {
        totalCount: rows.length,
        pageInfo: { hasNextPage: false, endCursor: null },
        edges: rows.map((node) => ({ cursor: node.id, node })),
      },
    },
  };
}

describe("Staff members list", { timeout: 30_000 }, () => {
  it("searches by name and filters by status", async () => {
    const user = userEvent.setup();
    const { calls } = renderPage(<MembersPage />, {
      path: "/staff/members",
      as: { role: "staff" },
      answers: { StaffMembers: answer },
    });

    const table = await screen.findByRole("table", { name: "Members" });
    expect(within(table).getAllByRole("row")).toHaveLength(4); // header + 3
    expect(screen.getByText(/1–3 of 3 members/)).toBeInTheDocument();

    await user.click(screen.getByRole("textbox", { name: "Name" }));
    await user.paste("mont");
    await waitFor(() => expect(within(screen.getByRole("table")).queryByText("Burlington")).not.toBeInTheDocument());
    expect(within(screen.getByRole("table")).getByRole("link", { name: "Montpelier" })).toHaveAttribute(
      "href",
      "/staff/members/m2",
    );
    expect(calls.at(-1)?.variables.filter).toMatchObject({ search: "mont", status: null });
    expect(calls.at(-1)?.variables.filter).not.toHaveProperty("populationMissing");

    await user.clear(screen.getByRole("textbox", { name: "Name" }));
    await waitFor(() => expect(screen.getByText(/1–3 of 3 members/)).toBeInTheDocument());

    await user.click(screen.getByRole("combobox", { name: "Status" }));
    await user.click(await screen.findByRole("option", { name: "Lapsed", hidden: true }));
    await waitFor(() => expect(screen.getByText(/1–1 of 1 members/)).toBeInTheDocument());
    expect(calls.at(-1)?.variables.filter).toMatchObject({ search: null, status: "LAPSED" });
    expect(within(screen.getByRole("table")).getByText("Montpelier")).toBeInTheDocument();
    expect(within(screen.getByRole("table")).queryByText("Rutland")).not.toBeInTheDocument();
  });

  it("says when nothing matches", async () => {
    const user = userEvent.setup();
    renderPage(<MembersPage />, {
      path: "/staff/members?status=CANCELLED",
      as: { role: "staff" },
      answers: { StaffMembers: answer },
    });
    expect(await screen.findByText("No member matches these filters.")).toBeInTheDocument();
    await user.click(screen.getByRole("combobox", { name: "Status" }));
    expect(screen.getByRole("combobox", { name: "Status" })).toHaveValue("Cancelled");
  });

  it("finds members whose population is missing", async () => {
    const { calls } = renderPage(<MembersPage />, {
      path: "/staff/members?population=missing",
      as: { role: "staff" },
      answers: { StaffMembers: answer },
    });
    await screen.findByRole("table", { name: "Members" });
    expect(screen.getByRole("combobox", { name: "Population" })).toHaveValue("Missing: dues wait");
    expect(calls.at(-1)?.variables.filter).toMatchObject({ populationMissing: true });
  });

  it("asks anonymous visitors to sign in", () => {
    renderPage(<MembersPage />, { path: "/staff/members", answers: {} });
    expect(screen.getByTestId("elsewhere")).toBeInTheDocument();
  });
});
