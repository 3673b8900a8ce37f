// Staff: every dues payment, newest first, filtered by status, member, dates
// and whether the money is held for staff, a page at a time.
import "@mantine/dates/styles.css";

import { Anchor, Badge, Select, SimpleGrid, Stack, Table } from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";

import { formatDateTime, formatMoney, humanize } from "../../../../components/format";
import { PageTitle } from "../../../../components/PageTitle";
import { QueryState } from "../../../../components/QueryState";
import { RequireRole } from "../../../../components/RequireRole";
import { StatusBadge } from "../../../../components/StatusBadge";
import { graphql } from "../../../../gql";
import type { PaymentStatus } from "../../../../gql/graphql";
import { PAYMENT_STATUSES } from "../shared/labels";
import { MemberPicker } from "../shared/MemberPicker";
import { CursorPager } from "../shared/Pager";
import { useCursorPages } from "../shared/useCursorPages";

const PAGE_SIZE = 25;

const StaffPaymentsQuery = graphql(`
  query StaffPayments($filter: PaymentFilter, $first: Int!, $after: String) {
    payments(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          status
          amountCents
          amountPaidCents
          amountRefundedCents
          currency
          fiscalYear
          attempt
          createdAt
          paidAt
          flag
          memberId
          member {
            id
            name
            state
          }
        }
      }
    }
  }
`);

const STATUS_OPTIONS = PAYMENT_STATUSES.map((value) => ({ value, label: humanize(value) }));
const HELD_OPTIONS = [
  { value: "true", label: "Held for staff" },
  { value: "false", label: "Not held" },
];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function PaymentsPage() {
  return (
    <RequireRole role="staff">
      <Payments />
    </RequireRole>
  );
}

function Payments() {
  const [params, setParams] = useSearchParams();
  const pages = useCursorPages();
  const status = params.get("status") as PaymentStatus | null;
  const memberId = params.get("member");
  const from = ISO_DATE.test(params.get("from") ?? "") ? params.get("from") : null;
  const to = ISO_DATE.test(params.get("to") ?? "") ? params.get("to") : null;
  const held = params.get("held");

  const setParam = (name: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  const filter = {
    status: status || null,
    memberId: memberId || null,
    from,
    to,
    flagged: held === "true" ? true : held === "false" ? false : null,
  };
  const [result, refetch] = useQuery({
    query: StaffPaymentsQuery,
    variables: { filter, first: PAGE_SIZE, after: pages.after },
  });
  const filtered = Boolean(status || memberId || from || to || held);

  return (
    <Stack gap="md">
      <PageTitle>Payments</PageTitle>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} role="search" aria-label="Find payments">
        <Select
          label="Status"
          placeholder="Any status"
          data={STATUS_OPTIONS}
          value={status}
          onChange={(value) => setParam("status", value)}
          clearable
        />
        <MemberPicker label="Member" value={memberId} onChange={(value) => setParam("member", value)} placeholder="Any member" />
        <DatePickerInput
          label="Created from"
          placeholder="Any day"
          value={from}
          onChange={(value) => setParam("from", value)}
          maxDate={to ?? undefined}
          clearable
          valueFormat="MMM D, YYYY"
        />
        <DatePickerInput
          label="Created until"
          placeholder="Any day"
          value={to}
          onChange={(value) => setParam("to", value)}
          minDate={from ?? undefined}
          clearable
          valueFormat="MMM D, YYYY"
        />
        <Select
          label="Held for staff"
          placeholder="All payments"
          data={HELD_OPTIONS}
          value={held}
          onChange={(value) => setParam("held", value)}
          clearable
        />
      </SimpleGrid>
      <QueryState
        result={result}
        onRetry={() => refetch({ requestPolicy: "network-only" })}
        isEmpty={(data) => data.payments.edges.length === 0}
        empty={filtered ? "No payment matches these filters." : "No payment yet."}
      >
        {({ payments }) => (
          <>
            <Table.ScrollContainer minWidth={860}>
              <Table striped highlightOnHover aria-label="Payments">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Created</Table.Th>
                    <Table.Th scope="col">Member</Table.Th>
                    <Table.Th scope="col">Fiscal year</Table.Th>
                    <Table.Th scope="col" ta="right">
                      Amount
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      Refunded
                    </Table.Th>
                    <Table.Th scope="col" miw={190}>
                      Status
                    </Table.Th>
                    <Table.Th scope="col">Attempt</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {payments.edges.map(({ node }) => (
                    <Table.Tr key={node.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/staff/payments/${node.id}`}>
                          {formatDateTime(node.createdAt)}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/staff/members/${node.memberId}`}>
                          {node.member ? `${node.member.name}, ${node.member.state}` : "Unknown member"}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>FY{node.fiscalYear}</Table.Td>
                      <Table.Td ta="right">{formatMoney(node.amountPaidCents ?? node.amountCents, node.currency)}</Table.Td>
                      <Table.Td ta="right">
                        {node.amountRefundedCents > 0 ? formatMoney(node.amountRefundedCents, node.currency) : "—"}
                      </Table.Td>
                      <Table.Td>
                        <Stack gap={4} align="flex-start">
                          <StatusBadge status={node.status} />
                          {node.flag && (
                            <Badge color="red" variant="outline">
                              Held: {humanize(node.flag)}
                            </Badge>
                          )}
                        </Stack>
                      </Table.Td>
                      <Table.Td>{node.attempt}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <CursorPager
              label="payments"
              page={pages.page}
              pageSize={PAGE_SIZE}
              total={payments.totalCount}
              shown={payments.edges.length}
              endCursor={payments.pageInfo.endCursor}
              hasNextPage={payments.pageInfo.hasNextPage}
              onNext={pages.next}
              onPrevious={pages.previous}
            />
          </>
        )}
      </QueryState>
    </Stack>
  );
}
