import { Alert, Anchor, Button, Card, DataList, Group, SimpleGrid, Stack, Text, Timeline, Title } from "@mantine/core";
import { IconCircleCheck, IconCircleX } from "@tabler/icons-react";
import { Link } from "react-router";
import { useQuery } from "urql";

import { PageTitle } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDate, formatDateTime, formatMoney, formatNumber, humanize } from "../../components/format";
import { graphql } from "../../gql";
import { bandLabel, useMemberId } from "./shared";

const MemberOverviewQuery = graphql(`
  query MemberOverview($id: ID!) {
    member(id: $id) {
      id
      name
      kind
      state
      population
      status
      goodStanding
      duesBand
      contactEmail
      website
      joinedOn
      currentInvoice {
        id
        fiscalYear
        status
        amountCents
        currency
        dueDate
        graceEndsOn
      }
      statusHistory {
        oldStatus
        newStatus
        goodStanding
        reason
        changedAt
        effectiveOn
      }
    }
  }
`);

const STATUS_TEXT: Record<string, string> = {
  PENDING: "Your membership starts once the first dues invoice is paid.",
  ACTIVE: "Your community is current on its dues.",
  GRACE: "A dues invoice is past its due date; you are still in good standing during the grace period.",
  LAPSED: "A dues invoice is unpaid after its grace period. Pay it to become active again.",
  CANCELLED: "The membership was cancelled.",
};

export function Overview() {
  const memberId = useMemberId();
  const [result, refetch] = useQuery({ query: MemberOverviewQuery, variables: { id: memberId } });

  return (
    <Stack>
      <PageTitle>Our membership</PageTitle>
      <QueryState
        result={result}
        onRetry={() => refetch({ requestPolicy: "network-only" })}
        isEmpty={(data) => !data.member}
        empty="We could not find your member community."
      >
        {({ member }) =>
          member && (
            <Stack>
              <Card withBorder>
                <Stack gap="sm">
                  <Group justify="space-between" wrap="wrap">
                    <Title order={3}>
                      {member.name}, {member.state}
                    </Title>
                    <Group gap="xs" data-testid="membership-status">
                      <Text size="sm">Membership status</Text>
                      <StatusBadge status={member.status} />
                    </Group>
                  </Group>
                  {member.status && <Text>{STATUS_TEXT[member.status]}</Text>}
                  <Group gap="xs">
                    {member.goodStanding ? (
                      <IconCircleCheck color="var(--mantine-color-green-8)" aria-hidden />
                    ) : (
                      <IconCircleX color="var(--mantine-color-red-8)" aria-hidden />
                    )}
                    <Text fw={500} data-testid="good-standing">
                      {member.goodStanding ? "In good standing" : "Not in good standing"}
                    </Text>
                  </Group>
                </Stack>
              </Card>

              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Card withBorder>
                  <Title order={3} size="h4" mb="sm">
                    Community
                  </Title>
                  <DataList labelWidth="10rem">
                    <DataList.Item>
                      <DataList.ItemLabel>Kind</DataList.ItemLabel>
                      <DataList.ItemValue>{humanize(member.kind)}</DataList.ItemValue>
                    </DataList.Item>
                    <DataList.Item>
                      <DataList.ItemLabel>Population</DataList.ItemLabel>
                      <DataList.ItemValue>
                        {member.population != null ? formatNumber(member.population) : "Not known"}
                      </DataList.ItemValue>
                    </DataList.Item>
                    <DataList.Item>
                      <DataList.ItemLabel>Dues band</DataList.ItemLabel>
                      <DataList.ItemValue>{bandLabel(member.duesBand)}</DataList.ItemValue>
                    </DataList.Item>
                    <DataList.Item>
                      <DataList.ItemLabel>Member since</DataList.ItemLabel>
                      <DataList.ItemValue>{formatDate(member.joinedOn)}</DataList.ItemValue>
                    </DataList.Item>
                    <DataList.Item>
                      <DataList.ItemLabel>Contact email</DataList.ItemLabel>
                      <DataList.ItemValue>{member.contactEmail ?? "—"}</DataList.ItemValue>
                    </DataList.Item>
                    <DataList.Item>
                      <DataList.ItemLabel>Website</DataList.ItemLabel>
                      <DataList.ItemValue>
                        {member.website ? (
                          <Anchor href={member.website} target="_blank" rel="noopener noreferrer">
                            {member.website}
                          </Anchor>
                        ) : (
                          "—"
                        )}
                      </DataList.ItemValue>
                    </DataList.Item>
                  </DataList>
                  <Anchor component={Link} to="/member/details" size="sm" mt="sm" display="block">
                    Edit contact details
                  </Anchor>
                </Card>
                <Card withBorder>
                  <Title order={3} size="h4" mb="sm">
                    This year's dues
                  </Title>
                  {member.currentInvoice ? (
                    <Stack gap="sm">
                      <DataList labelWidth="10rem">
                        <DataList.Item>
                          <DataList.ItemLabel>Fiscal year</DataList.ItemLabel>
                          <DataList.ItemValue>{member.currentInvoice.fiscalYear}</DataList.ItemValue>
                        </DataList.Item>
                        <DataList.Item>
                          <DataList.ItemLabel>Amount</DataList.ItemLabel>
                          <DataList.ItemValue>
                            {formatMoney(member.currentInvoice.amountCents, member.currentInvoice.currency)}
                          </DataList.ItemValue>
                        </DataList.Item>
                        <DataList.Item>
                          <DataList.ItemLabel>Due</DataList.ItemLabel>
                          <DataList.ItemValue>{formatDate(member.currentInvoice.dueDate)}</DataList.ItemValue>
                        </DataList.Item>
                        <DataList.Item>
                          <DataList.ItemLabel>Status</DataList.ItemLabel>
                          <DataList.ItemValue>
                            <StatusBadge status={member.currentInvoice.status} />
                          </DataList.ItemValue>
                        </DataList.Item>
                      </DataList>
                      {member.currentInvoice.status === "OPEN" && (
                        <Button component={Link} to="/member/invoices" w="fit-content">
                          Pay dues
                        </Button>
                      )}
                    </Stack>
                  ) : (
                    <Text c="gray.7">No invoice has been issued for this fiscal year yet.</Text>
                  )}
                  <Anchor component={Link} to="/member/invoices" size="sm" mt="sm" display="block">
                    All invoices and receipts
                  </Anchor>
                </Card>
              </SimpleGrid>

              <Card withBorder>
                <Title order={3} size="h4" mb="md">
                  Status history
                </Title>
                {member.statusHistory && member.statusHistory.length > 0 ? (
                  <Timeline active={member.statusHistory.length - 1} bulletSize={16} lineWidth={2}>
                    {[...member.statusHistory].reverse().map((change) => (
                      <Timeline.Item
                        key={`${change.changedAt}-${change.newStatus}`}
                        title={
                          <Group gap="xs">
                            {change.oldStatus && (
                              <>
                                <StatusBadge status={change.oldStatus} />
                                <Text span aria-label="to">
                                  →
                                </Text>
                              </>
                            )}
                            <StatusBadge status={change.newStatus} />
                          </Group>
                        }
                      >
                        <Text size="sm">{humanize(change.reason)}</Text>
                        <Text size="xs" c="gray.7">
                          Effective {formatDate(change.effectiveOn)} · recorded {formatDateTime(change.changedAt)} ·{" "}
                          {change.goodStanding ? "in good standing" : "not in good standing"}
                        </Text>
                      </Timeline.Item>
                    ))}
                  </Timeline>
                ) : (
                  <Alert color="gray">No status changes recorded yet.</Alert>
                )}
              </Card>
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}
