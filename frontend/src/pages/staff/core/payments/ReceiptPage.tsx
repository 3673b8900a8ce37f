// Staff: a dues receipt as the member received it, ready to print.
import { Anchor, Breadcrumbs, Button, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { IconPrinter } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";

import { formatDateTime, formatMoney } from "../../../../components/format";
import { PageTitle } from "../../../../components/PageTitle";
import { QueryState } from "../../../../components/QueryState";
import { RequireRole } from "../../../../components/RequireRole";
import { graphql } from "../../../../gql";

const ReceiptQuery = graphql(`
  query StaffReceipt($number: String!) {
    receipt(number: $number) {
      number
      issuedAt
      amountCents
      currency
      invoiceId
      fiscalYear
      paymentId
      payer {
        memberId
        name
        email
      }
    }
  }
`);

export function ReceiptPage() {
  return (
    <RequireRole role="staff">
      <ReceiptView />
    </RequireRole>
  );
}

function Line({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={700} tt="uppercase" component="dt">
        {label}
      </Text>
      <Text component="dd" m={0} style={{ overflowWrap: "anywhere" }}>
        {children}
      </Text>
    </div>
  );
}

function ReceiptView() {
  const { number = "" } = useParams();
  const [result, refetch] = useQuery({ query: ReceiptQuery, variables: { number } });
  const receipt = result.data?.receipt;
  return (
    <Stack gap="md">
      <Breadcrumbs className="no-print">
        <Anchor component={Link} to="/staff/payments">
          Payments
        </Anchor>
        {receipt && (
          <Anchor component={Link} to={`/staff/payments/${receipt.paymentId}`}>
            Payment
          </Anchor>
        )}
        <Text size="sm">Receipt {number}</Text>
      </Breadcrumbs>
      <PageTitle
        actions={
          <Button variant="default" onClick={() => window.print()} leftSection={<IconPrinter size={16} aria-hidden />}>
            Print
          </Button>
        }
      >
        {`Receipt ${number}`}
      </PageTitle>
      <QueryState result={result} onRetry={() => refetch({ requestPolicy: "network-only" })}>
        {({ receipt: r }) => (
          <Card withBorder maw={720} padding="lg">
            <Group justify="space-between" mb="md">
              <Title order={3} size="h4">
                Membership dues, FY{r.fiscalYear}
              </Title>
              <Text fw={700} size="xl">
                {formatMoney(r.amountCents, r.currency)}
              </Text>
            </Group>
            <SimpleGrid cols={{ base: 1, sm: 2 }} component="dl" m={0}>
              <Line label="Receipt number">{r.number}</Line>
              <Line label="Issued">{formatDateTime(r.issuedAt)}</Line>
              <Line label="Received from">
                <Anchor component={Link} to={`/staff/members/${r.payer.memberId}`}>
                  {r.payer.name ?? r.payer.memberId}
                </Anchor>
              </Line>
              <Line label="Payer's email">{r.payer.email ?? "—"}</Line>
              <Line label="Dues invoice">{r.invoiceId}</Line>
              <Line label="Payment">
                <Anchor component={Link} to={`/staff/payments/${r.paymentId}`}>
                  {r.paymentId}
                </Anchor>
              </Line>
            </SimpleGrid>
          </Card>
        )}
      </QueryState>
    </Stack>
  );
}
