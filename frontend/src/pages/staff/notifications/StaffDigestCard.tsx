// What waits for staff now: the daily digest's counts, each with a link to
// the page where it is dealt with.
import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { useQuery } from "urql";

import { formatDateTime, formatNumber } from "../../../components/format";
import { QueryState } from "../../../components/QueryState";
import { graphql } from "../../../gql";

const StaffDigestQuery = graphql(`
  query StaffDigest {
    staffDigest {
      paymentsHeld
      deadLetters
      membersMissingPopulation
      partnershipsAwaitingApproval
      reportsAwaitingReview
      generatedAt
    }
  }
`);

interface Item {
  label: string;
  count: number;
  /** Where staff deal with it; null: outside the web app. */
  to: string | null;
  action: ReactNode;
}

function DigestItem({ label, count, to, action }: Item) {
  return (
    <Card withBorder padding="sm" data-testid="digest-item">
      <Stack gap={4}>
        <Text size="sm" c="gray.7">
          {label}
        </Text>
        <Text size="xl" fw={700} c={count > 0 ? undefined : "gray.7"}>
          {formatNumber(count)}
        </Text>
        {to ? (
          <Anchor component={Link} to={to} size="sm">
            {action}
          </Anchor>
        ) : (
          <Text size="sm" c="gray.7">
            {action}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

export function StaffDigestCard() {
  const [result, refetch] = useQuery({ query: StaffDigestQuery, requestPolicy: "cache-and-network" });
  return (
    <Card withBorder component="section" aria-labelledby="digest-title">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={3} size="h4" id="digest-title">
          Waiting for staff
        </Title>
        {result.data && (
          <Text size="xs" c="gray.7">
            As of {formatDateTime(result.data.staffDigest.generatedAt)}
          </Text>
        )}
      </Group>
      <QueryState result={result} onRetry={() => refetch({ requestPolicy: "network-only" })}>
        {({ staffDigest: d }) => (
          <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }}>
            <DigestItem
              label="Payments held for an amount mismatch"
              count={d.paymentsHeld}
              to="/staff/payments?held=true"
              action="Review held payments"
            />
            <DigestItem
              label="Partnerships awaiting approval"
              count={d.partnershipsAwaitingApproval}
              to="/staff/partnerships?status=PENDING"
              action="Open the partnership queue"
            />
            <DigestItem
              label="Members whose population is missing"
              count={d.membersMissingPopulation}
              to="/staff/members?population=missing"
              action="List these members"
            />
            <DigestItem
              label="Grantee reports awaiting review"
              count={d.reportsAwaitingReview}
              to="/staff/grants"
              action="Open the grant programmes"
            />
            <DigestItem
              label="Dead letters"
              count={d.deadLetters}
              to={null}
              action={
                <>
                  Events that failed for good: <code>python -m common.deadletters list</code>
                </>
              }
            />
          </SimpleGrid>
        )}
      </QueryState>
    </Card>
  );
}
