import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { GraphQLError } from "graphql";
import { CombinedError } from "urql";

import type { Answers } from "../../../test/render";
import { renderLive } from "../../public/testing";
import { NotificationsPage } from "./NotificationsPage";

function email(id: string, status: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    kind: "PAYMENT_RECEIPT",
    recipient: "clerk@winooski.example",
    memberId: "m1",
    reviewerId: null,
    status,
    subject: "Receipt R-2026-000001",
    messageId: `<${id}@notifications.sister-cities.example>`,
    eventType: "payment_succeeded",
    attemptCount: status === "PARKED" ? 5 : 1,
    lastError: status === "PARKED" ? "450 4.2.0 mailbox full" : null,
    createdAt: "2026-12-03T10:00:00+00:00",
    nextAttemptAt: null,
    sentAt: status === "SENT" ? "2026-12-03T10:00:05+00:00" : null,
    attempts:
      status === "PARKED"
        ? [
            { number: 1, at: "2026-12-03T10:00:05+00:00", outcome: "FAILED", error: "450 4.2.0 mailbox full" },
            { number: 5, at: "2026-12-03T11:00:05+00:00", outcome: "PARKED", error: "450 4.2.0 mailbox full" },
          ]
        : [{ number: 1, at: "2026-12-03T10:00:05+00:00", outcome: "SENT", error: null }],
    ...extra,
  };
}

function listing(...nodes: ReturnType<typeof email>[]) {
  return {
    data: {
      notifications: {
        totalCount: nodes.length,
        pageInfo: { hasNextPage: false, endCursor: null },
        edges: nodes.map((node) => ({ cursor: node.id, node })),
      },
    },
  };
}

const DIGEST = {
  data: {
    staffDigest: {
      paymentsHeld: 2,
      deadLetters: 1,
      membersMissingPopulation: 7,
      partnershipsAwaitingApproval: 3,
      reportsAwaitingReview: 0,
      generatedAt: "2026-12-04T06:00:00+00:00",
    },
  },
};

const PARKED = { data: { notifications: { totalCount: 1 } } };

function render(answers: Answers = {}, path = "/staff/notifications") {
  return renderLive(<NotificationsPage />, {
    path,
    route: "/staff/notifications",
    as: { role: "staff" },
    answers: {
      StaffDigest: DIGEST,
      StaffParkedNotifications: PARKED,
      StaffNotifications: listing(email("n1", "SENT"), email("n2", "PARKED", { recipient: "treasurer@barre.example" })),
      ...answers,
    },
  });
}

function lastCall(calls: { name: string; variables: Record<string, unknown> }[], name: string) {
  return calls.filter((c) => c.name === name).at(-1)?.variables;
}

describe("Staff notifications", { timeout: 30_000 }, () => {
  it("lists each email's delivery and attempts, the parked count and the digest with its links", async () => {
    render();
    const table = await screen.findByRole("table", { name: "Emails" });
    const parked = within(table).getByRole("row", { name: /treasurer@barre\.example/ });
    expect(parked).toHaveTextContent("Payment receipt");
    expect(parked).toHaveTextContent("Parked");
    expect(parked).toHaveTextContent("5");
    expect(within(parked).getByRole("button", { name: /Send again/ })).toBeInTheDocument();
    const sent = within(table).getByRole("row", { name: /clerk@winooski\.example/ });
    expect(within(sent).queryByRole("button", { name: /Send again/ })).not.toBeInTheDocument();

    expect(screen.getByTestId("parked-alert")).toHaveTextContent("1 email is parked");
    expect(screen.getByRole("link", { name: "Show the parked emails" })).toHaveAttribute(
      "href",
      "/staff/notifications?status=PARKED",
    );

    const digest = screen.getByRole("region", { name: "Waiting for staff" });
    expect(within(digest).getByText("Payments held for an amount mismatch").parentElement).toHaveTextContent("2");
    expect(within(digest).getByRole("link", { name: "Review held payments" })).toHaveAttribute(
      "href",
      "/staff/payments?held=true",
    );
    expect(within(digest).getByRole("link", { name: "Open the partnership queue" })).toHaveAttribute(
      "href",
      "/staff/partnerships?status=PENDING",
    );
    expect(within(digest).getByRole("link", { name: "List these members" })).toHaveAttribute(
      "href",
      "/staff/members?population=missing",
    );
    expect(within(digest).getByText("Members whose population is missing").parentElement).toHaveTextContent("7");
  });

  it("searches with the filters of the URL, and writes a new filter into it", async () => {
    const user = userEvent.setup();
    const { calls, router } = render(
      {},
      "/staff/notifications?recipient=clerk%40winooski.example&kind=DUES_REMINDER&from=2026-12-01&to=2026-12-31",
    );
    await screen.findByRole("table", { name: "Emails" });
    expect(lastCall(calls, "StaffNotifications")).toEqual({
      filter: {
        recipient: "clerk@winooski.example",
        kind: "DUES_REMINDER",
        status: null,
        from: "2026-12-01",
        to: "2026-12-31",
      },
      first: 25,
      after: null,
    });
    expect(screen.getByRole("textbox", { name: "Recipient" })).toHaveValue("clerk@winooski.example");

    await user.click(screen.getByRole("combobox", { name: "Delivery" }));
    await user.click(await screen.findByRole("option", { name: "Parked", hidden: true }));
    await waitFor(() => expect(new URLSearchParams(router.state.location.search).get("status")).toBe("PARKED"));
    await waitFor(() =>
      expect(lastCall(calls, "StaffNotifications")).toMatchObject({ filter: { status: "PARKED", kind: "DUES_REMINDER" } }),
    );
  });

  it("says so when nothing matches", async () => {
    render({ StaffNotifications: listing() }, "/staff/notifications?status=PENDING");
    expect(await screen.findByTestId("empty-state")).toHaveTextContent("No email matches these filters.");
  });

  it("puts the API's refusal of a filter next to it", async () => {
    render(
      {
        StaffNotifications: {
          error: new CombinedError({
            graphQLErrors: [
              new GraphQLError("an email address of at most 254 characters", {
                extensions: { code: "BAD_USER_INPUT", field: "recipient" },
              }),
            ],
          }),
        },
      },
      "/staff/notifications?recipient=x",
    );
    const recipient = await screen.findByRole("textbox", { name: "Recipient" });
    await waitFor(() => expect(recipient).toHaveAccessibleDescription(/An email address of at most 254 characters/));
    expect(screen.queryByRole("table", { name: "Emails" })).not.toBeInTheDocument();
  });

  it("keeps the list when the digest cannot be gathered", async () => {
    render({
      StaffDigest: {
        error: new CombinedError({
          graphQLErrors: [new GraphQLError("payments is not answering", { extensions: { code: "UNAVAILABLE" } })],
        }),
      },
    });
    const digest = await screen.findByRole("region", { name: "Waiting for staff" });
    expect(await within(digest).findByTestId("unavailable-banner")).toBeInTheDocument();
    expect(screen.getByRole("table", { name: "Emails" })).toBeInTheDocument();
  });

  it("shows the detail with the last error and each attempt", async () => {
    const user = userEvent.setup();
    render();
    await user.click(await screen.findByRole("button", { name: "Details of Payment receipt to treasurer@barre.example" }));
    const dialog = await screen.findByRole("dialog", { name: "Email details" });
    expect(within(dialog).getByTestId("last-error")).toHaveTextContent("450 4.2.0 mailbox full");
    expect(within(dialog).getByText("<n2@notifications.sister-cities.example>")).toBeInTheDocument();
    const attempts = within(dialog).getByRole("table", { name: "Attempts" });
    expect(within(attempts).getAllByRole("row")).toHaveLength(3);
  });

  it("sends a parked email again after confirmation, and the row shows its new status", async () => {
    const user = userEvent.setup();
    let resent = false;
    const { calls } = render({
      StaffNotifications: () =>
        listing(email("n1", "SENT"), email("n2", resent ? "PENDING" : "PARKED", { recipient: "treasurer@barre.example" })),
      StaffParkedNotifications: () => ({ data: { notifications: { totalCount: resent ? 0 : 1 } } }),
      StaffResendNotification: (variables) => {
        resent = true;
        return { data: { resendNotification: email(String(variables.id), "PENDING", { recipient: "treasurer@barre.example" }) } };
      },
    });
    const table = await screen.findByRole("table", { name: "Emails" });
    await user.click(within(table).getByRole("button", { name: "Send again: Payment receipt to treasurer@barre.example" }));
    const dialog = await screen.findByRole("dialog", { name: "Send the email again" });
    expect(within(dialog).getByText(/It was parked after: 450 4.2.0 mailbox full/)).toBeInTheDocument();
    expect(calls.some((c) => c.name === "StaffResendNotification")).toBe(false);

    await user.click(within(dialog).getByRole("button", { name: "Send again" }));
    await waitFor(() => expect(lastCall(calls, "StaffResendNotification")).toEqual({ id: "n2" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    const row = await within(table).findByRole("row", { name: /treasurer@barre\.example.*Pending/ });
    expect(within(row).queryByRole("button", { name: /Send again/ })).not.toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId("parked-alert")).not.toBeInTheDocument());
  });

  it("shows why the API refused to send again", async () => {
    const user = userEvent.setup();
    render({
      StaffResendNotification: {
        error: new CombinedError({
          graphQLErrors: [
            new GraphQLError("only a parked notification can be sent again; this one is PENDING", {
              extensions: { code: "CONFLICT", field: "id" },
            }),
          ],
        }),
      },
    });
    await user.click(await screen.findByRole("button", { name: /^Send again: / }));
    const dialog = await screen.findByRole("dialog", { name: "Send the email again" });
    await user.click(within(dialog).getByRole("button", { name: "Send again" }));
    expect(await within(dialog).findByText(/only a parked notification can be sent again/i)).toBeInTheDocument();
  });
});
