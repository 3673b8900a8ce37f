import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { GraphQLError } from "graphql";
import { CombinedError } from "urql";

import { Home } from "./Home";
import { renderLive } from "./testing";

const stats = {
  data: {
    partnershipStats: {
      total: 3816,
      byCountry: [
        { code: "JP", name: "Japan", count: 458 },
        { code: "MX", name: "Mexico", count: 338 },
        { code: "NO", name: "Norway", count: 25 },
      ],
      byState: [{ code: "CA" }, { code: "TX" }],
    },
  },
};
const members = { data: { members: { totalCount: 1353 } } };
const unavailable = new CombinedError({
  graphQLErrors: [new GraphQLError("partnerships is not answering", { extensions: { code: "UNAVAILABLE" } })],
});

describe("Home", { timeout: 20000 }, () => {
  it("shows the headline numbers from the API", async () => {
    renderLive(<Home />, { answers: { HomeMembers: members, HomePartnerships: stats } });
    expect(await screen.findByTestId("home-members")).toHaveTextContent("1,353");
    expect(screen.getByTestId("home-partnerships")).toHaveTextContent("3,816");
    expect(screen.getByTestId("home-countries")).toHaveTextContent("3");
    expect(screen.getByRole("link", { name: "Japan: 458 partnerships" })).toHaveAttribute("href", "/directory?country=JP");
    expect(screen.getByRole("link", { name: /See the statistics/ })).toHaveAttribute("href", "/statistics");
  });

  it("searches the directory", async () => {
    const { router } = renderLive(<Home />, { answers: { HomeMembers: members, HomePartnerships: stats } });
    await userEvent.type(screen.getByRole("searchbox", { name: "Search the directory" }), "Tromsø{Enter}");
    await waitFor(() => expect(router.state.location.pathname).toBe("/directory"));
    expect(new URLSearchParams(router.state.location.search).get("search")).toBe("Tromsø");
  });

  it("still shows the members when partnerships is not answering, with a retry", async () => {
    let up = false;
    renderLive(<Home />, {
      answers: { HomeMembers: members, HomePartnerships: () => (up ? stats : { error: unavailable }) },
    });
    expect(await screen.findByTestId("unavailable-banner")).toBeInTheDocument();
    expect(screen.getByTestId("home-members")).toHaveTextContent("1,353");
    expect(screen.queryByTestId("home-partnerships")).not.toBeInTheDocument();
    up = true;
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findByTestId("home-partnerships")).toHaveTextContent("3,816");
    expect(screen.queryByTestId("unavailable-banner")).not.toBeInTheDocument();
  });
});
