import { Alert, Anchor, Button, Card, Group, Loader, Stack, Stepper, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { IconAlertTriangle, IconCircleCheck } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { useQuery, useSubscription } from "urql";

import { PageTitle } from "../../components/PageTitle";
import { ErrorAlert, QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { formatMoney } from "../../components/format";
import { graphql } from "../../gql";
import type { MemberInvoicePaidQuery as PaidData, PaymentStatus } from "../../gql/graphql";
import { usePayDues } from "./checkout";
import { ReceiptView } from "./ReceiptView";
import { useMemberId } from "./shared";

const MemberInvoicePaidQuery = graphql(`
  query MemberInvoicePaid($invoiceId: ID!, $memberId: ID!) {
    invoice(id: $invoiceId) {
      id
      fiscalYear
      amountCents
      currency
      status
      payments {
        id
        status
        attempt
        checkoutSessionId
        flag
        failureReason
        receipt {
          ...MemberReceiptFields
        }
      }
    }
    member(id: $memberId) {
      id
      name
      status
      goodStanding
    }
  }
`);

const MemberPaymentStatusSubscription = graphql(`
  subscription MemberPaymentStatus($paymentId: ID!) {
    paymentStatus(paymentId: $paymentId) {
      paymentId
      status
      oldStatus
      changedAt
      flag
    }
  }
`);

/** How often, and how many times, to look again for the membership to catch up. */
export const SETTLE_INTERVAL_MS = 700;
const SETTLE_TRIES = 25;
const FINAL: readonly PaymentStatus[] = ["SUCCEEDED", "FAILED", "EXPIRED", "REFUNDED", "PARTIALLY_REFUNDED"];

type Payment = NonNullable<PaidData["invoice"]>["payments"][number];

function pickPayment(payments: readonly Payment[], sessionId: string | null): Payment | undefined {
  return (sessionId ? payments.find((p) => p.checkoutSessionId === sessionId) : undefined) ?? payments.at(-1);
}

export function InvoicePaid() {
  const { invoiceId = "" } = useParams();
  const [params] = useSearchParams();
  const memberId = useMemberId();
  const [result, refetch] = useQuery({ query: MemberInvoicePaidQuery, variables: { invoiceId, memberId } });
  const payment = result.data ? pickPayment(result.data.invoice.payments, params.get("session_id")) : undefined;

  return (
    <Stack maw={760}>
      <PageTitle>Dues payment</PageTitle>
      <QueryState result={result} onRetry={() => refetch({ requestPolicy: "network-only" })}>
        {(data) =>
          payment ? (
            <PaymentProgress
              key={payment.id}
              data={data}
              payment={payment}
              refetch={() => refetch({ requestPolicy: "network-only" })}
            />
          ) : (
            <Alert color="yellow" title="No payment found" role="status">
              No payment has been started for this invoice.{" "}
              <Anchor component={Link} to="/member/invoices">
                Go to your invoices
              </Anchor>{" "}
              to pay it.
            </Alert>
          )
        }
      </QueryState>
    </Stack>
  );
}

function PaymentProgress({ data, payment, refetch }: { data: PaidData; payment: Payment; refetch: () => void }) {
  const invoice = data.invoice;
  const member = data.member;
  const knownFinal = FINAL.includes(payment.status) && payment.status !== "SUCCEEDED";
  const [live] = useSubscription({
    query: MemberPaymentStatusSubscription,
    variables: { paymentId: payment.id },
    // Once the payment has an outcome there is nothing more to follow.
    pause: knownFinal || (payment.status === "SUCCEEDED" && payment.receipt != null),
  });
  const update = live.data?.paymentStatus;
  const status: PaymentStatus = update?.status ?? payment.status;
  const flag = update?.flag ?? payment.flag;
  const succeeded = status === "SUCCEEDED" || status === "PARTIALLY_REFUNDED";
  const failed = status === "FAILED" || status === "EXPIRED";
  const membershipCurrent = member?.goodStanding === true;
  const settled = invoice.status === "PAID" && payment.receipt != null && membershipCurrent;

  // Stripe's news reaches payments first, then members: look again until the
  // invoice is paid, the receipt issued and the membership active.
  const [tries, setTries] = useState(0);
  const following =
    tries < SETTLE_TRIES && ((succeeded && !flag && !settled) || (failed && payment.status === "PENDING"));
  useEffect(() => {
    if (!following) return;
    const timer = window.setTimeout(
      () => {
        setTries((n) => n + 1);
        refetch();
      },
      tries === 0 ? 0 : SETTLE_INTERVAL_MS,
    );
    return () => window.clearTimeout(timer);
  }, [following, tries, refetch]);

  // Without the live connection, look again now and then while it is pending.
  const [polls, setPolls] = useState(0);
  const polling = !!live.error && status === "PENDING" && polls < 60;
  useEffect(() => {
    if (!polling) return;
    const timer = window.setTimeout(() => {
      setPolls((n) => n + 1);
      refetch();
    }, 3000);
    return () => window.clearTimeout(timer);
  }, [polling, polls, refetch]);

  const { pay, paying, error: payError } = usePayDues();
  const narrow = useMediaQuery("(max-width: 48em)");

  const step = failed ? 1 : !succeeded ? 1 : settled ? 3 : 2;
  const amount = formatMoney(invoice.amountCents, invoice.currency);

  return (
    <Stack>
      <Card withBorder className="no-print">
        <Stack>
          <Group justify="space-between" wrap="wrap">
            <Text fw={500}>
              Dues for fiscal year {invoice.fiscalYear}: {amount}
            </Text>
            <Group gap="xs">
              <Text size="sm">Invoice</Text>
              <span data-testid="invoice-status">
                <StatusBadge status={invoice.status} />
              </span>
              <Text size="sm">Payment</Text>
              <span data-testid="payment-status">
                <StatusBadge status={status} />
              </span>
            </Group>
          </Group>
          <Stepper active={step} size="sm" color={failed ? "red" : undefined} orientation={narrow ? "vertical" : "horizontal"}>
            <Stepper.Step label="Checkout" description="You paid on Stripe's page" />
            <Stepper.Step
              label="Confirmation"
              description="Stripe confirms the payment"
              loading={status === "PENDING"}
              color={failed ? "red" : undefined}
            />
            <Stepper.Step label="Membership" description="Invoice paid, receipt issued" loading={step === 2} />
          </Stepper>
          <div role="status" aria-live="polite">
            {status === "PENDING" && (
              <Group gap="xs">
                <Loader size="xs" aria-hidden />
                <Text>Waiting for Stripe to confirm your payment. This usually takes a few seconds.</Text>
              </Group>
            )}
            {succeeded && !flag && !settled && (
              <Group gap="xs">
                <Loader size="xs" aria-hidden />
                <Text>Payment confirmed. Updating your membership…</Text>
              </Group>
            )}
            {succeeded && !flag && settled && (
              <Group gap="xs" wrap="nowrap">
                <IconCircleCheck color="var(--mantine-color-green-8)" aria-hidden />
                <Text fw={500} data-testid="membership-active">
                  Thank you! The invoice is paid and your membership is{" "}
                  {member?.status === "ACTIVE" ? "active" : "in good standing"}.
                </Text>
              </Group>
            )}
          </div>
          {member && (
            <Group gap="xs">
              <Text size="sm">Membership status of {member.name}</Text>
              <span data-testid="member-status">
                <StatusBadge status={member.status} />
              </span>
            </Group>
          )}
          {live.error && !failed && !settled && <ErrorAlert error={live.error} />}
        </Stack>
      </Card>

      {succeeded && flag && (
        <Alert color="orange" title="Payment received, held for review" role="alert" icon={<IconAlertTriangle aria-hidden />}>
          Stripe received your money, but it did not match the invoice ({flag === "DUPLICATE_PAYMENT" ? "the invoice was already paid" : "the amount differs"}). Staff will
          look at it and refund or apply it; nothing more is needed from you.
        </Alert>
      )}

      {succeeded && !flag && !settled && tries >= SETTLE_TRIES && (
        <Alert color="yellow" title="Still updating" role="status">
          Your payment went through; the membership will show it shortly.{" "}
          <Button variant="subtle" size="compact-sm" onClick={() => setTries(0)}>
            Look again
          </Button>
        </Alert>
      )}

      {failed && (
        <Alert color="red" title={status === "EXPIRED" ? "The payment page expired" : "The payment failed"} role="alert">
          <Stack gap="sm">
            <Text size="sm">
              {status === "EXPIRED"
                ? "The checkout session ended before it was paid. Nothing was charged."
                : `Stripe could not take the payment${payment.failureReason ? ` (${payment.failureReason})` : ""}. Nothing was charged.`}
            </Text>
            {payError && <ErrorAlert error={payError} />}
            <Group>
              <Button color="red" loading={paying === invoice.id} onClick={() => void pay(invoice.id)}>
                Try again
              </Button>
              <Button component={Link} to="/member/invoices" variant="default">
                Back to invoices
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}

      {succeeded && !flag && payment.receipt && <ReceiptView receipt={payment.receipt} />}

      <Anchor component={Link} to="/member" className="no-print">
        Back to our membership
      </Anchor>
    </Stack>
  );
}
