import { MantineProvider } from "@mantine/core";
import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { Provider } from "urql";
import { afterEach, vi } from "vitest";
import { makeSubject } from "wonka";

import { AuthProvider } from "../../auth/AuthProvider";
import { setToken } from "../../auth/session";
import { fakeClient, unsignedToken, type Answers } from "../../test/render";
import { theme } from "../../theme";
import { InvoicePaid } from "./InvoicePaid";

const receipt = {
  number: "R-2026-000007",
  issuedAt: "2026-12-03T23:59:00Z",
  payer: { memberId: "m-1", name: "Portal Testville", email: "treasurer@portal.example" },
  amountCents: 50000,
  currency: "USD",
  invoiceId: "inv-1",
  fiscalYear: 2026,
  paymentId: "pay-1",
};

function paidData(paid: boolean, paymentStatus = "PENDING") {
  return {
    data: {
      invoice: {
        id: "inv-1",
        fiscalYear: 2026,
        amountCents: 50000,
        currency: "USD",
        status: paid ? "PAID" : "OPEN",
        payments: [
          {
            id: "pay-1",
            status: paid ? "SUCCEEDED" : paymentStatus,
            attempt: 1,
            checkoutSessionId: "cs_1",
            flag: null,
            failureReason: null,
            receipt: paid ? receipt : null,
          },
        ],
      },
      member: { id: "m-1", name: "Portal Testville", status: paid ? "ACTIVE" : "PENDING", goodStanding: paid },
    },
  };
}

/** The page with a live subscription the test drives, and a query answer it can change. */
function renderPaid(answers: Answers) {
  setToken(unsignedToken({ sub: "test-member", role: "member", member_id: "m-1" }));
  const fake = fakeClient(answers);
  const live = makeSubject<{ data: unknown }>();
  const subscribed: Record<string, unknown>[] = [];
  fake.client.executeSubscription = ((request: { variables: Record<string, unknown> }) => {
    subscribed.push(request.variables);
    return live.source;
  }) as unknown as typeof fake.client.executeSubscription;
  const router = createMemoryRouter(
    [
      {
        path: "/member/invoices/:invoiceId/paid",
        element: (
          <AuthProvider>
            <Provider value={fake.client}>
              <InvoicePaid />
            </Provider>
          </AuthProvider>
        ),
      },
      { path: "*", element: <div data-testid="elsewhere" /> },
    ],
    { initialEntries: ["/member/invoices/inv-1/paid?session_id=cs_1"] },
  );
  render(
    <MantineProvider theme={theme}>
      <RouterProvider router={router} />
    </MantineProvider>,
  );
  const push = (status: string) =>
    act(() =>
      live.next({
        data: {
          paymentStatus: { paymentId: "pay-1", status, oldStatus: null, changedAt: "2026-12-03T23:59:00Z", flag: null },
        },
      }),
    );
  return { ...fake, push, subscribed };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("InvoicePaid", () => {
  it("follows the payment from PENDING to SUCCEEDED, then shows the receipt and the active membership", async () => {
    let paid = false;
    const { push, subscribed, calls } = renderPaid({ MemberInvoicePaid: () => paidData(paid) });

    await waitFor(() => expect(subscribed).toEqual([{ paymentId: "pay-1" }]));
    push("PENDING");
    expect(await screen.findByText(/Waiting for Stripe to confirm your payment/)).toBeInTheDocument();
    expect(screen.queryByTestId("receipt")).not.toBeInTheDocument();

    // Payments confirms; members catches up: the page asks again, from the network.
    paid = true;
    push("SUCCEEDED");
    const shown = await screen.findByTestId("receipt");
    expect(shown).toHaveTextContent("Receipt R-2026-000007");
    expect(shown).toHaveTextContent("Portal Testville");
    expect(shown).toHaveTextContent("$500.00");
    expect(shown).toHaveTextContent("inv-1");
    expect(screen.getByTestId("membership-active")).toHaveTextContent("your membership is active");
    expect(screen.getByTestId("member-status")).toHaveTextContent("Active");
    expect(screen.getByTestId("invoice-status")).toHaveTextContent("Paid");
    expect(calls.filter((c) => c.name === "MemberInvoicePaid").length).toBeGreaterThan(1);

    const print = vi.fn();
    vi.stubGlobal("print", print);
    await userEvent.click(screen.getByRole("button", { name: "Print" }));
    expect(print).toHaveBeenCalledOnce();
  });

  it("says a failed payment failed and offers to try again", async () => {
    const assign = vi.fn();
    vi.stubGlobal("location", { ...window.location, origin: "https://portal.example", assign });
    let failed = false;
    const { push, calls } = renderPaid({
      MemberInvoicePaid: () => paidData(false, failed ? "FAILED" : "PENDING"),
      MemberDuesCheckout: {
        data: { createDuesCheckout: { paymentId: "pay-2", checkoutUrl: "http://stripe.test/checkout/cs_2", status: "PENDING" } },
      },
    });
    await waitFor(() => expect(calls.some((c) => c.name === "MemberInvoicePaid")).toBe(true));
    failed = true;
    push("FAILED");
    expect(await screen.findByText("The payment failed")).toBeInTheDocument();
    expect(screen.queryByTestId("receipt")).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith("http://stripe.test/checkout/cs_2"));
    expect(calls.find((c) => c.name === "MemberDuesCheckout")?.variables).toMatchObject({ invoiceId: "inv-1" });
  });

  it("shows the receipt at once when the payment had already gone through", async () => {
    const { subscribed } = renderPaid({ MemberInvoicePaid: paidData(true) });
    expect(await screen.findByTestId("receipt")).toHaveTextContent("R-2026-000007");
    expect(subscribed).toEqual([]);
  });
});
