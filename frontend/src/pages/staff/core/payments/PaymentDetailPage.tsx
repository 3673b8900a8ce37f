// Staff: one payment: what was asked and paid, money held for staff, its
// receipt, refunds and history; refund all or part of it. The status follows
// the payments service live (the paymentStatus subscription).
import { Alert, Anchor, Breadcrumbs, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { IconReceipt, IconReceiptRefund } from "@tabler/icons-react";
import { useEffect, useState, type ReactNode } from "react";
import { Link, useParams } from "react-router";
import { useQuery, useSubscription } from "urql";

import { formatDateTime, formatMoney, humanize } from "../../../../components/format";
import { PageTitle } from "../../../../components/PageTitle";
import { EmptyState, QueryState } from "../../../../components/QueryState";
import { RequireRole } from "../../../../components/RequireRole";
import { StatusBadge } from "../../../../components/StatusBadge";
import { graphql } from "../../../../gql";
import type { StaffPaymentFieldsFragment } from "../../../../gql/graphql";
import { BAND_LABELS } from "../shared/labels";
import { RefundModal } from "./RefundModal";

const PaymentDetailQuery = graphql(`
  query StaffPaymentDetail($id: ID!) {
    payment(id: $id) {
      ...StaffPaymentFields
    }
  }
`);

const PaymentStatusSubscription = graphql(`
  subscription StaffPaymentStatus($paymentId: ID!) {
    paymentStatus(paymentId: $paymentId) {
      paymentId
      status
      changedAt
      amountRefundedCents
    }
  }
`);

const REFUNDABLE = new Set(["SUCCEEDED", "PARTIALLY_REFUNDED"]);

export function PaymentDetailPage() {
  return (
    <RequireRole role="staff">
      <PaymentDetail />
    </RequireRole>
  );
}

function PaymentDetail() {
  const { id = "" } = useParams();
  const [result, refetch] = useQuery({ query: PaymentDetailQuery, variables: { id } });
  const payment = result.data?.payment;

  // A change announced live (a webhook, a refund confirmed): read the payment again.
  const [live] = useSubscription({ query: PaymentStatusSubscription, variables: { paymentId: id }, pause: !payment });
  const update = live.data?.paymentStatus;
  const stale =
    payment && update && (update.status !== payment.status || (update.amountRefundedCents ?? 0) !== payment.amountRefundedCents);
  useEffect(() => {
    if (stale) refetch({ requestPolicy: "network-only" });
  }, [stale, refetch]);

  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/staff/payments">
          Payments
        </Anchor>
        <Text size="sm">{payment?.member?.name ?? "Payment"}</Text>
      </Breadcrumbs>
      <QueryState result={result} onRetry={() => refetch({ requestPolicy: "network-only" })}>
        {(data) => <PaymentView payment={data.payment} />}
      </QueryState>
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={700} tt="uppercase" component="dt">
        {label}
      </Text>
      <Text size="sm" component="dd" m={0} style={{ overflowWrap: "anywhere" }}>
        {children}
      </Text>
    </div>
  );
}

function PaymentView({ payment }: { payment: StaffPaymentFieldsFragment }) {
  const [refunding, setRefunding] = useState(false);
  const money = (cents: number) => formatMoney(cents, payment.currency);
  const memberName = payment.member?.name ?? "the member";
  const paid = payment.amountPaidCents ?? 0;
  const leftCents = Math.max(0, paid - payment.amountRefundedCents);
  const canRefund = REFUNDABLE.has(payment.status) && leftCents > 0;
  const pendingRefund = payment.refunds.some((r) => r.status === "REQUESTED" || r.status === "PENDING");

  return (
    <>
      <PageTitle
        actions={
          canRefund && (
            <Button
              color="red"
              variant="light"
              onClick={() => setRefunding(true)}
              leftSection={<IconReceiptRefund size={16} aria-hidden />}
            >
              Refund
            </Button>
          )
        }
      >
        {`Dues payment by ${memberName}`}
      </PageTitle>

      {payment.flag && (
        <Alert color="red" title={`Held for staff: ${humanize(payment.flag)}`} role="note">
          The money arrived but was not applied to the dues invoice
          {payment.flagDetail ? `: ${payment.flagDetail}` : "."} Refund it, then ask the member to pay the invoice again.
        </Alert>
      )}
      {pendingRefund && (
        <Alert color="blue" title="A refund is on its way" role="status">
          Stripe has not confirmed every refund yet; this page updates when it does.
        </Alert>
      )}

      <Card withBorder>
        <Group mb="sm" gap="xs">
          <StatusBadge status={payment.status} />
          <Text size="sm">Attempt {payment.attempt}</Text>
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} component="dl" m={0}>
          <Field label="Member">
            <Anchor component={Link} to={`/staff/members/${payment.memberId}`}>
              {payment.member ? `${payment.member.name}, ${payment.member.state}` : payment.memberId}
            </Anchor>
          </Field>
          <Field label="Dues invoice">
            FY{payment.fiscalYear}, {BAND_LABELS[payment.band as keyof typeof BAND_LABELS] ?? humanize(payment.band)}
          </Field>
          <Field label="Asked">{money(payment.amountCents)}</Field>
          <Field label="Paid">{payment.amountPaidCents == null ? "Not yet" : money(payment.amountPaidCents)}</Field>
          <Field label="Refunded">{money(payment.amountRefundedCents)}</Field>
          <Field label="Can still be refunded">{money(leftCents)}</Field>
          <Field label="Created">{formatDateTime(payment.createdAt)}</Field>
          <Field label="Paid on">{formatDateTime(payment.paidAt)}</Field>
          <Field label="Checkout session">{payment.checkoutSessionId ?? "—"}</Field>
          <Field label="Payment intent">{payment.paymentIntentId ?? "—"}</Field>
          {payment.failureReason && <Field label="Why it failed">{payment.failureReason}</Field>}
        </SimpleGrid>
      </Card>

      <Receipt payment={payment} />
      <Refunds payment={payment} />
      <History payment={payment} />

      {canRefund && (
        <RefundModal
          opened={refunding}
          onClose={() => setRefunding(false)}
          paymentId={payment.id}
          memberName={memberName}
          leftCents={leftCents}
          currency={payment.currency}
        />
      )}
    </>
  );
}

function Receipt({ payment }: { payment: StaffPaymentFieldsFragment }) {
  const receipt = payment.receipt;
  return (
    <section aria-labelledby="payment-receipt">
      <Title order={3} size="h4" id="payment-receipt" mb="xs">
        Receipt
      </Title>
      {receipt ? (
        <Card withBorder>
          <Group justify="space-between" wrap="wrap">
            <Text size="sm">
              Receipt {receipt.number}, issued {formatDateTime(receipt.issuedAt)} to {receipt.payer.name ?? "the member"}
              {receipt.payer.email ? ` (${receipt.payer.email})` : ""} for {formatMoney(receipt.amountCents, receipt.currency)}.
            </Text>
            <Button
              component={Link}
              to={`/staff/receipts/${encodeURIComponent(receipt.number)}`}
              variant="default"
              leftSection={<IconReceipt size={16} aria-hidden />}
            >
              View receipt {receipt.number}
            </Button>
          </Group>
        </Card>
      ) : (
        <EmptyState>
          {payment.flag
            ? "No receipt: the money is held for staff, not applied to the invoice."
            : "No receipt: one is issued when the payment is applied to its invoice."}
        </EmptyState>
      )}
    </section>
  );
}

function Refunds({ payment }: { payment: StaffPaymentFieldsFragment }) {
  return (
    <section aria-labelledby="payment-refunds">
      <Title order={3} size="h4" id="payment-refunds" mb="xs">
        Refunds
      </Title>
      {payment.refunds.length === 0 ? (
        <EmptyState>No refund.</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped aria-labelledby="payment-refunds">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Requested</Table.Th>
                <Table.Th scope="col" ta="right">
                  Amount
                </Table.Th>
                <Table.Th scope="col" miw={120}>
                  Status
                </Table.Th>
                <Table.Th scope="col">Reason</Table.Th>
                <Table.Th scope="col">By</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {payment.refunds.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{formatDateTime(r.createdAt)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(r.amountCents, r.currency)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={r.status} />
                    {r.failure && (
                      <Text size="xs" c="red.8">
                        {r.failure}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{r.reason}</Table.Td>
                  <Table.Td>{r.requestedBy}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}

function History({ payment }: { payment: StaffPaymentFieldsFragment }) {
  const history = [...payment.history].reverse();
  return (
    <section aria-labelledby="payment-history">
      <Title order={3} size="h4" id="payment-history" mb="xs">
        History
      </Title>
      <Table.ScrollContainer minWidth={640}>
        <Table striped aria-labelledby="payment-history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">When</Table.Th>
              <Table.Th scope="col" miw={190}>
                From
              </Table.Th>
              <Table.Th scope="col" miw={190}>
                To
              </Table.Th>
              <Table.Th scope="col">Cause</Table.Th>
              <Table.Th scope="col">Note</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.map((change) => (
              <Table.Tr key={`${change.changedAt}-${change.newStatus}`}>
                <Table.Td>{formatDateTime(change.changedAt)}</Table.Td>
                <Table.Td>{change.oldStatus ? <StatusBadge status={change.oldStatus} /> : "—"}</Table.Td>
                <Table.Td>
                  <StatusBadge status={change.newStatus} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ overflowWrap: "anywhere" }}>
                    {change.source}
                  </Text>
                </Table.Td>
                <Table.Td>{change.note || "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </section>
  );
}
