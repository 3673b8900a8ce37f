import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { GraphQLError } from "graphql";
import { CombinedError } from "urql";

import { Partnership } from "./Partnership";
import { renderLive } from "./testing";

const partnership = {
  id: "p-1",
  memberId: "m-1",
  memberName: "Anchorage",
  memberState: "AK",
  partnerCity: "Tromsø",
  partnerRegion: "Troms",
  country: "NO",
  countryName: "Norway",
  continent: "EU",
  continentName: "Europe",
  focusRegions: [],
  type: "SISTER",
  status: "ACTIVE",
  programAreas: ["ARTS_CULTURE", "YOUTH_EDUCATION"],
  recognized: true,
  signedOn: "2019-06-01",
  establishedYear: 1969,
  createdAt: "2026-01-02T10:00:00",
  updatedAt: "2026-02-03T10:00:00",
  agreement: null,
  member: { id: "m-1", name: "Anchorage", kind: "CITY", state: "AK" },
  history: [
    {
      action: "IMPORTED",
      fromStatus: null,
      toStatus: "ACTIVE",
      at: "2026-01-02T10:00:00",
      actor: null,
      actorRole: "service",
      reason: "imported",
    },
    {
      action: "UPDATED",
      fromStatus: "ACTIVE",
      toStatus: "ACTIVE",
      at: "2026-02-03T10:00:00",
      actor: null,
      actorRole: "member",
      reason: "Youth exchange added",
    },
  ],
};

function show(options: Parameters<typeof renderLive>[1]) {
  return renderLive(<Partnership />, { path: "/partnerships/p-1", route: "/partnerships/:id", ...options });
}

describe("Partnership", { timeout: 20000 }, () => {
  it("shows the partnership, its member, its partner, dates, areas and history", async () => {
    const { calls } = show({ answers: { PartnershipPage: { data: { partnership } } } });
    expect(await screen.findByRole("heading", { name: "Anchorage – Tromsø" })).toBeInTheDocument();
    expect(calls[0]).toEqual({ name: "PartnershipPage", variables: { id: "p-1" } });

    const member = screen.getByRole("region", { name: "U.S. member community" });
    expect(within(member).getByText("Alaska")).toBeInTheDocument();
    expect(within(member).getByText("City")).toBeInTheDocument();
    expect(within(member).getByRole("link", { name: "All partnerships of Anchorage" })).toHaveAttribute(
      "href",
      "/directory?member=m-1",
    );

    const partner = screen.getByRole("region", { name: "Partner community" });
    expect(within(partner).getByText("Troms")).toBeInTheDocument();
    expect(within(partner).getByText("Europe")).toBeInTheDocument();
    expect(within(partner).getByRole("link", { name: "All partnerships with Norway" })).toHaveAttribute(
      "href",
      "/directory?country=NO",
    );

    const details = screen.getByRole("region", { name: "The partnership" });
    expect(within(details).getByText("1969")).toBeInTheDocument();
    expect(within(details).getByText("Arts and culture")).toBeInTheDocument();
    expect(within(details).getByText("Youth and education")).toBeInTheDocument();
    expect(within(details).getAllByText("Active").length).toBeGreaterThan(0);
    expect(screen.getAllByText("Recognized").length).toBeGreaterThan(0);

    const history = screen.getByRole("region", { name: "History" });
    expect(within(history).getByText("Entered in the registry")).toBeInTheDocument();
    expect(within(history).getByText("Youth exchange added")).toBeInTheDocument();
    // The agreement is for staff and the member's own users: not shown when absent.
    expect(screen.queryByRole("region", { name: "Agreement" })).not.toBeInTheDocument();
    expect(screen.getByRole("link", { name: /Back to the directory/ })).toHaveAttribute("href", "/directory");
  });

  it("shows the agreement when the API gives it", async () => {
    const agreement = {
      councilResolution: "Resolution 2019-14",
      signedOn: "2019-06-01",
      usSignatory: "Mayor of Anchorage",
      partnerSignatory: "Mayor of Tromsø",
      documentReference: "DOC-1",
    };
    show({ as: { role: "staff" }, answers: { PartnershipPage: { data: { partnership: { ...partnership, agreement } } } } });
    const section = await screen.findByRole("region", { name: "Agreement" });
    expect(within(section).getByText("Resolution 2019-14")).toBeInTheDocument();
    expect(within(section).getByText("Mayor of Tromsø")).toBeInTheDocument();
  });

  it("says so when there is no such partnership", async () => {
    show({ answers: { PartnershipPage: { data: { partnership: null } } } });
    expect(await screen.findByRole("heading", { name: "Partnership not found" })).toBeInTheDocument();
  });

  it("shows the unavailable banner, and Retry asks again", async () => {
    let up = false;
    const unavailable = new CombinedError({
      graphQLErrors: [new GraphQLError("partnerships is not answering", { extensions: { code: "UNAVAILABLE" } })],
    });
    show({ answers: { PartnershipPage: () => (up ? { data: { partnership } } : { error: unavailable }) } });
    expect(await screen.findByTestId("unavailable-banner")).toBeInTheDocument();
    up = true;
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findByRole("heading", { name: "Anchorage – Tromsø" })).toBeInTheDocument();
  });
});
