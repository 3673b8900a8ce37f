import { Alert, Anchor, Badge, Card, Group, List, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { IconArrowLeft, IconEyeOff } from "@tabler/icons-react";
import { Link, useNavigate, useParams } from "react-router";
import { useQuery } from "urql";

import { hasCode } from "../../api/errors";
import { PageTitle } from "../../components/PageTitle";
import { ErrorAlert, Loading, QueryState } from "../../components/QueryState";
import { RequireRole } from "../../components/RequireRole";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDate, formatMoney, humanize } from "../../components/format";
import { graphql } from "../../gql";
import type { ReviewerApplicationQuery } from "../../gql/graphql";
import { ReviewerAssignments } from "./queries";
import { RecuseButton } from "./RecuseButton";
import { formatPoints, type Criterion } from "./rubric";
import { ScoringForm } from "./ScoringForm";

const ReviewerApplication = graphql(`
  query ReviewerApplication($id: ID!) {
    application(id: $id) {
      id
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
      submittedAt
      blind
      memberId
      applicantName
      partnershipId
      partnerCity
      partnerCountry
      program {
        id
        name
        blindReview
        rubric {
          key
          name
          maxScore
          weight
          anchors {
            score
            text
          }
        }
      }
      myReview {
        assignmentId
        status
        scores {
          key
          score
        }
        total
        comment
        submittedAt
      }
      reviews {
        status
        scores {
          key
          score
        }
        total
        comment
        submittedAt
      }
      score {
        reviews
        score
        spread
        disagreement
      }
    }
  }
`);

type Application = ReviewerApplicationQuery["application"];

export function AssignmentPage() {
  return (
    <RequireRole role="reviewer">
      <ReviewAssignment />
    </RequireRole>
  );
}

function BackLink() {
  return (
    <Anchor component={Link} to="/review" size="sm">
      <Group gap={4} wrap="nowrap">
        <IconArrowLeft size={14} aria-hidden />
        All review assignments
      </Group>
    </Anchor>
  );
}

function ReviewAssignment() {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const [assignments, refetchAssignments] = useQuery({ query: ReviewerAssignments });
  const list = assignments.data?.myReviewAssignments;
  // The address names an assignment (or, from elsewhere, the application itself):
  // the application is whatever the API lets this reviewer read.
  const assignment = list?.find((a) => a.assignmentId === id || a.applicationId === id);
  const ended = assignment && (assignment.status === "RECUSED" || assignment.status === "REMOVED");
  const applicationId = assignment?.applicationId ?? id;
  const [application, refetch] = useQuery({
    query: ReviewerApplication,
    variables: { id: applicationId },
    pause: !list || Boolean(ended),
  });

  if (!list) {
    return (
      <Stack>
        <BackLink />
        <PageTitle>Review</PageTitle>
        {assignments.error ? (
          <ErrorAlert error={assignments.error} onRetry={() => refetchAssignments({ requestPolicy: "network-only" })} />
        ) : (
          <Loading />
        )}
      </Stack>
    );
  }

  if (assignment && ended) {
    return (
      <Stack>
        <BackLink />
        <PageTitle>{assignment.applicationTitle || "Review"}</PageTitle>
        <Alert color="gray" title={assignment.status === "RECUSED" ? "You stepped aside" : "Removed from this review"}>
          {assignment.status === "RECUSED"
            ? "You recused yourself from this application"
            : "This assignment was removed (a conflict of interest or a withdrawn application)"}
          {assignment.recusalReason ? `: ${assignment.recusalReason}.` : "."} Its application is no longer shown to you.
        </Alert>
      </Stack>
    );
  }

  return (
    <Stack>
      <BackLink />
      {!application.data && <PageTitle>{assignment?.applicationTitle || "Review"}</PageTitle>}
      {!application.data && (hasCode(application.error, "NOT_FOUND") || hasCode(application.error, "FORBIDDEN")) ? (
        <NotYours />
      ) : (
        <QueryState result={application} onRetry={() => refetch({ requestPolicy: "network-only" })}>
          {(data) => (
            <ApplicationReview
              application={data.application}
              fallbackAssignmentId={assignment?.assignmentId ?? null}
              onRecused={() => navigate("/review")}
            />
          )}
        </QueryState>
      )}
    </Stack>
  );
}

/** The API does not show this reviewer the application: not assigned, or a conflict of interest. */
function NotYours() {
  return (
    <Alert color="yellow" role="alert" title="Not among your assignments" data-testid="not-yours">
      There is no application for you to review at this address. It may have been withdrawn or given to another
      reviewer, or you have a conflict of interest with the applicant; reviewers never see such applications.
    </Alert>
  );
}

function ApplicationReview({
  application: app,
  fallbackAssignmentId,
  onRecused,
}: {
  application: Application;
  fallbackAssignmentId: string | null;
  onRecused: () => void;
}) {
  const rubric: Criterion[] = app.program?.rubric ?? [];
  const mine = app.myReview;
  const assignmentId = mine?.assignmentId ?? fallbackAssignmentId;
  const names = Object.fromEntries(rubric.map((c) => [c.key, c.name]));

  return (
    <Stack gap="lg">
      <PageTitle actions={mine && <StatusBadge status={mine.status} />}>{app.title || "Untitled application"}</PageTitle>
      {app.blind && (
        <Alert color="blue" icon={<IconEyeOff size={18} aria-hidden />} title="Blind review">
          The applicant's identity is hidden from reviewers in this programme: judge the proposal on its own.
        </Alert>
      )}
      <ApplicationDetails app={app} />

      {mine?.status === "ASSIGNED" && assignmentId && (
        <>
          <ScoringForm assignmentId={assignmentId} rubric={rubric} />
          <Card withBorder>
            <Stack gap="xs">
              <Title order={3} size="h4">
                Cannot judge this one fairly?
              </Title>
              <Text size="sm">If you have a conflict of interest, step aside instead of scoring.</Text>
              <Group>
                <RecuseButton assignmentId={assignmentId} onRecused={onRecused} />
              </Group>
            </Stack>
          </Card>
        </>
      )}

      {mine?.status === "SUBMITTED" && (
        <>
          <Card withBorder component="section" aria-labelledby="my-review">
            <Title order={3} size="h4" id="my-review" mb="xs">
              Your review
            </Title>
            <Text mb="xs">
              Weighted score <strong>{formatPoints(mine.total)} / 100</strong>, submitted {formatDate(mine.submittedAt)}.
            </Text>
            <ScoresTable rubric={rubric} scores={mine.scores} caption="Your scores by criterion" />
            {mine.comment && (
              <Text mt="sm" style={{ whiteSpace: "pre-wrap" }}>
                {mine.comment}
              </Text>
            )}
          </Card>
          <Card withBorder component="section" aria-labelledby="all-reviews">
            <Title order={3} size="h4" id="all-reviews" mb="xs">
              All submitted reviews
            </Title>
            {app.score && (
              <Group gap="md" mb="sm">
                <Text>
                  Mean score <strong>{formatPoints(app.score.score)}</strong> from {app.score.reviews} review
                  {app.score.reviews === 1 ? "" : "s"}
                </Text>
                <Text>Spread {formatPoints(app.score.spread)} points</Text>
                {app.score.disagreement && <Badge color="orange">Reviewers disagree</Badge>}
              </Group>
            )}
            <Table.ScrollContainer minWidth={480}>
              <Table captionSide="top">
                <Table.Caption>Every reviewer's total (reviewers are not named)</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Review</Table.Th>
                    <Table.Th>Scores</Table.Th>
                    <Table.Th>Total</Table.Th>
                    <Table.Th>Comment</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {app.reviews.map((r, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{i + 1}</Table.Td>
                      <Table.Td>{r.scores.map((s) => `${names[s.key] ?? s.key}: ${s.score}`).join(", ")}</Table.Td>
                      <Table.Td>{formatPoints(r.total)}</Table.Td>
                      <Table.Td style={{ whiteSpace: "pre-wrap" }}>{r.comment || "—"}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        </>
      )}
    </Stack>
  );
}

function ApplicationDetails({ app }: { app: Application }) {
  const budgetTotal = app.budget.reduce((sum, line) => sum + line.amountCents, 0);
  // Blind review: the API leaves identity fields out; show only what it returns.
  const facts: [string, string][] = [
    ["Grant programme", app.program?.name ?? "—"],
    ["Programme area", humanize(app.area)],
    ["Amount requested", formatMoney(app.amountRequestedCents, app.currency)],
    ["Submitted", formatDate(app.submittedAt)],
  ];
  if (app.applicantName) facts.push(["Applicant", app.applicantName]);
  if (app.partnerCity) facts.push(["Partner city", app.partnerCity]);
  if (app.partnerCountry) facts.push(["Partner country", app.partnerCountry]);
  return (
    <Card withBorder component="section" aria-labelledby="application-title">
      <Stack>
        <Title order={3} size="h4" id="application-title">
          The application
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          {facts.map(([label, value]) => (
            <div key={label}>
              <Text size="xs" c="dimmed">
                {label}
              </Text>
              <Text>{value}</Text>
            </div>
          ))}
        </SimpleGrid>
        <div>
          <Title order={4} size="h5" mb={4}>
            Narrative
          </Title>
          <Text style={{ whiteSpace: "pre-wrap" }}>{app.narrative || "—"}</Text>
        </div>
        <div>
          <Title order={4} size="h5" mb={4}>
            Budget
          </Title>
          <Table.ScrollContainer minWidth={360}>
            <Table captionSide="top" aria-label="Application budget">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Item</Table.Th>
                  <Table.Th ta="right">Amount</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {app.budget.map((line, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>{line.item}</Table.Td>
                    <Table.Td ta="right">{formatMoney(line.amountCents, app.currency)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th>Total</Table.Th>
                  <Table.Th ta="right">{formatMoney(budgetTotal, app.currency)}</Table.Th>
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          </Table.ScrollContainer>
        </div>
        {app.attachments.length > 0 && (
          <div>
            <Title order={4} size="h5" mb={4}>
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
          </div>
        )}
      </Stack>
    </Card>
  );
}

function ScoresTable({
  rubric,
  scores,
  caption,
}: {
  rubric: readonly Criterion[];
  scores: readonly { key: string; score: number }[];
  caption: string;
}) {
  const byKey = Object.fromEntries(scores.map((s) => [s.key, s.score]));
  return (
    <Table.ScrollContainer minWidth={360}>
      <Table captionSide="top">
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Criterion</Table.Th>
            <Table.Th>Weight</Table.Th>
            <Table.Th>Score</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rubric.map((c) => (
            <Table.Tr key={c.key}>
              <Table.Td>{c.name}</Table.Td>
              <Table.Td>{c.weight}</Table.Td>
              <Table.Td>
                {byKey[c.key] ?? "—"} / {c.maxScore}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
