import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { renderPage } from "../../../../test/render";
import { PartnershipQueuePage } from "./PartnershipQueuePage";

function partnership(status: string, goodStanding = true) {
  return {
    id: "p1",
    memberId: "m1",
    memberName: "Winooski",
    memberState: "VT",
    partnerCity: "Tromsø",
    partnerRegion: null,
    country: "NO",
    countryName: "Norway",
    continentName: "Europe",
    type: "FRIENDSHIP",
    status,
    programAreas: ["ARTS_CULTURE"],
    recognized: status === "ACTIVE" && goodStanding,
    signedOn: status === "PROPOSED" ? null : "2026-12-01",
    establishedYear: status === "PROPOSED" ? null : 2026,
    createdAt: "2026-11-20T10:00:00",
    updatedAt: "2026-12-01T10:00:00",
    agreement:
      status === "PROPOSED"
        ? null
        : {
            councilResolution: "Resolution 2026-77",
            signedOn: "2026-12-01",
            usSignatory: "Mayor Ada",
            partnerSignatory: "Ordfører Kari",
            documentReference: "Clerk's office 2026/77",
          },
    member: { id: "m1", name: "Winooski", state: "VT", status: goodStanding ? "ACTIVE" : "LAPSED", goodStanding },
    history: [],
  };
}

function queue(...nodes: ReturnType<typeof partnership>[]) {
  return {
    data: {
      partnerships: {
        totalCount: nodes.length,
        pageInfo: { hasNextPage: false, endCursor: null },
        edges: nodes.map((node) => ({ cursor: node.id, node })),
      },
    },
  };
}

const COUNTS = {
  data: {
    proposed: { totalCount: 0 },
    pending: { totalCount: 1 },
    active: { totalCount: 3816 },
    dormant: { totalCount: 0 },
    terminated: { totalCount: 0 },
  },
};

describe("Partnership queue", { timeout: 30_000 }, () => {
  it("activates a pending partnership after confirmation; it becomes recognized", async () => {
    const user = userEvent.setup();
    const { calls } = renderPage(<PartnershipQueuePage />, {
      path: "/staff/partnerships?status=PENDING",
      route: "/staff/partnerships",
      as: { role: "staff" },
      answers: {
        StaffPartnershipQueueCounts: COUNTS,
        StaffPartnershipQueue: queue(partnership("PENDING")),
        StaffActivatePartnership: { data: { activatePartnership: partnership("ACTIVE") } },
      },
    });

    expect(await screen.findByRole("tab", { name: /Pending/, selected: true })).toBeInTheDocument();
    const table = await screen.findByRole("table", { name: "Pending partnerships" });
    const row = within(table).getByRole("row", { name: /Tromsø/ });
    await user.click(within(row).getByRole("button", { name: /^Activate/ }));

    const dialog = await screen.findByRole("dialog", { name: "Activate the partnership" });
    expect(within(dialog).getByText(/Resolution 2026-77/)).toBeInTheDocument();
    expect(within(dialog).getByText(/will be recognized and shown in the public directory/)).toBeInTheDocument();
    expect(calls.some((c) => c.name === "StaffActivatePartnership")).toBe(false);

    await user.click(within(dialog).getByRole("button", { name: "Activate" }));
    await waitFor(() =>
      expect(calls.find((c) => c.name === "StaffActivatePartnership")?.variables).toEqual({ id: "p1" }),
    );
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });

  it("warns that a member not in good standing is not recognized", async () => {
    const user = userEvent.setup();
    renderPage(<PartnershipQueuePage />, {
      path: "/staff/partnerships?status=PENDING",
      route: "/staff/partnerships",
      as: { role: "staff" },
      answers: { StaffPartnershipQueueCounts: COUNTS, StaffPartnershipQueue: queue(partnership("PENDING", false)) },
    });
    await user.click(await screen.findByRole("button", { name: /^Activate/ }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText(/not in good standing, so the partnership will not be recognized/)).toBeInTheDocument();
  });

  it("offers the moves of each status and asks a reason to terminate", async () => {
    const user = userEvent.setup();
    const { calls } = renderPage(<PartnershipQueuePage />, {
      path: "/staff/partnerships",
      route: "/staff/partnerships",
      as: { role: "staff" },
      answers: {
        StaffPartnershipQueueCounts: COUNTS,
        StaffPartnershipQueue: (variables) => {
          const status = (variables.filter as { status: string }).status;
          return queue(partnership(status));
        },
        StaffTerminatePartnership: { data: { terminatePartnership: partnership("TERMINATED") } },
      },
    });
    // Proposals first.
    expect(await screen.findByRole("tab", { name: /Proposed/, selected: true })).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: /^Record agreement/ })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Activate/ })).not.toBeInTheDocument();

    await user.click(screen.getByRole("tab", { name: /Active/ }));
    expect(await screen.findByRole("button", { name: /^Mark dormant/ })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: /^Terminate/ }));
    const dialog = await screen.findByRole("dialog", { name: "Terminate the partnership" });
    await user.click(within(dialog).getByRole("button", { name: "Terminate" }));
    expect(within(dialog).getByRole("textbox", { name: /Reason/ })).toHaveAccessibleDescription(/Give the reason/);
    expect(calls.some((c) => c.name === "StaffTerminatePartnership")).toBe(false);

    await user.click(within(dialog).getByRole("textbox", { name: /Reason/ }));
    await user.paste("Council letter of 2 December");
    await user.click(within(dialog).getByRole("button", { name: "Terminate" }));
    await waitFor(() =>
      expect(calls.find((c) => c.name === "StaffTerminatePartnership")?.variables).toEqual({
        id: "p1",
        reason: "Council letter of 2 December",
      }),
    );
  });
});
