import { Alert, Anchor, Button, Stack, Table, Text } from "@mantine/core";
import { IconCreditCard } from "@tabler/icons-react";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";

import { PageTitle } from "../../components/PageTitle";
import { ErrorAlert, QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDate, formatMoney } from "../../components/format";
import { graphql } from "../../gql";
import { usePayDues } from "./checkout";
import { bandLabel, useMemberId } from "./shared";

const MemberInvoicesQuery = graphql(`
  query MemberInvoices($id: ID!) {
    member(id: $id) {
      id
      name
      status
      goodStanding
      invoices {
        id
        fiscalYear
        band
        amountCents
        fullAmountCents
        currency
        status
        issuedOn
        dueDate
        graceEndsOn
        prorated
        coveredDays
        yearDays
        payments {
          id
          status
          receipt {
            number
          }
        }
      }
    }
  }
`);

export function Invoices() {
  const memberId = useMemberId();
  const [params, setParams] = useSearchParams();
  const cancelled = params.get("cancelled") === "1";
  const [result, refetch] = useQuery({ query: MemberInvoicesQuery, variables: { id: memberId } });
  const { pay, paying, error, noPage } = usePayDues();

  return (
    <Stack>
      <PageTitle>Dues and invoices</PageTitle>
      {cancelled && (
        <Alert
          color="yellow"
          role="status"
          title="Payment cancelled"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setParams({}, { replace: true })}
        >
          You left the payment page before paying. Nothing was charged; the invoice is still open.
        </Alert>
      )}
      {error && <ErrorAlert error={error} />}
      {noPage && (
        <Alert color="red" role="alert" title="The payment page is not available">
          The payment provider did not give us a page to pay on. Try again in a moment.
        </Alert>
      )}
      <QueryState
        result={result}
        onRetry={() => refetch({ requestPolicy: "network-only" })}
        isEmpty={(data) => !data.member?.invoices?.length}
        empty="No dues invoices have been issued to your community yet."
      >
        {({ member }) => (
          <Table.ScrollContainer minWidth={760} type="native" tabIndex={0} role="region" aria-label="Dues invoices, scrollable">
            <Table striped highlightOnHover aria-label="Dues invoices" captionSide="top">
              <Table.Caption>Dues invoices of {member?.name}, newest fiscal year first</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Fiscal year</Table.Th>
                  <Table.Th>Dues band</Table.Th>
                  <Table.Th ta="right">Amount</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Due date</Table.Th>
                  <Table.Th>Payment</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {member?.invoices?.map((invoice) => {
                  const receipt = invoice.payments.map((p) => p.receipt).find((r) => r != null);
                  return (
                    <Table.Tr key={invoice.id} data-testid={`invoice-${invoice.id}`}>
                      <Table.Td>{invoice.fiscalYear}</Table.Td>
                      <Table.Td>{bandLabel(invoice.band)}</Table.Td>
                      <Table.Td ta="right">
                        {formatMoney(invoice.amountCents, invoice.currency)}
                        {invoice.prorated && (
                          <Text size="xs" c="gray.7">
                            prorated: {invoice.coveredDays} of {invoice.yearDays} days (full{" "}
                            {formatMoney(invoice.fullAmountCents, invoice.currency)})
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={invoice.status} />
                      </Table.Td>
                      <Table.Td>
                        {formatDate(invoice.dueDate)}
                        {invoice.status === "OPEN" && (
                          <Text size="xs" c="gray.7">
                            grace until {formatDate(invoice.graceEndsOn)}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {invoice.status === "OPEN" ? (
                          <Button
                            size="xs"
                            leftSection={<IconCreditCard size={16} aria-hidden />}
                            loading={paying === invoice.id}
                            disabled={paying !== null && paying !== invoice.id}
                            onClick={() => void pay(invoice.id)}
                            aria-label={`Pay dues for fiscal year ${invoice.fiscalYear}`}
                          >
                            Pay dues
                          </Button>
                        ) : receipt ? (
                          <Anchor component={Link} to={`/member/receipts/${encodeURIComponent(receipt.number)}`}>
                            Receipt {receipt.number}
                          </Anchor>
                        ) : (
                          <Text size="sm" c="gray.7">
                            {invoice.status === "PAID" ? "Paid" : "—"}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
      <Text size="sm" c="gray.7">
        Payments go through Stripe's secure checkout; you come back here when it is done.
      </Text>
    </Stack>
  );
}
