import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { GraphQLError } from "graphql";
import { CombinedError } from "urql";

import { renderPage } from "../../../../test/render";
import { PaymentDetailPage } from "./PaymentDetailPage";

const PAYMENT = {
  id: "p1",
  status: "PARTIALLY_REFUNDED",
  purpose: "DUES",
  amountCents: 25_000,
  currency: "USD",
  amountPaidCents: 25_000,
  amountRefundedCents: 5_000,
  invoiceId: "i1",
  memberId: "m1",
  fiscalYear: 2026,
  band: "UP_TO_25K",
  attempt: 1,
  checkoutSessionId: "cs_test_1",
  paymentIntentId: "pi_1",
  sessionExpiresAt: null,
  paidAt: "2026-12-03T23:46:51+00:00",
  createdAt: "2026-12-03T23:46:48+00:00",
  flag: null,
  flagDetail: null,
  failureReason: null,
  history: [
    { oldStatus: null, newStatus: "PENDING", changedAt: "2026-12-03T23:46:48+00:00", source: "checkout", note: "" },
    { oldStatus: "PENDING", newStatus: "SUCCEEDED", changedAt: "2026-12-03T23:46:51+00:00", source: "stripe:evt_1", note: "" },
  ],
  receipt: {
    number: "R-2026-000001",
    issuedAt: "2026-12-03T23:46:51+00:00",
    amountCents: 25_000,
    currency: "USD",
    payer: { memberId: "m1", name: "Winooski", email: "clerk@winooski.example" },
  },
  refunds: [
    {
      id: "r1",
      amountCents: 5_000,
      currency: "USD",
      reason: "overpaid",
      status: "SUCCEEDED",
      failure: null,
      requestedBy: "staff-1",
      createdAt: "2026-12-04T10:00:00+00:00",
    },
  ],
  member: { id: "m1", name: "Winooski", state: "VT" },
};

function render(answers: Record<string, unknown> = {}) {
  return renderPage(<PaymentDetailPage />, {
    path: "/staff/payments/p1",
    route: "/staff/payments/:id",
    as: { role: "staff" },
    answers: {
      StaffPaymentDetail: { data: { payment: PAYMENT } },
      StaffPaymentStatus: "loading",
      ...answers,
    } as never,
  });
}

async function openPartialRefund(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole("button", { name: "Refund" }));
  const dialog = await screen.findByRole("dialog", { name: "Refund Winooski" });
  expect(within(dialog).getByText(/\$200\.00 can still be refunded/)).toBeInTheDocument();
  await user.click(within(dialog).getByRole("radio", { name: "Part of it" }));
  return dialog;
}

describe("Payment detail: refunds", { timeout: 30_000 }, () => {
  it("shows the receipt link, the refunds and the history", async () => {
    render();
    expect(await screen.findByRole("link", { name: /View receipt R-2026-000001/ })).toHaveAttribute(
      "href",
      "/staff/receipts/R-2026-000001",
    );
    expect(screen.getByRole("table", { name: "Refunds" })).toHaveTextContent("overpaid");
    expect(screen.getByRole("table", { name: "History" })).toHaveTextContent("stripe:evt_1");
  });

  it("refuses a partial amount above what is left, or zero, before sending", async () => {
    const user = userEvent.setup();
    const { calls } = render();
    const dialog = await openPartialRefund(user);
    const amount = within(dialog).getByRole("textbox", { name: /Amount to refund/ });
    await user.click(amount);
    await user.paste("200.01");
    await user.click(within(dialog).getByRole("textbox", { name: /Reason/ }));
    await user.paste("Paid twice");
    expect(amount).toHaveAccessibleDescription(/At most \$200\.00 can still be refunded/);
    await user.click(within(dialog).getByRole("button", { name: "Refund" }));
    expect(calls.some((c) => c.name === "StaffRefundPayment")).toBe(false);

    await user.clear(amount);
    await user.paste("0");
    expect(amount).toHaveAccessibleDescription(/above zero/);
    await user.click(within(dialog).getByRole("button", { name: "Refund" }));
    expect(calls.some((c) => c.name === "StaffRefundPayment")).toBe(false);
  });

  it("sends a valid partial amount in cents with the reason", async () => {
    const user = userEvent.setup();
    const { calls } = render({
      StaffRefundPayment: {
        data: {
          refundPayment: {
            refund: { id: "r2", amountCents: 2_550, currency: "USD", status: "SUCCEEDED", failure: null },
            payment: { ...PAYMENT, amountRefundedCents: 7_550 },
          },
        },
      },
    });
    const dialog = await openPartialRefund(user);
    await user.click(within(dialog).getByRole("textbox", { name: /Amount to refund/ }));
    await user.paste("25.5");
    await user.click(within(dialog).getByRole("textbox", { name: /Reason/ }));
    await user.paste("Band was wrong");
    await user.click(within(dialog).getByRole("button", { name: "Refund $25.50" }));
    await waitFor(() =>
      expect(calls.find((c) => c.name === "StaffRefundPayment")?.variables).toEqual({
        paymentId: "p1",
        reason: "Band was wrong",
        amountCents: 2_550,
      }),
    );
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });

  it("puts the API's amount error next to the amount", async () => {
    const user = userEvent.setup();
    render({
      StaffRefundPayment: {
        error: new CombinedError({
          graphQLErrors: [
            new GraphQLError("at most 15000 USD cents can still be refunded", {
              extensions: { code: "BAD_USER_INPUT", field: "amountCents" },
            }),
          ],
        }),
      },
    });
    const dialog = await openPartialRefund(user);
    const amount = within(dialog).getByRole("textbox", { name: /Amount to refund/ });
    await user.click(amount);
    await user.paste("180");
    await user.click(within(dialog).getByRole("textbox", { name: /Reason/ }));
    await user.paste("Band was wrong");
    await user.click(within(dialog).getByRole("button", { name: "Refund $180.00" }));
    await waitFor(() => expect(amount).toHaveAccessibleDescription(/At most 15000 USD cents can still be refunded/));
  });

  it("refunds all that is left when no amount is given", async () => {
    const user = userEvent.setup();
    const { calls } = render({
      StaffRefundPayment: {
        data: {
          refundPayment: {
            refund: { id: "r2", amountCents: 20_000, currency: "USD", status: "PENDING", failure: null },
            payment: { ...PAYMENT, status: "REFUNDED", amountRefundedCents: 25_000 },
          },
        },
      },
    });
    await user.click(await screen.findByRole("button", { name: "Refund" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("textbox", { name: /Reason/ }));
    await user.paste("Left the association");
    await user.click(within(dialog).getByRole("button", { name: "Refund $200.00" }));
    await waitFor(() =>
      expect(calls.find((c) => c.name === "StaffRefundPayment")?.variables).toMatchObject({ amountCents: null }),
    );
  });
});
