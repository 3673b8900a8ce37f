import { Button, Card, DataList, Group, Stack, Text, Title } from "@mantine/core";
import { IconPrinter } from "@tabler/icons-react";

import { formatDateTime, formatMoney } from "../../components/format";
import type { MemberReceiptFieldsFragment } from "../../gql/graphql";


/** A dues receipt as it prints: the navigation and buttons are left off paper. */
export function ReceiptView({ receipt }: { receipt: MemberReceiptFieldsFragment }) {
  return (
    <Card withBorder padding="lg" data-testid="receipt" aria-labelledby="receipt-title">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <div>
            <Title order={3} id="receipt-title">
              Receipt {receipt.number}
            </Title>
            <Text size="sm" c="gray.7">
              Sister Cities: membership dues, fiscal year {receipt.fiscalYear}
            </Text>
          </div>
          <Button
            className="no-print"
            variant="default"
            leftSection={<IconPrinter size={16} aria-hidden />}
            onClick={() => window.print()}
          >
            Print
          </Button>
        </Group>
        <DataList labelWidth="9rem">
          <DataList.Item>
            <DataList.ItemLabel>Receipt number</DataList.ItemLabel>
            <DataList.ItemValue>{receipt.number}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Date</DataList.ItemLabel>
            <DataList.ItemValue>{formatDateTime(receipt.issuedAt)}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Payer</DataList.ItemLabel>
            <DataList.ItemValue>
              {receipt.payer.name ?? "Member community"}
              {receipt.payer.email && (
                <Text size="sm" c="gray.7">
                  {receipt.payer.email}
                </Text>
              )}
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Amount paid</DataList.ItemLabel>
            <DataList.ItemValue fw={700}>{formatMoney(receipt.amountCents, receipt.currency)}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>For</DataList.ItemLabel>
            <DataList.ItemValue>Membership dues, fiscal year {receipt.fiscalYear}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Invoice</DataList.ItemLabel>
            <DataList.ItemValue>
              <Text span ff="monospace" size="sm">
                {receipt.invoiceId}
              </Text>
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Payment</DataList.ItemLabel>
            <DataList.ItemValue>
              <Text span ff="monospace" size="sm">
                {receipt.paymentId}
              </Text>
            </DataList.ItemValue>
          </DataList.Item>
        </DataList>
      </Stack>
    </Card>
  );
}
