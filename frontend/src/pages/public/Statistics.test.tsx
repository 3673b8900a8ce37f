import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { GraphQLError } from "graphql";
import { CombinedError } from "urql";

import { Statistics } from "./Statistics";
import { renderLive } from "./testing";

// The app fetches the outlines from the build's files; here there is no server.
vi.mock("./geo/countries", async () => ({
  loadCountries: async () => (await import("world-atlas/countries-110m.json")).default,
}));

const byCountry = [
  { code: "JP", name: "Japan", count: 458 },
  { code: "MX", name: "Mexico", count: 338 },
  { code: "NO", name: "Norway", count: 25 },
  { code: "XK", name: "Kosovo", count: 2 },
  ...Array.from({ length: 14 }, (_, i) => ({ code: `Q${String.fromCharCode(65 + i)}`, name: `Land ${i}`, count: 1 })),
];
const stats = {
  data: {
    partnershipStats: {
      total: 3816,
      withKnownYear: 29,
      byCountry,
      byContinent: [
        { code: "EU", name: "Europe", count: 1472 },
        { code: "AS", name: "Asia", count: 1277 },
      ],
      byState: [
        { code: "CA", name: "CA", count: 597 },
        { code: "FL", name: "FL", count: 303 },
      ],
      focusRegions: [
        { region: "EAST_ASIA", name: "East Asia", countries: ["CN", "JP", "TW"], count: 872, share: 0.2285 },
        { region: "AFRICA", name: "Africa", countries: ["GH", "ZA"], count: 197, share: 0.0516 },
      ],
      growthByYear: [
        { year: 1957, count: 3, cumulative: 3 },
        { year: 2012, count: 1, cumulative: 29 },
      ],
    },
  },
};

describe("Statistics", { timeout: 30000 }, () => {
  it("draws the world map shaded by country, with its legend", async () => {
    renderLive(<Statistics />, { answers: { StatisticsPage: stats } });
    const map = await screen.findByRole("img", { name: /World map of partnerships by country/ }, { timeout: 15000 });
    const paths = map.querySelectorAll("path");
    expect(paths.length).toBeGreaterThan(150);
    const japan = map.querySelector('path[data-country="JP"]');
    expect(japan).toHaveAttribute("data-count", "458");
    expect(japan?.getAttribute("d")).toMatch(/^M/);
    expect(japan?.querySelector("title")).toHaveTextContent("Japan: 458 partnerships");
    // Kosovo has no numeric code in world-atlas: matched by name.
    expect(map.querySelector('path[data-country="XK"]')).toHaveAttribute("data-count", "2");
    expect(map.querySelector('path[data-country="FR"]')).toHaveAttribute("data-count", "0");
    const legend = screen.getByRole("list", { name: /Legend/ });
    expect(within(legend).getByText("200+")).toBeInTheDocument();
    expect(within(legend).getByText("None")).toBeInTheDocument();
  });

  it("gives the map's numbers as a table, top countries first, all on demand", async () => {
    renderLive(<Statistics />, { answers: { StatisticsPage: stats } });
    const table = await screen.findByRole("table", { name: /Partnerships by country/ });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(16); // header + top 15
    expect(rows[1]).toHaveTextContent("Japan");
    expect(rows[1]).toHaveTextContent("458");
    expect(rows[1]).toHaveTextContent("12%");
    expect(within(rows[1]!).getByRole("link", { name: "Japan" })).toHaveAttribute("href", "/directory?country=JP");
    await userEvent.click(screen.getByRole("button", { name: "Show all 18 countries" }));
    await waitFor(() =>
      expect(within(screen.getByRole("table", { name: /Partnerships by country/ })).getAllByRole("row")).toHaveLength(19),
    );
  });

  it("shows continents, states and focus regions, each chart with a table", async () => {
    renderLive(<Statistics />, { answers: { StatisticsPage: stats } });
    const continents = await screen.findByRole("region", { name: "By continent" });
    await userEvent.click(within(continents).getByRole("tab", { name: "Table" }));
    const continentTable = within(continents).getByRole("table", { name: /Partnerships by continent/ });
    expect(continentTable).toHaveTextContent("Europe");
    expect(within(continentTable).getByRole("link", { name: "Asia" })).toHaveAttribute("href", "/directory?continent=AS");

    const states = screen.getByRole("region", { name: "By U.S. state" });
    await userEvent.click(within(states).getByRole("tab", { name: "Table" }));
    expect(within(states).getByRole("link", { name: "California" })).toHaveAttribute("href", "/directory?state=CA");

    const focus = screen.getByRole("region", { name: "Focus regions" });
    expect(within(focus).getByRole("link", { name: "East Asia" })).toHaveAttribute(
      "href",
      "/directory?focusRegion=EAST_ASIA",
    );
    expect(within(focus).getByText("872 · 23%")).toBeInTheDocument();
    expect(within(focus).getByText(/most with Japan/)).toBeInTheDocument();
  });

  it("shows the unavailable banner, and Retry asks again", async () => {
    let up = false;
    const unavailable = new CombinedError({
      graphQLErrors: [new GraphQLError("partnerships is not answering", { extensions: { code: "UNAVAILABLE" } })],
    });
    renderLive(<Statistics />, { answers: { StatisticsPage: () => (up ? stats : { error: unavailable }) } });
    expect(await screen.findByTestId("unavailable-banner")).toBeInTheDocument();
    up = true;
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findByRole("table", { name: /Partnerships by country/ })).toBeInTheDocument();
  });
});
