import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { renderPage } from "../../test/render";
import { ContactDetails } from "./ContactDetails";
import { contactChanges } from "./contactValues";

const as = { role: "member" as const, memberId: "m-1" };
const member = { id: "m-1", name: "Boulder", contactEmail: "clerk@boulder.gov", website: "https://boulder.gov" };

describe("ContactDetails", () => {
  it("sends only what changed, and a cleared website as null", () => {
    const before = { name: "Boulder", contactEmail: "clerk@boulder.gov", website: "https://boulder.gov" };
    expect(contactChanges(before, { ...before, name: " Boulder " })).toEqual({});
    expect(contactChanges(before, { ...before, contactEmail: "dues@boulder.gov", website: " " })).toEqual({
      contactEmail: "dues@boulder.gov",
      website: null,
    });
  });

  it("shows the API's BAD_USER_INPUT next to its field", { timeout: 20000 }, async () => {
    const { calls } = renderPage(<ContactDetails />, {
      path: "/member/details",
      as,
      answers: {
        MemberContactDetails: { data: { member } },
        MemberUpdateContactDetails: {
          error: {
            graphQLErrors: [
              {
                message: "must be at most 200 characters",
                extensions: { code: "BAD_USER_INPUT", field: "website" },
              },
            ],
          },
        },
      },
    });
    const website = await screen.findByRole("textbox", { name: /Website/ });
    expect(screen.getByRole("textbox", { name: /Contact email/ })).toHaveValue("clerk@boulder.gov");
    await userEvent.clear(website);
    await userEvent.type(website, "https://boulder.gov/sister-cities");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    await waitFor(() => expect(website).toHaveAttribute("aria-invalid", "true"));
    expect(website).toHaveAccessibleDescription(/Must be at most 200 characters/);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(calls.find((c) => c.name === "MemberUpdateContactDetails")?.variables).toEqual({
      id: "m-1",
      input: { website: "https://boulder.gov/sister-cities" },
    });
  });

  it("checks the email before asking", { timeout: 20000 }, async () => {
    const { calls } = renderPage(<ContactDetails />, {
      path: "/member/details",
      as,
      answers: { MemberContactDetails: { data: { member } } },
    });
    const email = await screen.findByRole("textbox", { name: /Contact email/ });
    await userEvent.clear(email);
    await userEvent.type(email, "clerk at boulder");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText(/Enter an email address/)).toBeInTheDocument();
    expect(calls.map((c) => c.name)).toEqual(["MemberContactDetails"]);
  });

  it("goes back to the membership once saved", { timeout: 20000 }, async () => {
    const { router } = renderPage(<ContactDetails />, {
      path: "/member/details",
      as,
      answers: {
        MemberContactDetails: { data: { member } },
        MemberUpdateContactDetails: (variables) => ({
          data: { updateMember: { ...member, ...(variables.input as object) } },
        }),
      },
    });
    const email = await screen.findByRole("textbox", { name: /Contact email/ });
    await userEvent.clear(email);
    await userEvent.type(email, "dues@boulder.gov");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/member"));
  });
});
