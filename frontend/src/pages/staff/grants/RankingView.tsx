import { Anchor, Badge, Card, Group, Progress, SimpleGrid, Stack, Table, Text, Tooltip } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { Link } from "react-router";

import { EmptyState } from "../../../components/QueryState";
import { StatusBadge } from "../../../components/StatusBadge";
import { formatMoney } from "../../../components/format";
import { budgetLine, type Ranking } from "./ranking";

function points(value: number | null | undefined): string {
  return value == null ? "—" : value.toFixed(2).replace(/\.?0+$/, "");
}

/** Applications by weighted score against the programme's remaining budget. */
export function RankingView({ ranking, currency }: { ranking: Ranking; currency: string }) {
  const line = budgetLine(ranking);
  const money = (cents: number) => formatMoney(cents, currency);
  const used = ranking.budgetCents > 0 ? (ranking.awardedCents / ranking.budgetCents) * 100 : 0;
  return (
    <Stack>
      <Card withBorder>
        <SimpleGrid cols={3}>
          <div>
            <Text size="xs" c="dimmed">
              Budget
            </Text>
            <Text fw={600}>{money(ranking.budgetCents)}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              Awarded
            </Text>
            <Text fw={600}>{money(ranking.awardedCents)}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              Remaining
            </Text>
            <Text fw={600} data-testid="remaining-budget">
              {money(ranking.remainingCents)}
            </Text>
          </div>
        </SimpleGrid>
        <Progress value={used} mt="sm" aria-label={`${Math.round(used)}% of the budget awarded`} />
        <Text size="xs" c="dimmed" mt="xs">
          Reviewers disagree when their totals are more than {points(ranking.disagreementThreshold)} points apart.
        </Text>
      </Card>
      {ranking.entries.length === 0 ? (
        <EmptyState>No submitted application to rank yet.</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={1100}>
          <Table striped captionSide="top">
            <Table.Caption>Applications by weighted score, highest first; unscored last</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Rank</Table.Th>
                <Table.Th>Application</Table.Th>
                <Table.Th miw={130}>Status</Table.Th>
                <Table.Th ta="right">Score</Table.Th>
                <Table.Th ta="right">Spread</Table.Th>
                <Table.Th>Reviews</Table.Th>
                <Table.Th ta="right">Requested</Table.Th>
                <Table.Th ta="right">Cumulative requested</Table.Th>
                <Table.Th>Remaining budget</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ranking.entries.map((entry) => {
                const place = line.get(entry.applicationId);
                return (
                  <Table.Tr key={entry.applicationId} data-testid={`rank-${entry.rank}`}>
                    <Table.Td>{entry.rank}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/staff/grants/applications/${entry.applicationId}`}>
                        {entry.title || "Untitled application"}
                      </Anchor>
                      {entry.applicantName && (
                        <Text size="xs" c="dimmed">
                          {entry.applicantName}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={entry.status} />
                    </Table.Td>
                    <Table.Td ta="right">{points(entry.score)}</Table.Td>
                    <Table.Td ta="right">
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        {points(entry.spread)}
                        {entry.disagreement && (
                          <Tooltip label="The reviewers' totals are further apart than the threshold">
                            <Badge color="orange" variant="light" leftSection={<IconAlertTriangle size={12} aria-hidden />}>
                              Disagreement
                            </Badge>
                          </Tooltip>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={entry.reviews < entry.reviewsExpected ? "orange.9" : undefined}>
                        {entry.reviews} of {entry.reviewsExpected}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{money(entry.amountRequestedCents)}</Table.Td>
                    <Table.Td ta="right">{money(entry.cumulativeRequestedCents)}</Table.Td>
                    <Table.Td>
                      {place ? (
                        place.fits ? (
                          <Badge color="green" variant="light">
                            Fits
                          </Badge>
                        ) : (
                          <Badge color="red" variant="light">
                            Beyond by {money(place.runningCents - ranking.remainingCents)}
                          </Badge>
                        )
                      ) : (
                        <Text size="sm" c="dimmed">
                          Decided
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
    </Stack>
  );
}
