// Staff: the partnership queue. Proposals and pending agreements await staff
// first; each status has its tab with its count; each row carries the moves
// that can happen next.
import { Anchor, Badge, Group, Stack, Table, Tabs, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconSearch } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";

import { formatDate, formatNumber, humanize } from "../../../../components/format";
import { PageTitle } from "../../../../components/PageTitle";
import { QueryState } from "../../../../components/QueryState";
import { RequireRole } from "../../../../components/RequireRole";
import { StatusBadge } from "../../../../components/StatusBadge";
import { graphql } from "../../../../gql";
import type { PartnershipStatus } from "../../../../gql/graphql";
import { PARTNERSHIP_STATUSES } from "../shared/labels";
import { CursorPager } from "../shared/Pager";
import { useCursorPages } from "../shared/useCursorPages";
import { PartnershipActions } from "./PartnershipActions";
import { memberLabel } from "./names";

const PAGE_SIZE = 25;

const QueueCountsQuery = graphql(`
  query StaffPartnershipQueueCounts($search: String) {
    proposed: partnerships(filter: { status: PROPOSED, search: $search }, first: 0) {
      totalCount
    }
    pending: partnerships(filter: { status: PENDING, search: $search }, first: 0) {
      totalCount
    }
    active: partnerships(filter: { status: ACTIVE, search: $search }, first: 0) {
      totalCount
    }
    dormant: partnerships(filter: { status: DORMANT, search: $search }, first: 0) {
      totalCount
    }
    terminated: partnerships(filter: { status: TERMINATED, search: $search }, first: 0) {
      totalCount
    }
  }
`);

const QueueQuery = graphql(`
  query StaffPartnershipQueue($filter: PartnershipFilter, $first: Int!, $after: String, $orderBy: PartnershipOrder!) {
    partnerships(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...StaffPartnershipFields
        }
      }
    }
  }
`);

const TAB_LABELS: Record<PartnershipStatus, string> = {
  PROPOSED: "Proposed",
  PENDING: "Pending",
  ACTIVE: "Active",
  DORMANT: "Dormant",
  TERMINATED: "Terminated",
};

const EMPTY: Record<PartnershipStatus, string> = {
  PROPOSED: "No proposal awaits staff.",
  PENDING: "No agreement awaits verification.",
  ACTIVE: "No active partnership.",
  DORMANT: "No dormant partnership.",
  TERMINATED: "No terminated partnership.",
};

export function PartnershipQueuePage() {
  return (
    <RequireRole role="staff">
      <PartnershipQueue />
    </RequireRole>
  );
}

function isStatus(value: string | null): value is PartnershipStatus {
  return PARTNERSHIP_STATUSES.includes(value as PartnershipStatus);
}

function PartnershipQueue() {
  const [params, setParams] = useSearchParams();
  const requested = params.get("status");
  const status: PartnershipStatus = isStatus(requested) ? requested : "PROPOSED";
  const urlSearch = params.get("search") ?? "";
  const [search, setSearch] = useState(urlSearch);
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const pages = useCursorPages();

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

  useEffect(() => {
    if (debounced !== urlSearch) setParam("search", debounced || null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the typed text settles
  }, [debounced]);

  const [counts] = useQuery({ query: QueueCountsQuery, variables: { search: urlSearch || null } });
  const waiting = status === "PROPOSED" || status === "PENDING";
  const [result, refetch] = useQuery({
    query: QueueQuery,
    variables: {
      filter: { status, search: urlSearch || null },
      first: PAGE_SIZE,
      after: pages.after,
      orderBy: "NAME_ASC",
    },
  });
  const count = (s: PartnershipStatus) => {
    const data = counts.data;
    if (!data) return null;
    return { PROPOSED: data.proposed, PENDING: data.pending, ACTIVE: data.active, DORMANT: data.dormant, TERMINATED: data.terminated }[s]
      .totalCount;
  };

  return (
    <Stack gap="md">
      <PageTitle>Partnership queue</PageTitle>
      <Text size="sm" c="dimmed" maw={760}>
        A proposal becomes pending once its signed agreement is recorded, and active once staff verify it; an active
        partnership of a member in good standing is recognized and shows in the public directory.
      </Text>
      <TextInput
        label="Community name"
        description="Words of the partner community's or the U.S. member's name"
        placeholder="e.g. Kraków"
        leftSection={<IconSearch size={16} aria-hidden />}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        maw={420}
      />
      <Tabs value={status} onChange={(value) => setParam("status", value === "PROPOSED" ? null : value)} keepMounted={false}>
        <Tabs.List aria-label="Partnerships by status">
          {PARTNERSHIP_STATUSES.map((s) => {
            const n = count(s);
            return (
              <Tabs.Tab
                key={s}
                value={s}
                rightSection={
                  n !== null && (
                    <Badge size="sm" variant={n > 0 && (s === "PROPOSED" || s === "PENDING") ? "filled" : "light"} color="gray">
                      {formatNumber(n)}
                    </Badge>
                  )
                }
              >
                {TAB_LABELS[s]}
              </Tabs.Tab>
            );
          })}
        </Tabs.List>
        {PARTNERSHIP_STATUSES.map((s) => (
          <Tabs.Panel key={s} value={s} pt="md">
            <QueryState
              result={result}
              onRetry={() => refetch({ requestPolicy: "network-only" })}
              isEmpty={(data) => data.partnerships.edges.length === 0}
              empty={urlSearch ? `No ${TAB_LABELS[s].toLowerCase()} partnership matches “${urlSearch}”.` : EMPTY[s]}
            >
              {({ partnerships }) => (
                <>
                  <Table.ScrollContainer minWidth={900}>
                    <Table striped aria-label={`${TAB_LABELS[s]} partnerships`} verticalSpacing="sm">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th scope="col">Partner community</Table.Th>
                          <Table.Th scope="col">U.S. member</Table.Th>
                          <Table.Th scope="col">Type and areas</Table.Th>
                          <Table.Th scope="col">{waiting ? "Proposed" : "Signed"}</Table.Th>
                          <Table.Th scope="col">Next step</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {partnerships.edges.map(({ node }) => (
                          <Table.Tr key={node.id}>
                            <Table.Td>
                              <Anchor component={Link} to={`/staff/partnerships/${node.id}`} fw={600}>
                                {node.partnerRegion ? `${node.partnerCity}, ${node.partnerRegion}` : node.partnerCity}
                              </Anchor>
                              <Text size="xs" c="dimmed">
                                {node.countryName}
                              </Text>
                            </Table.Td>
                            <Table.Td>
                              <Anchor component={Link} to={`/staff/members/${node.memberId}`} size="sm">
                                {memberLabel(node)}
                              </Anchor>
                              {node.member && (
                                <Group gap={4} mt={2}>
                                  <StatusBadge status={node.member.status} />
                                  {node.member.goodStanding === false && (
                                    <Text size="xs" c="red.8">
                                      not in good standing
                                    </Text>
                                  )}
                                </Group>
                              )}
                            </Table.Td>
                            <Table.Td>
                              <Text size="sm">{humanize(node.type)}</Text>
                              <Text size="xs" c="dimmed">
                                {node.programAreas.length ? node.programAreas.map(humanize).join(", ") : "No areas given"}
                              </Text>
                            </Table.Td>
                            <Table.Td>
                              {waiting ? formatDate(node.createdAt) : node.signedOn ? formatDate(node.signedOn) : (node.establishedYear ?? "—")}
                            </Table.Td>
                            <Table.Td>
                              {node.status === "TERMINATED" ? (
                                <Text size="sm" c="dimmed">
                                  None
                                </Text>
                              ) : (
                                <PartnershipActions partnership={node} size="xs" />
                              )}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                  <CursorPager
                    label={`${TAB_LABELS[s].toLowerCase()} partnerships`}
                    page={pages.page}
                    pageSize={PAGE_SIZE}
                    total={partnerships.totalCount}
                    shown={partnerships.edges.length}
                    endCursor={partnerships.pageInfo.endCursor}
                    hasNextPage={partnerships.pageInfo.hasNextPage}
                    onNext={pages.next}
                    onPrevious={pages.previous}
                  />
                </>
              )}
            </QueryState>
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
