import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, vi } from "vitest";

import { renderPage } from "../../test/render";
import { Invoices } from "./Invoices";

const member = {
  id: "m-1",
  name: "Portal Testville",
  status: "PENDING",
  goodStanding: false,
  invoices: [
    {
      id: "inv-2027",
      fiscalYear: 2027,
      band: "FROM_25K_TO_50K",
      amountCents: 50000,
      fullAmountCents: 50000,
      currency: "USD",
      status: "OPEN",
      issuedOn: "2026-12-01",
      dueDate: "2027-01-01",
      graceEndsOn: "2027-01-31",
      prorated: false,
      coveredDays: null,
      yearDays: null,
      payments: [],
    },
    {
      id: "inv-2026",
      fiscalYear: 2026,
      band: "FROM_25K_TO_50K",
      amountCents: 50000,
      fullAmountCents: 50000,
      currency: "USD",
      status: "PAID",
      issuedOn: "2026-01-01",
      dueDate: "2026-01-01",
      graceEndsOn: "2026-01-31",
      prorated: false,
      coveredDays: null,
      yearDays: null,
      payments: [{ id: "pay-1", status: "SUCCEEDED", receipt: { number: "R-2026-000001" } }],
    },
  ],
};

function stubLocation() {
  const assign = vi.fn();
  vi.stubGlobal("location", { ...window.location, origin: "https://portal.example", assign });
  return assign;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("Invoices", () => {
  it("lists the invoices with year, band, amount, status and due date", async () => {
    renderPage(<Invoices />, {
      path: "/member/invoices",
      as: { role: "member", memberId: "m-1" },
      answers: { MemberInvoices: { data: { member } } },
    });
    const table = await screen.findByRole("table", { name: "Dues invoices" });
    expect(table).toHaveTextContent("2027");
    expect(table).toHaveTextContent("25,001 to 50,000 people");
    expect(table).toHaveTextContent("$500.00");
    expect(table).toHaveTextContent("Open");
    expect(screen.getByRole("link", { name: "Receipt R-2026-000001" })).toHaveAttribute(
      "href",
      "/member/receipts/R-2026-000001",
    );
    // Only the open invoice can be paid.
    expect(screen.getAllByRole("button", { name: /Pay dues/ })).toHaveLength(1);
  });

  it("opens a checkout with the return URLs and goes to Stripe's page", async () => {
    const assign = stubLocation();
    const { calls } = renderPage(<Invoices />, {
      path: "/member/invoices",
      as: { role: "member", memberId: "m-1" },
      answers: {
        MemberInvoices: { data: { member } },
        MemberDuesCheckout: {
          data: {
            createDuesCheckout: { paymentId: "pay-2", checkoutUrl: "http://stripe.test/checkout/cs_1", status: "PENDING" },
          },
        },
      },
    });
    await userEvent.click(await screen.findByRole("button", { name: "Pay dues for fiscal year 2027" }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith("http://stripe.test/checkout/cs_1"));
    expect(calls.find((c) => c.name === "MemberDuesCheckout")?.variables).toEqual({
      invoiceId: "inv-2027",
      successUrl: "https://portal.example/member/invoices/inv-2027/paid?session_id={CHECKOUT_SESSION_ID}",
      cancelUrl: "https://portal.example/member/invoices?cancelled=1",
    });
  });

  it("says why when the checkout is refused", async () => {
    const assign = stubLocation();
    renderPage(<Invoices />, {
      path: "/member/invoices",
      as: { role: "member", memberId: "m-1" },
      answers: {
        MemberInvoices: { data: { member } },
        MemberDuesCheckout: {
          error: {
            graphQLErrors: [
              { message: "this invoice is already paid", extensions: { code: "CONFLICT", field: "invoiceId" } },
            ],
          },
        },
      },
    });
    await userEvent.click(await screen.findByRole("button", { name: /Pay dues/ }));
    expect(await screen.findByRole("alert")).toHaveTextContent("This invoice is already paid");
    expect(assign).not.toHaveBeenCalled();
  });

  it("tells the member a cancelled payment charged nothing", async () => {
    renderPage(<Invoices />, {
      path: "/member/invoices?cancelled=1",
      as: { role: "member", memberId: "m-1" },
      answers: { MemberInvoices: { data: { member } } },
    });
    expect(await screen.findByText("Payment cancelled")).toBeInTheDocument();
    expect(screen.getByText(/Nothing was charged/)).toBeInTheDocument();
  });

  it("shows the empty state", async () => {
    renderPage(<Invoices />, {
      path: "/member/invoices",
      as: { role: "member", memberId: "m-1" },
      answers: { MemberInvoices: { data: { member: { ...member, invoices: [] } } } },
    });
    expect(await screen.findByTestId("empty-state")).toHaveTextContent("No dues invoices");
  });
});
