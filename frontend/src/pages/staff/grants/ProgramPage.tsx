import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  List,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from "@mantine/core";
import { IconEdit } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { useQuery } from "urql";

import { PageTitle } from "../../../components/PageTitle";
import { QueryState } from "../../../components/QueryState";
import { RequireRole } from "../../../components/RequireRole";
import { StatusBadge } from "../../../components/StatusBadge";
import { formatDateTime, formatMoney, formatNumber, humanize } from "../../../components/format";
import { graphql } from "../../../gql";
import type { GrantApplicationStatus, StaffGrantsProgramQuery } from "../../../gql/graphql";
import { AssignReviewers, PublishButton } from "./ProgramActions";
import { AREA_LABELS, REQUIREMENT_LABELS } from "./programForm";
import { StaffGrantsProgram, StaffGrantsReviewers } from "./queries";
import { RankingView } from "./RankingView";

const Ranking = graphql(`
  query StaffGrantsRanking($programId: ID!) {
    programRanking(programId: $programId) {
      programId
      budgetCents
      awardedCents
      remainingCents
      disagreementThreshold
      entries {
        rank
        applicationId
        memberId
        applicantName
        title
        status
        amountRequestedCents
        cumulativeRequestedCents
        reviewsExpected
        reviews
        score
        spread
        disagreement
      }
    }
  }
`);

const Applications = graphql(`
  query StaffGrantsApplications($filter: ApplicationFilter, $first: Int!, $after: String) {
    applications(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          title
          applicantName
          status
          amountRequestedCents
          currency
          submittedAt
          score {
            reviews
            score
            disagreement
          }
        }
      }
    }
  }
`);

type Program = StaffGrantsProgramQuery["grantProgram"];
const PAGE = 25;
const TABS = ["applications", "ranking", "definition"] as const;

export function ProgramPage() {
  return (
    <RequireRole role="staff">
      <Programme />
    </RequireRole>
  );
}

function Programme() {
  const { programId = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((t) => t === params.get("tab")) ?? "applications";
  const [result, refetch] = useQuery({ query: StaffGrantsProgram, variables: { id: programId } });
  return (
    <Stack>
      <Anchor component={Link} to="/staff/grants" size="sm">
        ← Grant programmes
      </Anchor>
      {!result.data && <PageTitle>Grant programme</PageTitle>}
      <QueryState result={result} onRetry={() => refetch({ requestPolicy: "network-only" })}>
        {({ grantProgram: program }) => (
          <Stack>
            <PageTitle
              actions={
                <Group gap="xs">
                  <StatusBadge status={program.phase} />
                  {program.status === "DRAFT" && (
                    <>
                      <Button
                        component={Link}
                        to={`/staff/grants/${program.id}/edit`}
                        variant="default"
                        leftSection={<IconEdit size={16} aria-hidden />}
                      >
                        Edit draft
                      </Button>
                      <PublishButton program={program} />
                    </>
                  )}
                </Group>
              }
            >
              {program.name}
            </PageTitle>
            <Summary program={program} />
            <Tabs value={tab} onChange={(t) => setParams(t ? { tab: t } : {}, { replace: true })}>
              <Tabs.List>
                <Tabs.Tab value="applications">Applications</Tabs.Tab>
                <Tabs.Tab value="ranking">Ranking</Tabs.Tab>
                <Tabs.Tab value="definition">Rules and rubric</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="applications" pt="md">
                {tab === "applications" && <ApplicationsTab program={program} />}
              </Tabs.Panel>
              <Tabs.Panel value="ranking" pt="md">
                {tab === "ranking" && <RankingTab program={program} />}
              </Tabs.Panel>
              <Tabs.Panel value="definition" pt="md">
                {tab === "definition" && <Definition program={program} />}
              </Tabs.Panel>
            </Tabs>
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text>{children}</Text>
    </div>
  );
}

function Summary({ program }: { program: Program }) {
  const money = (cents: number | null | undefined) => (cents == null ? "—" : formatMoney(cents, program.currency));
  return (
    <Card withBorder>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Fact label="Opens">{formatDateTime(program.opensAt)}</Fact>
        <Fact label="Closes">{formatDateTime(program.closesAt)}</Fact>
        <Fact label="Budget">{money(program.budgetCents)}</Fact>
        <Fact label="Maximum award">{money(program.maxAwardCents)}</Fact>
        <Fact label="Awarded">{money(program.awardedCents)}</Fact>
        <Fact label="Remaining">{money(program.remainingCents)}</Fact>
        <Fact label="Reviewers per application">{program.reviewersPerApplication}</Fact>
        <Fact label="Blind review">{program.blindReview ? "Yes" : "No"}</Fact>
      </SimpleGrid>
      {program.description && (
        <Text mt="md" style={{ whiteSpace: "pre-wrap" }}>
          {program.description}
        </Text>
      )}
    </Card>
  );
}

const STATUS_OPTIONS: { value: GrantApplicationStatus | "ALL"; label: string }[] = [
  { value: "ALL", label: "Every status" },
  ...(["SUBMITTED", "IN_REVIEW", "INELIGIBLE", "AWARDED", "DECLINED", "DRAFT", "WITHDRAWN"] as const).map((s) => ({
    value: s,
    label: humanize(s),
  })),
];

function ApplicationsTab({ program }: { program: Program }) {
  const [status, setStatus] = useState<GrantApplicationStatus | "ALL">("ALL");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const [result, refetch] = useQuery({
    query: Applications,
    variables: {
      filter: { programId: program.id, statuses: status === "ALL" ? null : [status] },
      first: PAGE,
      after,
    },
  });
  const [reviewers] = useQuery({ query: StaffGrantsReviewers });
  const [ranking] = useQuery({ query: Ranking, variables: { programId: program.id }, pause: program.status === "DRAFT" });
  const names = new Map((reviewers.data?.reviewers ?? []).map((r) => [r.reviewerId, r.name]));
  const titles = new Map<string, string>();
  for (const e of ranking.data?.programRanking.entries ?? []) titles.set(e.applicationId, e.title);
  for (const e of result.data?.applications.edges ?? []) titles.set(e.node.id, e.node.title);

  return (
    <Stack>
      {program.status !== "DRAFT" && (
        <AssignReviewers
          programId={program.id}
          reviewerName={(id) => names.get(id) ?? id}
          applicationTitle={(id) => titles.get(id) || id}
        />
      )}
      <Group justify="space-between" align="flex-end">
        <Select
          label="Status"
          data={STATUS_OPTIONS}
          value={status}
          onChange={(v) => {
            setStatus((v as GrantApplicationStatus | "ALL" | null) ?? "ALL");
            setCursors([null]);
          }}
          allowDeselect={false}
          w={220}
        />
        {result.data && (
          <Text size="sm" c="dimmed">
            {result.data.applications.totalCount} application{result.data.applications.totalCount === 1 ? "" : "s"}
          </Text>
        )}
      </Group>
      <QueryState
        result={result}
        onRetry={() => refetch({ requestPolicy: "network-only" })}
        isEmpty={(d) => d.applications.edges.length === 0}
        empty={program.status === "DRAFT" ? "Members can apply once the programme is published and open." : "No applications yet."}
      >
        {(data) => (
          <>
            <Table.ScrollContainer minWidth={760}>
              <Table striped highlightOnHover captionSide="top">
                <Table.Caption>Applications to {program.name}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Application</Table.Th>
                    <Table.Th>Applicant</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th ta="right">Requested</Table.Th>
                    <Table.Th>Submitted</Table.Th>
                    <Table.Th>Reviews</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.applications.edges.map(({ node }) => (
                    <Table.Tr key={node.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/staff/grants/applications/${node.id}`}>
                          {node.title || "Untitled application"}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{node.applicantName ?? "—"}</Table.Td>
                      <Table.Td>
                        <StatusBadge status={node.status} />
                      </Table.Td>
                      <Table.Td ta="right">{formatMoney(node.amountRequestedCents, node.currency)}</Table.Td>
                      <Table.Td>{formatDateTime(node.submittedAt)}</Table.Td>
                      <Table.Td>
                        {node.score ? (
                          <Group gap={4} wrap="nowrap">
                            <Text size="sm">
                              {node.score.reviews} in
                              {node.score.score != null ? ` · ${node.score.score.toFixed(1)}` : ""}
                            </Text>
                            {node.score.disagreement && (
                              <Badge color="orange" variant="light" size="sm">
                                Disagreement
                              </Badge>
                            )}
                          </Group>
                        ) : (
                          "—"
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Group>
              <Button
                variant="default"
                disabled={cursors.length === 1}
                onClick={() => setCursors((c) => c.slice(0, -1))}
              >
                Previous page
              </Button>
              <Button
                variant="default"
                disabled={!data.applications.pageInfo.hasNextPage}
                onClick={() => {
                  const end = data.applications.pageInfo.endCursor;
                  if (end) setCursors((c) => [...c, end]);
                }}
              >
                Next page
              </Button>
            </Group>
          </>
        )}
      </QueryState>
    </Stack>
  );
}

function RankingTab({ program }: { program: Program }) {
  const [result, refetch] = useQuery({ query: Ranking, variables: { programId: program.id } });
  return (
    <QueryState result={result} onRetry={() => refetch({ requestPolicy: "network-only" })}>
      {(data) => <RankingView ranking={data.programRanking} currency={program.currency} />}
    </QueryState>
  );
}

function Definition({ program }: { program: Program }) {
  const rules = program.eligibility;
  const weights = program.rubric.reduce((sum, c) => sum + c.weight, 0);
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Card withBorder>
        <Title order={3} size="h4" mb="xs">
          Eligibility
        </Title>
        <List size="sm" spacing={4}>
          <List.Item>Programme areas: {program.areas.map((a) => AREA_LABELS[a] ?? a).join(", ")}</List.Item>
          <List.Item>{rules.goodStandingRequired ? "Good standing required" : "Good standing not required"}</List.Item>
          <List.Item>{REQUIREMENT_LABELS[rules.partnershipRequirement]}</List.Item>
          <List.Item>
            {rules.maxPopulation ? `Population up to ${formatNumber(rules.maxPopulation)}` : "Any population"}
          </List.Item>
          <List.Item>
            {rules.allowedCountries.length
              ? `Partner countries: ${rules.allowedCountries.join(", ")}`
              : "Any partner country"}
          </List.Item>
          <List.Item>
            {rules.coolingOffYears
              ? `Past grantees wait ${rules.coolingOffYears} year(s)`
              : "No cooling-off period for past grantees"}
          </List.Item>
        </List>
        <Title order={3} size="h4" mt="md" mb="xs">
          Review
        </Title>
        <List size="sm" spacing={4}>
          <List.Item>{program.reviewersPerApplication} reviewer(s) per application</List.Item>
          <List.Item>{program.blindReview ? "Blind review" : "Reviewers see the applicant"}</List.Item>
          <List.Item>Disagreement above {program.disagreementThreshold} points</List.Item>
          <List.Item>
            {program.panel.length ? `Panel: ${program.panel.join(", ")}` : "Panel: every active reviewer"}
          </List.Item>
        </List>
      </Card>
      <Card withBorder>
        <Table.ScrollContainer minWidth={360}>
          <Table captionSide="top">
            <Table.Caption>Rubric</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Criterion</Table.Th>
                <Table.Th ta="right">Maximum</Table.Th>
                <Table.Th ta="right">Weight</Table.Th>
                <Table.Th ta="right">Share</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {program.rubric.map((c) => (
                <Table.Tr key={c.key}>
                  <Table.Td>
                    {c.name}
                    <Text size="xs" c="dimmed">
                      {c.key}
                      {c.anchors.length > 0 && ` · ${c.anchors.map((a) => `${a.score}: ${a.text}`).join("; ")}`}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{c.maxScore}</Table.Td>
                  <Table.Td ta="right">{c.weight}</Table.Td>
                  <Table.Td ta="right">{weights ? `${((c.weight / weights) * 100).toFixed(1)}%` : "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </SimpleGrid>
  );
}
