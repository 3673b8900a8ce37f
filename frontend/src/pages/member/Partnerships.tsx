import { Anchor, Badge, Button, Group, SegmentedControl, Stack, Table, Text } from "@mantine/core";
import { IconPlus, IconSearch } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router";
import { useQuery } from "urql";

import { PageTitle } from "../../components/PageTitle";
import { EmptyState, QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDate, humanize } from "../../components/format";
import { graphql } from "../../gql";
import { areaLabel, useMemberId } from "./shared";

const MemberPartnershipsQuery = graphql(`
  query MemberPartnerships($memberId: ID!) {
    partnerships(filter: { memberId: $memberId }, first: 200, orderBy: NAME_ASC) {
      totalCount
      edges {
        node {
          id
          partnerCity
          partnerRegion
          country
          countryName
          type
          status
          programAreas
          recognized
          signedOn
          establishedYear
        }
      }
    }
  }
`);

const FILTERS = [
  { value: "ALL", label: "All" },
  { value: "LIVE", label: "In progress" },
  { value: "ACTIVE", label: "Active" },
  { value: "ENDED", label: "Dormant or ended" },
];

function matches(filter: string, status: string): boolean {
  switch (filter) {
    case "LIVE":
      return status === "PROPOSED" || status === "PENDING";
    case "ACTIVE":
      return status === "ACTIVE";
    case "ENDED":
      return status === "DORMANT" || status === "TERMINATED";
    default:
      return true;
  }
}

export function Partnerships() {
  const memberId = useMemberId();
  const [filter, setFilter] = useState("ALL");
  const [result, refetch] = useQuery({ query: MemberPartnershipsQuery, variables: { memberId } });

  return (
    <Stack>
      <PageTitle
        actions={
          <Group gap="xs">
            <Button component={Link} to="/member/partnerships/suggestions" variant="default" leftSection={<IconSearch size={16} aria-hidden />}>
              Find partners
            </Button>
            <Button component={Link} to="/member/partnerships/new" leftSection={<IconPlus size={16} aria-hidden />}>
              Propose a partnership
            </Button>
          </Group>
        }
      >
        Our partnerships
      </PageTitle>
      <SegmentedControl
        data={FILTERS}
        value={filter}
        onChange={setFilter}
        aria-label="Show partnerships"
        w="fit-content"
        maw="100%"
      />
      <QueryState
        result={result}
        onRetry={() => refetch({ requestPolicy: "network-only" })}
        isEmpty={(data) => data.partnerships.edges.length === 0}
        empty="Your community has no partnerships yet. Propose one, or look at the partner suggestions."
      >
        {({ partnerships }) => {
          const rows = partnerships.edges.map((e) => e.node).filter((p) => matches(filter, p.status));
          if (rows.length === 0) return <EmptyState>No partnerships with this status.</EmptyState>;
          return (
            <Table.ScrollContainer minWidth={820}>
              <Table striped highlightOnHover aria-label="Our partnerships" captionSide="top">
                <Table.Caption>
                  {rows.length} of {partnerships.totalCount} partnerships of your community
                </Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Partner community</Table.Th>
                    <Table.Th>Country</Table.Th>
                    <Table.Th>Type</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Programme areas</Table.Th>
                    <Table.Th>Signed</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((p) => (
                    <Table.Tr key={p.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/member/partnerships/${p.id}`}>
                          {p.partnerCity}
                        </Anchor>
                        {p.partnerRegion && (
                          <Text size="xs" c="gray.7">
                            {p.partnerRegion}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{p.countryName}</Table.Td>
                      <Table.Td>{humanize(p.type)}</Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          <StatusBadge status={p.status} />
                          {p.recognized && (
                            <Badge color="teal" variant="outline" size="sm">
                              Recognized
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>{p.programAreas.length ? p.programAreas.map(areaLabel).join(", ") : "—"}</Table.Td>
                      <Table.Td>{p.signedOn ? formatDate(p.signedOn) : (p.establishedYear ?? "—")}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          );
        }}
      </QueryState>
    </Stack>
  );
}
