import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { GraphQLError } from "graphql";
import { CombinedError } from "urql";

import type { Answers } from "../../test/render";
import { renderLive } from "../public/testing";
import { Notifications } from "./Notifications";

function email(id: string, kind: string, subject: string, status: string) {
  return {
    id,
    kind,
    recipient: "clerk@winooski.example",
    subject,
    status,
    createdAt: "2026-12-03T10:00:00+00:00",
    sentAt: status === "SENT" ? "2026-12-03T10:00:05+00:00" : null,
  };
}

const EMAILS = {
  data: {
    notifications: {
      totalCount: 2,
      edges: [
        { node: email("n2", "PAYMENT_RECEIPT", "Receipt R-2026-000001", "SENT") },
        { node: email("n1", "PARTNERSHIP_NEWS", "", "SKIPPED") },
      ],
    },
  },
};

const PREFERENCES = {
  memberId: "m1",
  optedOut: ["PARTNERSHIP_NEWS"],
  optional: ["PARTNERSHIP_NEWS", "GRANT_ROUND_ANNOUNCEMENT"],
};

function render(answers: Answers = {}) {
  // Answers stay open, as the real client's do, so an error stays shown.
  return renderLive(<Notifications />, {
    path: "/member/notifications",
    as: { role: "member", memberId: "m1" },
    answers: {
      MyNotifications: EMAILS,
      MemberNotificationPreferences: { data: { notificationPreferences: PREFERENCES } },
      ...answers,
    },
  });
}

describe("Member notifications", { timeout: 30_000 }, () => {
  it("lists the recent emails: kind in words, subject, delivery", async () => {
    const { calls } = render();
    const table = await screen.findByRole("table", { name: "Recent emails" });
    const receipt = within(table).getByRole("row", { name: /Payment receipt/ });
    expect(receipt).toHaveTextContent("Receipt R-2026-000001");
    expect(receipt).toHaveTextContent("Sent");
    expect(within(table).getByRole("row", { name: /Partnership news/ })).toHaveTextContent("Not sent: turned off");
    expect(calls.find((c) => c.name === "MyNotifications")?.variables).toEqual({ first: 20 });
  });

  it("shows the optional kinds as switches and the others as always on, with why", async () => {
    render();
    const news = await screen.findByRole("switch", { name: /Partnership news/ });
    expect(news).not.toBeChecked();
    expect(screen.getByRole("switch", { name: /Grant round announcement/ })).toBeChecked();
    const always = screen.getByRole("group", { name: "Always sent" });
    const receipt = within(always).getByRole("switch", { name: /Payment receipt/ });
    expect(receipt).toBeChecked();
    expect(receipt).toBeDisabled();
    expect(within(always).getByText(/Always on: It is your proof of payment/)).toBeInTheDocument();
    // An optional kind is not also listed as always sent.
    expect(within(always).queryByRole("switch", { name: /Partnership news/ })).not.toBeInTheDocument();
  });

  it("says so when no email was sent yet", async () => {
    render({ MyNotifications: { data: { notifications: { totalCount: 0, edges: [] } } } });
    expect(await screen.findByTestId("empty-state")).toHaveTextContent("No email has been sent to your community yet.");
  });

  it("shows the unavailable banner with retry when the service does not answer", async () => {
    render({
      MyNotifications: {
        error: new CombinedError({
          graphQLErrors: [new GraphQLError("notifications is not answering", { extensions: { code: "UNAVAILABLE" } })],
        }),
      },
    });
    const banner = await screen.findByTestId("unavailable-banner");
    expect(within(banner).getByRole("button", { name: "Retry" })).toBeInTheDocument();
    // The preferences still load.
    expect(await screen.findByRole("switch", { name: /Partnership news/ })).toBeInTheDocument();
  });

  it("saves the switches as the kinds turned off", async () => {
    const user = userEvent.setup();
    const { calls } = render({
      MemberSetNotificationPreferences: (variables) => ({
        data: { setNotificationPreferences: { ...PREFERENCES, optedOut: variables.optedOut } },
      }),
    });
    await user.click(await screen.findByRole("switch", { name: /Partnership news/ }));
    await user.click(screen.getByRole("switch", { name: /Grant round announcement/ }));
    await user.click(screen.getByRole("button", { name: "Save preferences" }));
    await waitFor(() =>
      expect(calls.find((c) => c.name === "MemberSetNotificationPreferences")?.variables).toEqual({
        optedOut: ["GRANT_ROUND_ANNOUNCEMENT"],
      }),
    );
    expect(screen.getByRole("switch", { name: /Partnership news/ })).toBeChecked();
    expect(screen.getByRole("switch", { name: /Grant round announcement/ })).not.toBeChecked();
  });

  it("puts the API's refusal next to the switches", async () => {
    const user = userEvent.setup();
    render({
      MemberSetNotificationPreferences: {
        error: new CombinedError({
          graphQLErrors: [
            new GraphQLError("PAYMENT_RECEIPT is always sent and cannot be turned off", {
              extensions: { code: "BAD_USER_INPUT", field: "opted_out" },
            }),
          ],
        }),
      },
    });
    await user.click(await screen.findByRole("button", { name: "Save preferences" }));
    expect(await screen.findByText("PAYMENT_RECEIPT is always sent and cannot be turned off")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});
