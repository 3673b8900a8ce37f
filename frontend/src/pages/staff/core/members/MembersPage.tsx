// Staff: every member community, searched by name and filtered by status,
// state and kind, a page at a time with the total count.
import { Anchor, Button, Select, SimpleGrid, Stack, Table, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconPlus, IconSearch } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";

import { formatNumber, humanize } from "../../../../components/format";
import { PageTitle } from "../../../../components/PageTitle";
import { QueryState } from "../../../../components/QueryState";
import { RequireRole } from "../../../../components/RequireRole";
import { StatusBadge } from "../../../../components/StatusBadge";
import { graphql } from "../../../../gql";
import type { MemberKind, MembershipStatus } from "../../../../gql/graphql";
import { BAND_LABELS, KIND_LABELS, KIND_OPTIONS, MEMBERSHIP_STATUSES } from "../shared/labels";
import { CursorPager } from "../shared/Pager";
import { useCursorPages } from "../shared/useCursorPages";
import { STATE_OPTIONS } from "../shared/usStates";

export const PAGE_SIZE = 25;

const StaffMembersQuery = graphql(`
  query StaffMembers($filter: MemberFilter, $first: Int!, $after: String) {
    members(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          kind
          state
          population
          status
          goodStanding
          duesBand
        }
      }
    }
  }
`);

const STATUS_OPTIONS = MEMBERSHIP_STATUSES.map((value) => ({ value, label: humanize(value) }));
const POPULATION_OPTIONS = [
  { value: "missing", label: "Missing: dues wait" },
  { value: "known", label: "Known" },
];

export function MembersPage() {
  return (
    <RequireRole role="staff">
      <Members />
    </RequireRole>
  );
}

function Members() {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get("search") ?? "");
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const status = params.get("status") as MembershipStatus | null;
  const state = params.get("state");
  const kind = params.get("kind") as MemberKind | null;
  const population = params.get("population");
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

  // The search box writes the URL once typing pauses.
  const urlSearch = params.get("search") ?? "";
  useEffect(() => {
    if (debouncedSearch !== urlSearch) setParam("search", debouncedSearch || null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the typed text settles
  }, [debouncedSearch]);

  const filter = {
    search: urlSearch || null,
    status: status || null,
    state: state || null,
    kind: kind || null,
    // Only when asked: a gateway without the field refuses it even as null.
    ...(population === "missing" || population === "known" ? { populationMissing: population === "missing" } : {}),
  };
  const [result, refetch] = useQuery({
    query: StaffMembersQuery,
    variables: { filter, first: PAGE_SIZE, after: pages.after },
  });
  const filtered = Boolean(urlSearch || status || state || kind || population);

  return (
    <Stack gap="md">
      <PageTitle
        actions={
          <Button component={Link} to="/staff/members/new" leftSection={<IconPlus size={16} aria-hidden />}>
            Register a member
          </Button>
        }
      >
        Members
      </PageTitle>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} role="search" aria-label="Find members">
        <TextInput
          label="Name"
          placeholder="Part of the name"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
        />
        <Select
          label="Status"
          placeholder="Any status"
          data={STATUS_OPTIONS}
          value={status}
          onChange={(value) => setParam("status", value)}
          clearable
        />
        <Select
          label="State"
          placeholder="Any state"
          data={STATE_OPTIONS}
          value={state}
          onChange={(value) => setParam("state", value)}
          searchable
          clearable
          nothingFoundMessage="No such state"
        />
        <Select
          label="Kind"
          placeholder="Cities, counties and states"
          data={KIND_OPTIONS}
          value={kind}
          onChange={(value) => setParam("kind", value)}
          clearable
        />
        <Select
          label="Population"
          placeholder="Known or missing"
          data={POPULATION_OPTIONS}
          value={population}
          onChange={(value) => setParam("population", value)}
          clearable
        />
      </SimpleGrid>
      <QueryState
        result={result}
        onRetry={() => refetch({ requestPolicy: "network-only" })}
        isEmpty={(data) => data.members.edges.length === 0}
        empty={filtered ? "No member matches these filters." : "No members yet."}
      >
        {({ members }) => (
          <>
            <Table.ScrollContainer minWidth={760}>
              <Table striped highlightOnHover aria-label="Members">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Kind</Table.Th>
                    <Table.Th scope="col">State</Table.Th>
                    <Table.Th scope="col" ta="right">
                      Population
                    </Table.Th>
                    <Table.Th scope="col">Dues band</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Good standing</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {members.edges.map(({ node }) => (
                    <Table.Tr key={node.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/staff/members/${node.id}`}>
                          {node.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{KIND_LABELS[node.kind]}</Table.Td>
                      <Table.Td>{node.state}</Table.Td>
                      <Table.Td ta="right">{node.population == null ? "—" : formatNumber(node.population)}</Table.Td>
                      <Table.Td>{node.duesBand ? BAND_LABELS[node.duesBand] : "—"}</Table.Td>
                      <Table.Td>
                        <StatusBadge status={node.status} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{node.goodStanding == null ? "—" : node.goodStanding ? "Yes" : "No"}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <CursorPager
              label="members"
              page={pages.page}
              pageSize={PAGE_SIZE}
              total={members.totalCount}
              shown={members.edges.length}
              endCursor={members.pageInfo.endCursor}
              hasNextPage={members.pageInfo.hasNextPage}
              onNext={pages.next}
              onPrevious={pages.previous}
            />
          </>
        )}
      </QueryState>
    </Stack>
  );
}
