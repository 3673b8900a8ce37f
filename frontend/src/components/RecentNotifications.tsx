// The signed-in member's (or reviewer's) own recent emails: what each was
// about, its subject, when, and whether it went out. The API shows each caller
// only its own.
import { Table, Text } from "@mantine/core";
import { useQuery } from "urql";

import { graphql } from "../gql";
import { formatDateTime, formatNumber } from "./format";
import { kindLabel, RECIPIENT_STATUS_LABELS } from "./notifications";
import { QueryState } from "./QueryState";
import { StatusBadge } from "./StatusBadge";

export const RECENT_COUNT = 20;

const MyNotificationsQuery = graphql(`
  query MyNotifications($first: Int!) {
    notifications(first: $first) {
      totalCount
      edges {
        node {
          id
          kind
          recipient
          subject
          status
          createdAt
          sentAt
        }
      }
    }
  }
`);

export function RecentNotifications({ empty }: { empty: string }) {
  const [result, refetch] = useQuery({ query: MyNotificationsQuery, variables: { first: RECENT_COUNT } });
  return (
    <QueryState
      result={result}
      onRetry={() => refetch({ requestPolicy: "network-only" })}
      isEmpty={(data) => data.notifications.edges.length === 0}
      empty={empty}
    >
      {({ notifications }) => (
        <>
          <Table.ScrollContainer minWidth={640}>
            <Table striped aria-label="Recent emails">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">When</Table.Th>
                  <Table.Th scope="col">About</Table.Th>
                  <Table.Th scope="col">Subject</Table.Th>
                  <Table.Th scope="col">To</Table.Th>
                  <Table.Th scope="col">Delivery</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {notifications.edges.map(({ node }) => (
                  <Table.Tr key={node.id}>
                    <Table.Td>{formatDateTime(node.sentAt ?? node.createdAt)}</Table.Td>
                    <Table.Td>{kindLabel(node.kind)}</Table.Td>
                    <Table.Td>{node.subject || "—"}</Table.Td>
                    <Table.Td>{node.recipient}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={node.status} label={RECIPIENT_STATUS_LABELS[node.status]} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {notifications.totalCount > notifications.edges.length && (
            <Text size="sm" c="gray.7" mt="xs">
              The {formatNumber(notifications.edges.length)} most recent of {formatNumber(notifications.totalCount)}{" "}
              emails.
            </Text>
          )}
        </>
      )}
    </QueryState>
  );
}
