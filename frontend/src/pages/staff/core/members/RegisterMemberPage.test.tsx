import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { GraphQLError } from "graphql";
import { CombinedError } from "urql";

import { renderPage } from "../../../../test/render";
import { RegisterMemberPage } from "./RegisterMemberPage";

function badInput(message: string, field: string) {
  return new CombinedError({
    graphQLErrors: [new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", field } })],
  });
}

async function fill(user: ReturnType<typeof userEvent.setup>, input: HTMLElement, text: string) {
  await user.click(input);
  await user.paste(text);
}

async function fillIn(user: ReturnType<typeof userEvent.setup>) {
  await fill(user, screen.getByRole("textbox", { name: /^Name/ }), "Winooski");
  await fill(user, screen.getByRole("combobox", { name: /^State/ }), "Verm");
  await user.click(await screen.findByRole("option", { name: "Vermont (VT)", hidden: true }));
  await fill(user, screen.getByRole("textbox", { name: /^Population/ }), "7997");
  await fill(user, screen.getByRole("textbox", { name: /^Contact email/ }), "clerk@winooski.example");
}

describe("Register a member", { timeout: 30_000 }, () => {
  it("labels every field", () => {
    renderPage(<RegisterMemberPage />, { path: "/staff/members/new", as: { role: "staff" } });
    for (const name of [/^Name/, /^Population/, /^Contact email/, /^Website/]) {
      expect(screen.getByRole("textbox", { name })).toBeInTheDocument();
    }
    for (const name of [/^Kind/, /^State/, /^Dues band/]) {
      expect(screen.getByRole("combobox", { name })).toBeInTheDocument();
    }
  });

  it("shows the API's field error next to its field", async () => {
    const user = userEvent.setup();
    const { calls } = renderPage(<RegisterMemberPage />, {
      path: "/staff/members/new",
      as: { role: "staff" },
      answers: { StaffRegisterMember: { error: badInput("must be an email address", "contact_email") } },
    });
    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Register member" }));

    const email = screen.getByRole("textbox", { name: /^Contact email/ });
    await waitFor(() => expect(email).toHaveAccessibleDescription(/Must be an email address/));
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("textbox", { name: /^Name/ })).not.toHaveAttribute("aria-invalid", "true");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(calls.find((c) => c.name === "StaffRegisterMember")?.variables).toEqual({
      input: {
        name: "Winooski",
        kind: "CITY",
        state: "VT",
        population: 7997,
        contactEmail: "clerk@winooski.example",
        website: null,
        duesBand: null,
      },
    });
  });

  it("checks the website before sending, then sends it trimmed", async () => {
    const user = userEvent.setup();
    const { calls } = renderPage(<RegisterMemberPage />, {
      path: "/staff/members/new",
      as: { role: "staff" },
      answers: { StaffRegisterMember: { error: badInput("not a web address", "website") } },
    });
    await fillIn(user);
    const website = screen.getByRole("textbox", { name: /^Website/ });
    await fill(user, website, "winooski.example");
    await user.click(screen.getByRole("button", { name: "Register member" }));
    expect(website).toHaveAccessibleDescription(/Enter a web address/);
    expect(calls).toHaveLength(0);

    await user.clear(website);
    await fill(user, website, " https://winooski.example ");
    await user.click(screen.getByRole("button", { name: "Register member" }));
    await waitFor(() => expect(website).toHaveAccessibleDescription(/Not a web address/));
    expect(calls.find((c) => c.name === "StaffRegisterMember")?.variables).toMatchObject({
      input: { website: "https://winooski.example" },
    });
  });

  it("checks a city's population before sending", async () => {
    const user = userEvent.setup();
    const { calls } = renderPage(<RegisterMemberPage />, { path: "/staff/members/new", as: { role: "staff" } });
    await fill(user, screen.getByRole("textbox", { name: /^Name/ }), "Winooski");
    await user.click(screen.getByRole("button", { name: "Register member" }));
    expect(screen.getByRole("textbox", { name: /^Population/ })).toHaveAccessibleDescription(
      /A city's population is required/,
    );
    expect(calls).toHaveLength(0);
  });

  it("goes to the new member once registered", async () => {
    const user = userEvent.setup();
    const { router } = renderPage(<RegisterMemberPage />, {
      path: "/staff/members/new",
      as: { role: "staff" },
      answers: {
        StaffRegisterMember: {
          data: {
            registerMember: {
              id: "new-1",
              name: "Winooski",
              status: "PENDING",
              currentInvoice: { id: "i1", fiscalYear: 2026, amountCents: 25_000, currency: "USD" },
            },
          },
        },
      },
    });
    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Register member" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/staff/members/new-1"));
  });
});
