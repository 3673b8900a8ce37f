import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { renderPage } from "../../test/render";
import { PartnershipNew } from "./PartnershipNew";

const as = { role: "member" as const, memberId: "m-1" };

describe("PartnershipNew", () => {
  it("shows the API's BAD_USER_INPUT next to its field", { timeout: 20000 }, async () => {
    const { calls } = renderPage(<PartnershipNew />, {
      path: "/member/partnerships/new?city=Sumoto&country=JP",
      as,
      answers: {
        MemberProposePartnership: {
          error: {
            graphQLErrors: [
              {
                message: "must be at most 120 characters",
                extensions: { code: "BAD_USER_INPUT", field: "partner_city" },
              },
            ],
          },
        },
      },
    });
    // Prefilled from a suggestion.
    expect(screen.getByRole("textbox", { name: /Partner community/ })).toHaveValue("Sumoto");
    expect(screen.getByLabelText(/Country/, { selector: "input" })).toHaveValue("Japan");

    await userEvent.click(screen.getByRole("radio", { name: "Sister city" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "Youth and education" }));
    await userEvent.type(screen.getByRole("textbox", { name: /Why this partner/ }), "Students since 2019");
    await userEvent.click(screen.getByRole("button", { name: "Propose partnership" }));

    const city = screen.getByRole("textbox", { name: /Partner community/ });
    await waitFor(() => expect(city).toHaveAttribute("aria-invalid", "true"));
    expect(city).toHaveAccessibleDescription(/Must be at most 120 characters/);
    // Not repeated in an alert above the form.
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(calls.find((c) => c.name === "MemberProposePartnership")?.variables).toEqual({
      input: {
        memberId: "m-1",
        partnerCity: "Sumoto",
        partnerRegion: null,
        country: "JP",
        type: "SISTER",
        programAreas: ["YOUTH_EDUCATION"],
        reason: "Students since 2019",
      },
    });
  });

  it("checks the required fields before asking", { timeout: 20000 }, async () => {
    const { calls } = renderPage(<PartnershipNew />, { path: "/member/partnerships/new", as });
    await userEvent.click(screen.getByRole("button", { name: "Propose partnership" }));
    expect(await screen.findByText("Name the partner community")).toBeInTheDocument();
    expect(screen.getByText("Choose the partner's country")).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });

  it("goes to the new partnership once proposed", { timeout: 20000 }, async () => {
    const { router } = renderPage(<PartnershipNew />, {
      path: "/member/partnerships/new?city=Awaji&country=JP",
      as,
      answers: {
        MemberProposePartnership: {
          data: {
            proposePartnership: {
              id: "p-9",
              partnerCity: "Awaji",
              country: "JP",
              countryName: "Japan",
              status: "PROPOSED",
              type: "FRIENDSHIP",
              programAreas: [],
            },
          },
        },
      },
    });
    await userEvent.click(screen.getByRole("button", { name: "Propose partnership" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/member/partnerships/p-9"));
    expect(await screen.findByTestId("elsewhere")).toBeInTheDocument();
  });
});
