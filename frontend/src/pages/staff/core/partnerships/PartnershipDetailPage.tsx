// Staff: one partnership: both communities, the agreement on file, whether it
// is recognized, every recorded change, and the moves that can happen next.
import { Alert, Anchor, Breadcrumbs, Card, Group, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";

import { formatDate, formatDateTime, humanize } from "../../../../components/format";
import { PageTitle } from "../../../../components/PageTitle";
import { EmptyState, QueryState } from "../../../../components/QueryState";
import { RequireRole } from "../../../../components/RequireRole";
import { StatusBadge } from "../../../../components/StatusBadge";
import { graphql } from "../../../../gql";
import type { StaffPartnershipFieldsFragment } from "../../../../gql/graphql";
import { memberLabel, partnerName } from "./names";
import { PartnershipActions } from "./PartnershipActions";

const PartnershipDetailQuery = graphql(`
  query StaffPartnershipDetail($id: ID!) {
    partnership(id: $id) {
      ...StaffPartnershipFields
    }
  }
`);

export function PartnershipDetailPage() {
  return (
    <RequireRole role="staff">
      <PartnershipDetail />
    </RequireRole>
  );
}

function PartnershipDetail() {
  const { id = "" } = useParams();
  const [result, refetch] = useQuery({ query: PartnershipDetailQuery, variables: { id } });
  const p = result.data?.partnership;
  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to={p ? `/staff/partnerships?status=${p.status}` : "/staff/partnerships"}>
          Partnership queue
        </Anchor>
        <Text size="sm">{p ? p.partnerCity : "Partnership"}</Text>
      </Breadcrumbs>
      <QueryState
        result={result}
        onRetry={() => refetch({ requestPolicy: "network-only" })}
        isEmpty={(data) => !data.partnership}
        empty="There is no partnership with this id."
      >
        {(data) => data.partnership && <PartnershipView partnership={data.partnership} />}
      </QueryState>
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={700} tt="uppercase" component="dt">
        {label}
      </Text>
      <Text size="sm" component="dd" m={0} style={{ overflowWrap: "anywhere" }}>
        {children}
      </Text>
    </div>
  );
}

function PartnershipView({ partnership: p }: { partnership: StaffPartnershipFieldsFragment }) {
  const history = [...p.history].reverse();
  return (
    <>
      <PageTitle actions={<PartnershipActions partnership={p} />}>{`${p.partnerCity} and ${p.memberName ?? "its U.S. member"}`}</PageTitle>
      {p.recognized ? (
        <Alert color="green" title="Recognized" role="status">
          Active, and the member is in good standing: it shows in the{" "}
          <Anchor component={Link} to={`/directory?search=${encodeURIComponent(p.partnerCity)}`}>
            public directory
          </Anchor>
          .
        </Alert>
      ) : p.status === "ACTIVE" ? (
        <Alert color="yellow" title="Active, not recognized" role="status">
          The member is not in good standing, so the partnership is not shown in the public directory until it is.
        </Alert>
      ) : null}
      <Card withBorder>
        <Group mb="sm" gap="xs">
          <StatusBadge status={p.status} />
          <Text size="sm">{humanize(p.type)} partnership</Text>
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} component="dl" m={0}>
          <Field label="Partner community">{partnerName(p)}</Field>
          <Field label="Continent">{p.continentName}</Field>
          <Field label="U.S. member">
            <Anchor component={Link} to={`/staff/members/${p.memberId}`}>
              {memberLabel(p)}
            </Anchor>
            {p.member && (
              <Text span size="sm" c={p.member.goodStanding ? undefined : "red.8"}>
                {" "}
                ({p.member.goodStanding ? "in good standing" : "not in good standing"})
              </Text>
            )}
          </Field>
          <Field label="Programme areas">{p.programAreas.length ? p.programAreas.map(humanize).join(", ") : "None given"}</Field>
          <Field label="Established">{p.establishedYear ?? "—"}</Field>
          <Field label="Latest signing">{formatDate(p.signedOn)}</Field>
          <Field label="Proposed">{formatDateTime(p.createdAt)}</Field>
          <Field label="Last change">{formatDateTime(p.updatedAt)}</Field>
        </SimpleGrid>
      </Card>

      <section aria-labelledby="partnership-agreement">
        <Title order={3} size="h4" id="partnership-agreement" mb="xs">
          Agreement on file
        </Title>
        {p.agreement ? (
          <Card withBorder>
            <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} component="dl" m={0}>
              <Field label="Council resolution">{p.agreement.councilResolution}</Field>
              <Field label="Signed on">{formatDate(p.agreement.signedOn)}</Field>
              <Field label="U.S. signatory">{p.agreement.usSignatory}</Field>
              <Field label="Partner signatory">{p.agreement.partnerSignatory}</Field>
              <Field label="Document">{p.agreement.documentReference}</Field>
            </SimpleGrid>
          </Card>
        ) : (
          <EmptyState>No agreement recorded yet.</EmptyState>
        )}
      </section>

      <section aria-labelledby="partnership-history">
        <Title order={3} size="h4" id="partnership-history" mb="xs">
          History
        </Title>
        <Table.ScrollContainer minWidth={720}>
          <Table striped aria-labelledby="partnership-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">When</Table.Th>
                <Table.Th scope="col">What</Table.Th>
                <Table.Th scope="col" miw={130}>
                  Status
                </Table.Th>
                <Table.Th scope="col">Who</Table.Th>
                <Table.Th scope="col">Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {history.map((h) => (
                <Table.Tr key={`${h.at}-${h.action}`}>
                  <Table.Td>{formatDateTime(h.at)}</Table.Td>
                  <Table.Td>{humanize(h.action)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={h.toStatus} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ overflowWrap: "anywhere" }}>
                      {h.actor ?? "—"}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {h.actorRole}
                    </Text>
                  </Table.Td>
                  <Table.Td>{h.reason || "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </section>
    </>
  );
}
