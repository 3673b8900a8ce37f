import { MantineProvider } from "@mantine/core";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { Provider, type Client } from "urql";
import { concat, never, type Source } from "wonka";

import { AuthProvider } from "../../auth/AuthProvider";
import { setToken } from "../../auth/session";
import { fakeClient, renderPage, unsignedToken, type Answers } from "../../test/render";
import { theme } from "../../theme";
import { AssignmentPage } from "./AssignmentPage";

const rubric = [
  { key: "impact", name: "Impact", maxScore: 5, weight: 3, anchors: [{ score: 5, text: "Transforms the partnership" }] },
  { key: "feasibility", name: "Feasibility", maxScore: 10, weight: 2, anchors: [] },
  { key: "budget", name: "Budget", maxScore: 4, weight: 1, anchors: [] },
];

const assignment = {
  assignmentId: "as-1",
  applicationId: "app-1",
  programId: "prog-1",
  programName: "Youth exchanges 2026",
  applicationTitle: "Summer music camp",
  blind: true,
  assignedAt: "2026-03-01T10:00:00+00:00",
  status: "ASSIGNED",
  total: null,
  submittedAt: null,
  recusalReason: null,
};

function application(overrides: Record<string, unknown> = {}) {
  return {
    id: "app-1",
    title: "Summer music camp",
    area: "YOUTH_EDUCATION",
    amountRequestedCents: 500000,
    currency: "USD",
    narrative: "Two weeks of music with our partner city.",
    budget: [{ item: "Travel", amountCents: 500000 }],
    attachments: [],
    status: "IN_REVIEW",
    submittedAt: "2026-02-20T10:00:00+00:00",
    blind: true,
    memberId: null,
    applicantName: null,
    partnershipId: null,
    partnerCity: null,
    partnerCountry: "JP",
    program: { id: "prog-1", name: "Youth exchanges 2026", blindReview: true, rubric },
    myReview: {
      assignmentId: "as-1",
      status: "ASSIGNED",
      scores: [],
      total: null,
      comment: "",
      submittedAt: null,
    },
    reviews: [],
    score: null,
    ...overrides,
  };
}

function answers(extra: Answers = {}): Answers {
  return {
    ReviewerAssignments: { data: { myReviewAssignments: [assignment] } },
    ReviewerApplication: { data: { application: application() } },
    ...extra,
  };
}

function show(extra: Answers = {}, path = "/review/assignments/as-1") {
  return renderPage(<AssignmentPage />, {
    path,
    route: "/review/assignments/:id",
    as: { role: "reviewer", reviewerId: "rev-1" },
    answers: answers(extra),
  });
}

describe("the scoring form", () => {
  it("shows each criterion with its weight and share, and hides what blind review hides", async () => {
    show();
    expect(await screen.findByRole("heading", { name: "Summer music camp" })).toBeInTheDocument();
    const impact = screen.getByTestId("criterion-impact");
    expect(within(impact).getByText(/Weight 3 · 50%/)).toBeInTheDocument();
    expect(within(impact).getByRole("textbox", { name: /^Impact/ })).toBeInTheDocument();
    expect(within(impact).getByText(/Score 0 to 5/)).toBeInTheDocument();
    expect(within(impact).getByText(/Transforms the partnership/)).toBeInTheDocument();
    expect(within(screen.getByTestId("criterion-feasibility")).getByText(/Weight 2 · 33.33%/)).toBeInTheDocument();
    expect(screen.getByText("Blind review")).toBeInTheDocument();
    expect(screen.queryByText("Applicant")).not.toBeInTheDocument();
    expect(screen.getByText("JP")).toBeInTheDocument();
  });

  it("refuses an out-of-range score next to its criterion and sends nothing", async () => {
    const { calls } = show();
    const impact = await screen.findByRole("textbox", { name: /^Impact/ });
    await userEvent.type(impact, "7");
    await userEvent.type(screen.getByRole("textbox", { name: /^Feasibility/ }), "7");
    await userEvent.type(screen.getByRole("textbox", { name: /^Budget/ }), "2");
    await userEvent.click(screen.getByRole("button", { name: "Submit review" }));
    expect(within(screen.getByTestId("criterion-impact")).getByText("Must be from 0 to 5")).toBeInTheDocument();
    expect(impact).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("textbox", { name: /^Feasibility/ })).not.toHaveAttribute("aria-invalid", "true");
    expect(calls.some((c) => c.name === "ReviewerSubmitReview")).toBe(false);
  });

  it("submits every criterion's score with the comment, and shows the weighted total first", async () => {
    const { calls } = show({
      ReviewerSubmitReview: {
        data: {
          submitReview: {
            assignmentId: "as-1",
            status: "SUBMITTED",
            scores: [],
            total: 71.6667,
            comment: "Strong",
            submittedAt: "2026-03-02T10:00:00+00:00",
          },
        },
      },
    });
    await userEvent.type(await screen.findByRole("textbox", { name: /^Impact/ }), "4");
    await userEvent.type(screen.getByRole("textbox", { name: /^Feasibility/ }), "7");
    await userEvent.type(screen.getByRole("textbox", { name: /^Budget/ }), "2");
    expect(screen.getByTestId("weighted-total")).toHaveTextContent("71.67 / 100");
    await userEvent.type(screen.getByLabelText("Comment"), "Strong");
    await userEvent.click(screen.getByRole("button", { name: "Submit review" }));
    await waitFor(() => expect(calls.some((c) => c.name === "ReviewerSubmitReview")).toBe(true));
    const sent = calls.find((c) => c.name === "ReviewerSubmitReview");
    expect(sent?.variables).toEqual({
      assignmentId: "as-1",
      scores: [
        { key: "impact", score: 4 },
        { key: "feasibility", score: 7 },
        { key: "budget", score: 2 },
      ],
      comment: "Strong",
    });
  });

  it("puts the service's refusal of a score next to the criterion it names", async () => {
    show({
      ReviewerSubmitReview: {
        error: {
          graphQLErrors: [
            {
              message: "criterion 'budget' is scored from 0 to 4, not 9",
              extensions: { code: "BAD_USER_INPUT", field: "scores" },
            },
          ],
        },
      },
    });
    await userEvent.type(await screen.findByRole("textbox", { name: /^Impact/ }), "4");
    await userEvent.type(screen.getByRole("textbox", { name: /^Feasibility/ }), "7");
    await userEvent.type(screen.getByRole("textbox", { name: /^Budget/ }), "2");
    await userEvent.click(screen.getByRole("button", { name: "Submit review" }));
    expect(
      await within(screen.getByTestId("criterion-budget")).findByText("Criterion 'budget' is scored from 0 to 4, not 9"),
    ).toBeInTheDocument();
  });
});

describe("recusal", () => {
  it("asks for a reason, confirms in a dialog, then sends it", async () => {
    const { calls, router } = show({
      ReviewerRecuse: {
        data: {
          recuse: { applicationId: "app-1", status: "RECUSED", recusalReason: "I know them", replacementAssigned: true },
        },
      },
    });
    await userEvent.click(await screen.findByRole("button", { name: "Recuse myself" }));
    const dialog = await screen.findByRole("dialog", { name: "Recuse from this application" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Recuse" }));
    expect(within(dialog).getByText("Say why you step aside")).toBeInTheDocument();
    expect(calls.some((c) => c.name === "ReviewerRecuse")).toBe(false);
    await userEvent.type(within(dialog).getByLabelText(/Reason/), "I know them");
    await userEvent.click(within(dialog).getByRole("button", { name: "Recuse" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/review"));
    expect(calls.find((c) => c.name === "ReviewerRecuse")?.variables).toEqual({
      assignmentId: "as-1",
      reason: "I know them",
    });
  });

  it("keeps the dialog open with the API's reason when recusal is refused", async () => {
    show({
      ReviewerRecuse: {
        error: {
          graphQLErrors: [
            { message: "a SUBMITTED assignment cannot be recused from", extensions: { code: "CONFLICT" } },
          ],
        },
      },
    });
    await userEvent.click(await screen.findByRole("button", { name: "Recuse myself" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.type(within(dialog).getByLabelText(/Reason/), "Too late");
    await userEvent.click(within(dialog).getByRole("button", { name: "Recuse" }));
    expect(await within(dialog).findByText(/A SUBMITTED assignment cannot be recused from/)).toBeInTheDocument();
  });
});

/** As renderPage, but answers stay open as a real client's do (an error is not wiped when the answer ends). */
function showOpen(extra: Answers, path: string) {
  setToken(unsignedToken({ sub: "test-reviewer", role: "reviewer", reviewer_id: "rev-1" }));
  const fake = fakeClient(answers(extra));
  const open = (execute: (...args: never[]) => Source<unknown>) =>
    ((...args: never[]) => concat([execute(...args), never])) as unknown;
  const client = { ...fake.client, executeQuery: open(fake.client.executeQuery as never) } as unknown as Client;
  const router = createMemoryRouter(
    [
      {
        path: "/review/assignments/:id",
        element: (
          <AuthProvider>
            <Provider value={client}>
              <AssignmentPage />
            </Provider>
          </AuthProvider>
        ),
      },
    ],
    { initialEntries: [path] },
  );
  render(
    <MantineProvider theme={theme}>
      <RouterProvider router={router} />
    </MantineProvider>,
  );
}

describe("access", () => {
  it.each([
    ["NOT_FOUND", "no such application"],
    ["FORBIDDEN", "this application is not assigned to you"],
  ])("tells a reviewer the API refuses (%s: a conflict of interest) that it is not theirs", async (code, message) => {
    showOpen(
      {
        ReviewerAssignments: { data: { myReviewAssignments: [] } },
        ReviewerApplication: {
          error: { graphQLErrors: [{ message, extensions: { code, field: "id" } }] },
        },
      },
      "/review/assignments/app-9",
    );
    expect(await screen.findByTestId("not-yours")).toHaveTextContent(/Not among your assignments/);
    expect(screen.getByTestId("not-yours")).toHaveTextContent(/conflict of interest/);
    expect(screen.queryByText("Your scores")).not.toBeInTheDocument();
  });

  it("shows any other error with its human message", async () => {
    showOpen(
      {
        ReviewerApplication: {
          error: { graphQLErrors: [{ message: "x", extensions: { code: "INTERNAL_SERVER_ERROR", correlationId: "c-1" } }] },
        },
      },
      "/review/assignments/as-1",
    );
    expect(await screen.findByText(/Something went wrong on our side. \(reference c-1\)/)).toBeInTheDocument();
  });

  it("shows submitted reviews once the reviewer's own is in", async () => {
    show({
      ReviewerApplication: {
        data: {
          application: application({
            myReview: {
              assignmentId: "as-1",
              status: "SUBMITTED",
              scores: [
                { key: "impact", score: 4 },
                { key: "feasibility", score: 7 },
                { key: "budget", score: 2 },
              ],
              total: 71.6667,
              comment: "Strong",
              submittedAt: "2026-03-02T10:00:00+00:00",
            },
            reviews: [
              { status: "SUBMITTED", scores: [{ key: "impact", score: 4 }], total: 71.6667, comment: "Strong", submittedAt: null },
              { status: "SUBMITTED", scores: [{ key: "impact", score: 1 }], total: 40, comment: "", submittedAt: null },
            ],
            score: { reviews: 2, score: 55.83, spread: 31.67, disagreement: true },
          }),
        },
      },
    });
    expect(await screen.findByText("Reviewers disagree")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Submit review" })).not.toBeInTheDocument();
    expect(screen.getByRole("table", { name: "Your scores by criterion" })).toBeInTheDocument();
  });
});
