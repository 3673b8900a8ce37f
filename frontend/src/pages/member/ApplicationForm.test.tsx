import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { vi } from "vitest";

import type { MemberApplicationFieldsFragment, MemberProgramFieldsFragment } from "../../gql/graphql";
import { renderPage } from "../../test/render";
import { ApplicationForm, type PartnershipChoice } from "./ApplicationForm";

const program: MemberProgramFieldsFragment = {
  id: "prog-1",
  name: "Youth exchanges",
  description: "",
  areas: ["YOUTH_EDUCATION", "ARTS_CULTURE"],
  opensAt: "2026-12-01T00:00:00Z",
  closesAt: "2027-01-02T00:00:00Z",
  maxAwardCents: 1000000,
  currency: "USD",
  phase: "OPEN",
  eligibility: {
    goodStandingRequired: true,
    partnershipRequirement: "ACTIVE",
    maxPopulation: null,
    allowedCountries: [],
    coolingOffYears: 0,
  },
};

const partnerships: PartnershipChoice[] = [
  { id: "p-1", partnerCity: "Naze", countryName: "Japan", country: "JP", status: "ACTIVE", recognized: true },
];

const draft: MemberApplicationFieldsFragment = {
  id: "app-1",
  programId: "prog-1",
  partnershipId: "p-1",
  partnerCity: "Naze",
  partnerCountry: "JP",
  area: "YOUTH_EDUCATION",
  title: "Naze student exchange",
  amountRequestedCents: 400000,
  currency: "USD",
  narrative: "Ten students spend two weeks in Naze.",
  budget: [{ item: "Travel", amountCents: 300000 }],
  attachments: [],
  status: "DRAFT",
  createdAt: "2026-12-04T00:00:00Z",
  updatedAt: "2026-12-04T00:00:00Z",
  submittedAt: null,
  ineligibilityReasons: [],
  decidedAt: null,
  declineReasons: [],
  decisionLetter: null,
  withdrawnAt: null,
  award: null,
};

const as = { role: "member" as const, memberId: "m-1" };

describe("ApplicationForm", () => {
  it("saves a new draft with what was entered", { timeout: 30000 }, async () => {
    const onSaved = vi.fn();
    const { calls } = renderPage(
      <ApplicationForm program={program} partnerships={partnerships} application={null} onSaved={onSaved} />,
      { path: "/apply", as, answers: { MemberSaveApplication: { data: { saveApplication: draft } } } },
    );
    await userEvent.click(screen.getByRole("combobox", { name: /^Partnership/ }));
    await userEvent.click(await screen.findByRole("option", { name: "Naze, Japan", hidden: true }));
    await userEvent.click(screen.getByRole("combobox", { name: /^Programme area/ }));
    await userEvent.click(await screen.findByRole("option", { name: "Youth and education", hidden: true }));
    await userEvent.type(screen.getByRole("textbox", { name: /^Project title/ }), "Exchange");
    await userEvent.type(screen.getByRole("textbox", { name: /^Amount requested/ }), "4000");
    await userEvent.type(screen.getByRole("textbox", { name: "Budget line 1: item" }), "Travel");
    await userEvent.type(screen.getByRole("textbox", { name: "Budget line 1: amount" }), "4500");
    await userEvent.click(screen.getByRole("button", { name: "Save draft" }));

    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(draft, false));
    expect(calls.find((c) => c.name === "MemberSaveApplication")?.variables).toEqual({
      input: {
        id: null,
        programId: "prog-1",
        partnershipId: "p-1",
        area: "YOUTH_EDUCATION",
        title: "Exchange",
        amountRequestedCents: 400000,
        narrative: "",
        budget: [{ item: "Travel", amountCents: 450000 }],
        attachments: [],
      },
    });
    expect(calls.some((c) => c.name === "MemberSubmitApplication")).toBe(false);
  });

  it("submits a draft: saves it, then submits it", { timeout: 30000 }, async () => {
    const onSaved = vi.fn();
    const submitted = { ...draft, status: "SUBMITTED" as const, submittedAt: "2026-12-04T01:00:00Z" };
    const { calls } = renderPage(
      <ApplicationForm program={program} partnerships={partnerships} application={draft} onSaved={onSaved} />,
      {
        path: "/apply",
        as,
        answers: {
          MemberSaveApplication: { data: { saveApplication: draft } },
          MemberSubmitApplication: { data: { submitApplication: submitted } },
        },
      },
    );
    await userEvent.click(screen.getByRole("button", { name: "Add a budget line" }));
    await userEvent.type(screen.getByRole("textbox", { name: "Budget line 2: item" }), "Lodging");
    await userEvent.type(screen.getByRole("textbox", { name: "Budget line 2: amount" }), "1500");
    expect(screen.getByTestId("budget-total")).toHaveTextContent("$4,500.00");
    await userEvent.click(screen.getByRole("button", { name: "Submit application" }));

    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(submitted, true));
    const names = calls.map((c) => c.name);
    expect(names.indexOf("MemberSaveApplication")).toBeLessThan(names.indexOf("MemberSubmitApplication"));
    expect(calls.find((c) => c.name === "MemberSaveApplication")?.variables).toMatchObject({
      input: {
        id: "app-1",
        budget: [
          { item: "Travel", amountCents: 300000 },
          { item: "Lodging", amountCents: 150000 },
        ],
      },
    });
    expect(calls.find((c) => c.name === "MemberSubmitApplication")?.variables).toEqual({ id: "app-1" });
  });

  it("shows a refused submission's reason next to its field", { timeout: 30000 }, async () => {
    const onSaved = vi.fn();
    renderPage(
      <ApplicationForm program={program} partnerships={partnerships} application={draft} onSaved={onSaved} />,
      {
        path: "/apply",
        as,
        answers: {
          MemberSaveApplication: { data: { saveApplication: draft } },
          MemberSubmitApplication: {
            error: {
              graphQLErrors: [
                {
                  message: "must be a whole number of cents, 0 or more",
                  extensions: { code: "BAD_USER_INPUT", field: "budget[0].amountCents" },
                },
              ],
            },
          },
        },
      },
    );
    await userEvent.click(screen.getByRole("button", { name: "Submit application" }));
    const amount = screen.getByRole("textbox", { name: "Budget line 1: amount" });
    await waitFor(() => expect(amount).toHaveAttribute("aria-invalid", "true"));
    expect(amount).toHaveAccessibleDescription(/Must be a whole number of cents/);
    expect(onSaved).toHaveBeenCalledWith(draft, false);
  });

  it("keeps submission for when the programme is open", async () => {
    renderPage(
      <ApplicationForm
        program={{ ...program, phase: "UPCOMING" }}
        partnerships={partnerships}
        application={draft}
        onSaved={() => undefined}
      />,
      { path: "/apply", as },
    );
    expect(screen.getByRole("button", { name: "Submit application" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Save draft" })).toBeEnabled();
    expect(screen.getByRole("status")).toHaveTextContent(/opens for submissions/);
  });
});
