import { screen, within } from "@testing-library/react";

import { renderPage } from "../../test/render";
import { Notifications } from "./Notifications";

describe("Reviewer notifications", () => {
  it("lists the reviewer's own emails with their delivery", async () => {
    renderPage(<Notifications />, {
      path: "/review/notifications",
      as: { role: "reviewer", reviewerId: "r1" },
      answers: {
        MyNotifications: {
          data: {
            notifications: {
              totalCount: 1,
              edges: [
                {
                  node: {
                    id: "n1",
                    kind: "REVIEW_ASSIGNED",
                    recipient: "ada@reviewers.example",
                    subject: "A new application to review",
                    status: "PARKED",
                    createdAt: "2026-12-03T10:00:00+00:00",
                    sentAt: null,
                  },
                },
              ],
            },
          },
        },
      },
    });
    const row = within(await screen.findByRole("table", { name: "Recent emails" })).getByRole("row", {
      name: /Review assignment/,
    });
    expect(row).toHaveTextContent("A new application to review");
    expect(row).toHaveTextContent("Not delivered yet");
  });

  it("says so when none was sent", async () => {
    renderPage(<Notifications />, {
      path: "/review/notifications",
      as: { role: "reviewer", reviewerId: "r1" },
      answers: { MyNotifications: { data: { notifications: { totalCount: 0, edges: [] } } } },
    });
    expect(await screen.findByTestId("empty-state")).toHaveTextContent("No email has been sent to you yet.");
  });
});
