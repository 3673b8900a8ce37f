import { Anchor, Button, Stack, Table, Tabs, Text } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";

import { PageTitle } from "../../../components/PageTitle";
import { QueryState } from "../../../components/QueryState";
import { RequireRole } from "../../../components/RequireRole";
import { StatusBadge } from "../../../components/StatusBadge";
import { formatDateTime, formatMoney } from "../../../components/format";
import { graphql } from "../../../gql";
import type { GrantProgramPhase } from "../../../gql/graphql";

const ProgramList = graphql(`
  query StaffGrantsPrograms($status: GrantProgramPhase) {
    grantPrograms(status: $status) {
      id
      name
      phase
      opensAt
      closesAt
      budgetCents
      maxAwardCents
      currency
      awardedCents
      remainingCents
    }
  }
`);

const PHASES: { value: GrantProgramPhase | "ALL"; label: string }[] = [
  { value: "ALL", label: "All" },
  { value: "DRAFT", label: "Drafts" },
  { value: "UPCOMING", label: "Upcoming" },
  { value: "OPEN", label: "Open" },
  { value: "CLOSED", label: "Closed" },
];

export function Programs() {
  return (
    <RequireRole role="staff">
      <ProgramsPage />
    </RequireRole>
  );
}

function ProgramsPage() {
  const [params, setParams] = useSearchParams();
  const phase = PHASES.find((p) => p.value === params.get("phase"))?.value ?? "ALL";
  const [result, refetch] = useQuery({
    query: ProgramList,
    variables: { status: phase === "ALL" ? null : phase },
  });
  return (
    <Stack>
      <PageTitle
        actions={
          <Button component={Link} to="/staff/grants/new" leftSection={<IconPlus size={16} aria-hidden />}>
            New programme
          </Button>
        }
      >
        Grant programmes
      </PageTitle>
      <Tabs
        value={phase}
        onChange={(value) => setParams(value && value !== "ALL" ? { phase: value } : {}, { replace: true })}
        aria-label="Programmes by phase"
      >
        <Tabs.List>
          {PHASES.map((p) => (
            <Tabs.Tab key={p.value} value={p.value}>
              {p.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <QueryState
        result={result}
        onRetry={() => refetch({ requestPolicy: "network-only" })}
        isEmpty={(d) => d.grantPrograms.length === 0}
        empty={phase === "ALL" ? "No grant programmes yet. Create the first one." : "No programme is in this phase."}
      >
        {(data) => (
          <Table.ScrollContainer minWidth={820}>
            <Table striped highlightOnHover captionSide="top">
              <Table.Caption>
                {PHASES.find((p) => p.value === phase)?.label} grant programmes ({data.grantPrograms.length})
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Programme</Table.Th>
                  <Table.Th>Phase</Table.Th>
                  <Table.Th>Opens</Table.Th>
                  <Table.Th>Closes</Table.Th>
                  <Table.Th ta="right">Budget</Table.Th>
                  <Table.Th ta="right">Awarded</Table.Th>
                  <Table.Th ta="right">Remaining</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.grantPrograms.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/staff/grants/${p.id}`}>
                        {p.name}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        Up to {formatMoney(p.maxAwardCents, p.currency)} per award
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={p.phase} />
                    </Table.Td>
                    <Table.Td>{formatDateTime(p.opensAt)}</Table.Td>
                    <Table.Td>{formatDateTime(p.closesAt)}</Table.Td>
                    <Table.Td ta="right">{formatMoney(p.budgetCents, p.currency)}</Table.Td>
                    <Table.Td ta="right">{p.awardedCents == null ? "—" : formatMoney(p.awardedCents, p.currency)}</Table.Td>
                    <Table.Td ta="right">
                      {p.remainingCents == null ? "—" : formatMoney(p.remainingCents, p.currency)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Stack>
  );
}
