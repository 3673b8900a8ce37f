import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { GraphQLError } from "graphql";
import { CombinedError } from "urql";

import type { Answer } from "../../test/render";
import { renderLive as renderPage } from "./testing";
import { Directory } from "./Directory";
import { forgetCursors } from "./usePageCursor";

const ROWS = [
  {
    id: "p-1",
    memberId: "m-1",
    memberName: "Anchorage",
    memberState: "AK",
    partnerCity: "Tromsø",
    partnerRegion: "Troms",
    country: "NO",
    countryName: "Norway",
    type: "SISTER",
    status: "ACTIVE",
    signedOn: null,
    establishedYear: 1969,
  },
  {
    id: "p-2",
    memberId: "m-2",
    memberName: "Sacramento",
    memberState: "CA",
    partnerCity: "Matsuyama",
    partnerRegion: "Ehime",
    country: "JP",
    countryName: "Japan",
    type: "FRIENDSHIP",
    status: "ACTIVE",
    signedOn: "1981-05-02",
    establishedYear: null,
  },
];

function page(totalCount: number, rows = ROWS, endCursor = "c-next"): Answer {
  return {
    data: {
      partnerships: {
        totalCount,
        pageInfo: { hasNextPage: totalCount > rows.length, endCursor },
        edges: rows.map((node) => ({ node })),
      },
    },
  };
}

const unavailable = new CombinedError({
  graphQLErrors: [new GraphQLError("partnerships is not answering", { extensions: { code: "UNAVAILABLE" } })],
});

function lastCall(calls: { name: string; variables: Record<string, unknown> }[], name: string) {
  return calls.filter((c) => c.name === name).at(-1)?.variables;
}

function search(router: { state: { location: { search: string } } }) {
  return new URLSearchParams(router.state.location.search);
}

afterEach(() => forgetCursors());

describe("Directory", { timeout: 20000 }, () => {
  it("reads every filter, the order and the search from the URL", async () => {
    const { calls } = renderPage(<Directory />, {
      path: "/directory?country=JP&search=kyoto&type=SISTER&continent=AS&focusRegion=EAST_ASIA&state=CA&programArea=ARTS_CULTURE&order=DATE_DESC",
      answers: { DirectoryPage: page(458) },
    });
    expect(await screen.findByTestId("directory-total")).toHaveTextContent("458");
    expect(screen.getByText("partnerships")).toBeInTheDocument();
    expect(lastCall(calls, "DirectoryPage")).toEqual({
      filter: {
        country: "JP",
        search: "kyoto",
        type: "SISTER",
        continent: "AS",
        focusRegion: "EAST_ASIA",
        state: "CA",
        programArea: "ARTS_CULTURE",
      },
      orderBy: "DATE_DESC",
      first: 25,
      after: null,
    });
    expect(screen.getByRole("searchbox", { name: "Search" })).toHaveValue("kyoto");
    expect(screen.getByRole("combobox", { name: "Country" })).toHaveValue("Japan");
    expect(screen.getByRole("combobox", { name: "U.S. state" })).toHaveValue("California");
    expect(screen.getByRole("combobox", { name: "Sort by" })).toHaveValue("Newest first");
  });

  it("shows the rows as a table linking to each partnership", async () => {
    renderPage(<Directory />, { path: "/directory", answers: { DirectoryPage: page(2) } });
    const table = await screen.findByRole("table", { name: "Partnerships" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByRole("link", { name: "Tromsø" })).toHaveAttribute("href", "/partnerships/p-1");
    expect(rows[1]).toHaveTextContent("Anchorage");
    expect(rows[1]).toHaveTextContent("1969");
    expect(rows[2]).toHaveTextContent("Friendship city");
    expect(rows[2]).toHaveTextContent("1981");
  });

  it("writes the debounced search to the URL and asks again", async () => {
    const { router, calls } = renderPage(<Directory />, {
      path: "/directory?country=NO&page=2&after=c-1",
      answers: { DirectoryPage: (v) => page(v.filter && (v.filter as { search?: string }).search ? 1 : 40) },
    });
    await screen.findByTestId("directory-total");
    await userEvent.type(screen.getByRole("searchbox", { name: "Search" }), "tromso");
    await waitFor(() => expect(search(router).get("search")).toBe("tromso"));
    // The URL keeps the other filters; a new search starts at page 1.
    expect(search(router).get("country")).toBe("NO");
    expect(search(router).get("page")).toBeNull();
    expect(search(router).get("after")).toBeNull();
    await waitFor(() => expect(screen.getByTestId("directory-total")).toHaveTextContent("1"));
    expect(lastCall(calls, "DirectoryPage")?.filter).toEqual({ country: "NO", search: "tromso" });
    // Debounced: no query for each letter typed.
    const searches = calls.filter((c) => c.name === "DirectoryPage" && (c.variables.filter as { search?: string }).search);
    expect(searches.length).toBeLessThan(3);
  });

  it("writes a chosen country to the URL", async () => {
    const { router, calls } = renderPage(<Directory />, {
      path: "/directory",
      answers: { DirectoryPage: page(2) },
    });
    await screen.findByTestId("directory-total");
    const country = screen.getByRole("combobox", { name: "Country" });
    await userEvent.type(country, "japa");
    // Mantine keeps its dropdown at display: none in jsdom (no transition ends here).
    await userEvent.click(await screen.findByRole("option", { name: "Japan", hidden: true }, { timeout: 5000 }));
    await waitFor(() => expect(search(router).get("country")).toBe("JP"));
    await waitFor(() => expect(lastCall(calls, "DirectoryPage")?.filter).toEqual({ country: "JP" }));
    // The chip removes it again.
    await userEvent.click(screen.getByRole("button", { name: "Remove filter Japan" }));
    await waitFor(() => expect(search(router).get("country")).toBeNull());
  });

  it("filters by a member community found by name", async () => {
    const { router, calls } = renderPage(<Directory />, {
      path: "/directory",
      answers: {
        DirectoryPage: page(2),
        DirectoryMemberSearch: {
          data: { members: { edges: [{ node: { id: "m-1", name: "Anchorage", state: "AK" } }] } },
        },
        DirectoryMemberName: { data: { member: { id: "m-1", name: "Anchorage", state: "AK" } } },
      },
    });
    await screen.findByTestId("directory-total");
    await userEvent.type(screen.getByRole("combobox", { name: "Member community" }), "anch");
    await userEvent.click(await screen.findByRole("option", { name: "Anchorage, AK", hidden: true }, { timeout: 5000 }));
    await waitFor(() => expect(search(router).get("member")).toBe("m-1"));
    expect(lastCall(calls, "DirectoryMemberSearch")).toEqual({ search: "anch" });
    await waitFor(() => expect(lastCall(calls, "DirectoryPage")?.filter).toEqual({ memberId: "m-1" }));
    expect(screen.getByRole("button", { name: "Remove filter Anchorage, AK" })).toBeInTheDocument();
  });

  it("names the member of a shared link", async () => {
    renderPage(<Directory />, {
      path: "/directory?member=m-1",
      answers: {
        DirectoryPage: page(2),
        DirectoryMemberName: { data: { member: { id: "m-1", name: "Anchorage", state: "AK" } } },
      },
    });
    await waitFor(() => expect(screen.getByRole("combobox", { name: "Member community" })).toHaveValue("Anchorage, AK"));
  });

  it("finds countries without their accents", async () => {
    renderPage(<Directory />, { path: "/directory", answers: { DirectoryPage: page(2) } });
    await screen.findByTestId("directory-total");
    await userEvent.type(screen.getByRole("combobox", { name: "Country" }), "cote d");
    expect(await screen.findByRole("option", { name: /Côte d.Ivoire/, hidden: true }, { timeout: 5000 })).toBeInTheDocument();
  });

  it("shows the empty state when nothing matches", async () => {
    renderPage(<Directory />, { path: "/directory?search=zzzz", answers: { DirectoryPage: page(0, []) } });
    expect(await screen.findByTestId("empty-state")).toHaveTextContent("No partnership matches.");
    expect(screen.getByTestId("directory-total")).toHaveTextContent("0");
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("shows the unavailable banner, and Retry asks again", async () => {
    let up = false;
    const { calls } = renderPage(<Directory />, {
      path: "/directory?country=JP",
      answers: { DirectoryPage: () => (up ? page(458) : { error: unavailable }) },
    });
    expect(await screen.findByTestId("unavailable-banner")).toBeInTheDocument();
    expect(screen.queryByTestId("directory-total")).not.toBeInTheDocument();
    up = true;
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findByTestId("directory-total")).toHaveTextContent("458");
    expect(screen.queryByTestId("unavailable-banner")).not.toBeInTheDocument();
    expect(calls.filter((c) => c.name === "DirectoryPage").length).toBeGreaterThanOrEqual(2);
  });

  it("finds a page from the URL by its cursor, then keeps the cursor in the URL", async () => {
    const { router, calls } = renderPage(<Directory />, {
      path: "/directory?country=JP&page=3",
      answers: {
        DirectoryCursor: { data: { partnerships: { totalCount: 458, pageInfo: { endCursor: "c-49", hasNextPage: true } } } },
        DirectoryPage: page(458),
      },
    });
    expect(await screen.findByText(/Showing 51–52, page 3 of 19/)).toBeInTheDocument();
    expect(lastCall(calls, "DirectoryCursor")).toMatchObject({ first: 50, after: null, filter: { country: "JP" } });
    expect(lastCall(calls, "DirectoryPage")).toMatchObject({ first: 25, after: "c-49" });
    await waitFor(() => expect(search(router).get("after")).toBe("c-49"));
    expect(search(router).get("page")).toBe("3");
  });

  it("pages on with the cursor the page gave", async () => {
    const { router, calls } = renderPage(<Directory />, {
      path: "/directory",
      answers: { DirectoryPage: (v) => page(60, ROWS, v.after ? "c-end" : "c-24") },
    });
    await screen.findByText(/page 1 of 3/);
    await userEvent.click(screen.getByRole("button", { name: "Page 2" }));
    await waitFor(() => expect(search(router).get("page")).toBe("2"));
    expect(search(router).get("after")).toBe("c-24");
    await waitFor(() => expect(lastCall(calls, "DirectoryPage")).toMatchObject({ after: "c-24" }));
    expect(calls.some((c) => c.name === "DirectoryCursor")).toBe(false);
  });

  it("offers the status filter to staff only", async () => {
    renderPage(<Directory />, { path: "/directory", answers: { DirectoryPage: page(2) } });
    await screen.findByTestId("directory-total");
    expect(screen.queryByRole("combobox", { name: "Status" })).not.toBeInTheDocument();
  });

  it("reads the status filter for staff", async () => {
    const { calls } = renderPage(<Directory />, {
      path: "/directory?status=DORMANT",
      as: { role: "staff" },
      answers: { DirectoryPage: page(2) },
    });
    await screen.findByTestId("directory-total");
    expect(screen.getByRole("combobox", { name: "Status" })).toHaveValue("Dormant");
    expect(lastCall(calls, "DirectoryPage")?.filter).toEqual({ status: "DORMANT" });
  });
});
