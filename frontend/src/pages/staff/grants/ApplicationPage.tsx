import { Alert, Anchor, Badge, Button, Card, Group, List, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";

import { PageTitle } from "../../../components/PageTitle";
import { QueryState } from "../../../components/QueryState";
import { RequireRole } from "../../../components/RequireRole";
import { StatusBadge } from "../../../components/StatusBadge";
import { formatDate, formatDateTime, formatMoney } from "../../../components/format";
import { graphql } from "../../../gql";
import type { StaffGrantsApplicationQuery } from "../../../gql/graphql";
import { DecisionForm } from "./DecisionForm";
import { AREA_LABELS } from "./programForm";
import { StaffGrantsReviewers } from "./queries";

const Application = graphql(`
  query StaffGrantsApplication($id: ID!) {
    application(id: $id) {
      id
      programId
      title
      area
      amountRequestedCents
      currency
      narrative
      budget {
        item
        amountCents
      }
      attachments {
        name
        ref
      }
      status
      createdAt
      submittedAt
      memberId
      applicantName
      partnershipId
      partnerCity
      partnerCountry
      ineligibilityReasons
      decidedAt
      declineReasons
      decisionLetter
      withdrawnAt
      award {
        id
        amountCents
        currency
        conditions
        awardedAt
        agreementSignedAt
        paidCents
      }
      reviews {
        assignmentId
        reviewerId
        status
        scores {
          key
          score
        }
        total
        comment
        submittedAt
        recusalReason
      }
      score {
        reviews
        score
        spread
        disagreement
      }
      program {
        id
        name
        currency
        maxAwardCents
        remainingCents
        reviewersPerApplication
        rubric {
          key
          name
          maxScore
          weight
        }
      }
    }
  }
`);

type App = StaffGrantsApplicationQuery["application"];

function points(value: number | null | undefined): string {
  return value == null ? "—" : value.toFixed(2).replace(/\.?0+$/, "");
}

export function ApplicationPage() {
  return (
    <RequireRole role="staff">
      <StaffApplication />
    </RequireRole>
  );
}

function StaffApplication() {
  const { applicationId = "" } = useParams();
  const [result, refetch] = useQuery({ query: Application, variables: { id: applicationId } });
  return (
    <Stack>
      {result.data?.application.program ? (
        <Anchor component={Link} to={`/staff/grants/${result.data.application.program.id}`} size="sm">
          ← {result.data.application.program.name}
        </Anchor>
      ) : (
        <Anchor component={Link} to="/staff/grants" size="sm">
          ← Grant programmes
        </Anchor>
      )}
      {!result.data && <PageTitle>Application</PageTitle>}
      <QueryState result={result} onRetry={() => refetch({ requestPolicy: "network-only" })}>
        {({ application }) => <ApplicationView app={application} />}
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

function ApplicationView({ app }: { app: App }) {
  const money = (cents: number) => formatMoney(cents, app.currency);
  const decidable = app.status === "SUBMITTED" || app.status === "IN_REVIEW";
  const budgetTotal = app.budget.reduce((sum, l) => sum + l.amountCents, 0);
  return (
    <Stack gap="lg">
      <PageTitle actions={<StatusBadge status={app.status} />}>{app.title || "Untitled application"}</PageTitle>
      {app.status === "INELIGIBLE" && (
        <Alert color="orange" title="Not eligible">
          <List size="sm">
            {app.ineligibilityReasons.map((r) => (
              <List.Item key={r}>{r}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
          <Fact label="Applicant">
            {app.applicantName ?? app.memberId ?? "—"}
          </Fact>
          <Fact label="Partner">
            {[app.partnerCity, app.partnerCountry].filter(Boolean).join(", ") || "—"}
          </Fact>
          <Fact label="Programme area">{AREA_LABELS[app.area] ?? app.area}</Fact>
          <Fact label="Amount requested">{money(app.amountRequestedCents)}</Fact>
          <Fact label="Submitted">{formatDateTime(app.submittedAt)}</Fact>
          <Fact label="Decided">{formatDateTime(app.decidedAt)}</Fact>
        </SimpleGrid>
        <Title order={3} size="h5" mt="md" mb={4}>
          Narrative
        </Title>
        <Text style={{ whiteSpace: "pre-wrap" }}>{app.narrative || "—"}</Text>
        <Table.ScrollContainer minWidth={360} mt="md">
          <Table captionSide="top">
            <Table.Caption>Budget</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Item</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {app.budget.map((l, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{l.item}</Table.Td>
                  <Table.Td ta="right">{money(l.amountCents)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th>Total</Table.Th>
                <Table.Th ta="right">{money(budgetTotal)}</Table.Th>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
        {app.attachments.length > 0 && (
          <>
            <Title order={3} size="h5" mt="md" mb={4}>
              Attachments
            </Title>
            <List size="sm">
              {app.attachments.map((a) => (
                <List.Item key={a.ref}>
                  {/^https?:\/\//.test(a.ref) ? (
                    <Anchor href={a.ref} target="_blank" rel="noreferrer">
                      {a.name}
                    </Anchor>
                  ) : (
                    `${a.name} (${a.ref})`
                  )}
                </List.Item>
              ))}
            </List>
          </>
        )}
      </Card>

      <Reviews app={app} />

      {decidable && app.program && (
        <DecisionForm
          application={app}
          maxAwardCents={app.program.maxAwardCents}
          remainingCents={app.program.remainingCents ?? null}
        />
      )}

      {(app.status === "AWARDED" || app.status === "DECLINED") && (
        <Card withBorder component="section" aria-labelledby="letter-title">
          <Group justify="space-between" mb="xs">
            <Title order={3} size="h4" id="letter-title">
              Decision letter
            </Title>
            {app.award && (
              <Button component={Link} to={`/staff/grants/awards/${app.award.id}`} variant="light">
                Award: instalments and reports
              </Button>
            )}
          </Group>
          {app.award && (
            <Text mb="sm">
              Awarded <strong>{money(app.award.amountCents)}</strong> on {formatDate(app.award.awardedAt)}; paid so far{" "}
              {money(app.award.paidCents)}.
            </Text>
          )}
          {app.declineReasons.length > 0 && (
            <List size="sm" mb="sm">
              {app.declineReasons.map((r) => (
                <List.Item key={r}>{r}</List.Item>
              ))}
            </List>
          )}
          <Text component="pre" style={{ whiteSpace: "pre-wrap", fontFamily: "inherit" }} data-testid="decision-letter">
            {app.decisionLetter ?? "—"}
          </Text>
        </Card>
      )}
    </Stack>
  );
}

function Reviews({ app }: { app: App }) {
  const [reviewers] = useQuery({ query: StaffGrantsReviewers });
  const names = new Map((reviewers.data?.reviewers ?? []).map((r) => [r.reviewerId, r.name]));
  const rubric = app.program?.rubric ?? [];
  return (
    <Card withBorder component="section" aria-labelledby="reviews-title">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id="reviews-title">
          Reviews
        </Title>
        {app.score && (
          <Group gap="sm">
            <Text size="sm">
              Score <strong>{points(app.score.score)}</strong> · spread {points(app.score.spread)} ·{" "}
              {app.score.reviews} of {app.program?.reviewersPerApplication ?? "?"} in
            </Text>
            {app.score.disagreement && <Badge color="orange">Reviewers disagree</Badge>}
          </Group>
        )}
      </Group>
      {app.reviews.length === 0 ? (
        <Text c="dimmed" size="sm">
          No reviewer assigned yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table captionSide="top">
            <Table.Caption>Assigned reviewers and their scores</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Reviewer</Table.Th>
                <Table.Th>Status</Table.Th>
                {rubric.map((c) => (
                  <Table.Th key={c.key} ta="right">
                    {c.name} (0–{c.maxScore}, ×{c.weight})
                  </Table.Th>
                ))}
                <Table.Th ta="right">Total</Table.Th>
                <Table.Th>Comment</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {app.reviews.map((r, i) => {
                const scores = new Map(r.scores.map((s) => [s.key, s.score]));
                return (
                  <Table.Tr key={r.assignmentId ?? i}>
                    <Table.Td>{r.reviewerId ? (names.get(r.reviewerId) ?? r.reviewerId) : `Reviewer ${i + 1}`}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={r.status} />
                    </Table.Td>
                    {rubric.map((c) => (
                      <Table.Td key={c.key} ta="right">
                        {scores.get(c.key) ?? "—"}
                      </Table.Td>
                    ))}
                    <Table.Td ta="right">{points(r.total)}</Table.Td>
                    <Table.Td style={{ whiteSpace: "pre-wrap" }}>
                      {r.comment || (r.recusalReason ? `Stepped aside: ${r.recusalReason}` : "—")}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
