import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { renderPage } from "../../../../test/render";
import { DuesPage } from "./DuesPage";

const AMOUNTS = [25_000, 50_000, 90_000, 150_000, 250_000, 400_000];
const BANDS = ["UP_TO_25K", "FROM_25K_TO_50K", "FROM_50K_TO_100K", "FROM_100K_TO_300K", "FROM_300K_TO_500K", "OVER_500K"];

function schedule(opened: boolean) {
  return {
    fiscalYear: 2027,
    currency: "USD",
    graceDays: 30,
    opened,
    bands: BANDS.map((band, i) => ({
      band,
      label: band,
      minPopulation: i,
      maxPopulation: null,
      amountCents: AMOUNTS[i],
    })),
  };
}

describe("Dues: opening a fiscal year", { timeout: 30_000 }, () => {
  it("says what will be issued, then how many were", async () => {
    const user = userEvent.setup();
    let opened = false;
    const { calls } = renderPage(<DuesPage />, {
      path: "/staff/dues?year=2027",
      route: "/staff/dues",
      as: { role: "staff" },
      answers: {
        StaffDuesSchedule: () => ({ data: { duesSchedule: schedule(opened) } }),
        StaffDuesMemberCounts: { data: { all: { totalCount: 1355 }, cancelled: { totalCount: 3 } } },
        StaffOpenDuesYear: () => {
          opened = true;
          return { data: { openDuesYear: { fiscalYear: 2027, issued: 1352 } } };
        },
      },
    });

    await user.click(await screen.findByRole("button", { name: "Open FY2027" }));
    const dialog = await screen.findByRole("dialog", { name: "Open FY2027?" });
    expect(
      within(dialog).getByText(
        "This issues a dues invoice to every member for FY2027; members already invoiced are not billed twice.",
      ),
    ).toBeInTheDocument();
    expect(await within(dialog).findByText(/1,352 members that are not cancelled/)).toBeInTheDocument();
    expect(calls.some((c) => c.name === "StaffOpenDuesYear")).toBe(false);

    await user.click(within(dialog).getByRole("button", { name: "Issue FY2027 invoices" }));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("1,352 dues invoices were issued for FY2027."));
    expect(calls.find((c) => c.name === "StaffOpenDuesYear")?.variables).toEqual({ fiscalYear: 2027 });
  });

  it("issues nothing when the modal is cancelled", async () => {
    const user = userEvent.setup();
    const { calls } = renderPage(<DuesPage />, {
      path: "/staff/dues?year=2027",
      route: "/staff/dues",
      as: { role: "staff" },
      answers: {
        StaffDuesSchedule: { data: { duesSchedule: schedule(false) } },
        StaffDuesMemberCounts: "loading",
      },
    });
    await user.click(await screen.findByRole("button", { name: "Open FY2027" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(calls.some((c) => c.name === "StaffOpenDuesYear")).toBe(false);
  });

  it("shows an opened year's schedule as frozen, without the open button", async () => {
    renderPage(<DuesPage />, {
      path: "/staff/dues?year=2027",
      route: "/staff/dues",
      as: { role: "staff" },
      answers: { StaffDuesSchedule: { data: { duesSchedule: schedule(true) } } },
    });
    const table = await screen.findByRole("table", { name: "FY2027 dues by population band" });
    expect(within(table).getByText("$4,000.00")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Open FY2027" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save schedule" })).not.toBeInTheDocument();
  });

  it("sends the six bands in cents", async () => {
    const user = userEvent.setup();
    const { calls } = renderPage(<DuesPage />, {
      path: "/staff/dues?year=2027",
      route: "/staff/dues",
      as: { role: "staff" },
      answers: {
        StaffDuesSchedule: { data: { duesSchedule: schedule(false) } },
        StaffSetDuesSchedule: { data: { setDuesSchedule: schedule(false) } },
      },
    });
    const first = await screen.findByRole("textbox", { name: /^Up to 25,000 people/ });
    await user.clear(first);
    await user.click(first);
    await user.paste("260.5");
    await user.click(screen.getByRole("button", { name: "Save schedule" }));
    await waitFor(() => expect(calls.some((c) => c.name === "StaffSetDuesSchedule")).toBe(true));
    const sent = calls.find((c) => c.name === "StaffSetDuesSchedule")?.variables as { bands: { amountCents: number }[] };
    expect(sent.bands.map((b) => b.amountCents)).toEqual([26_050, ...AMOUNTS.slice(1)]);
    expect(sent.bands[0]).toMatchObject({ minPopulation: 1, maxPopulation: 25_000 });
  });
});
