import { Anchor, Stack, Table, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useQuery } from "urql";

import { PageTitle } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { RequireRole } from "../../components/RequireRole";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDate } from "../../components/format";
import type { ReviewerAssignmentsQuery } from "../../gql/graphql";
import { ReviewerAssignments } from "./queries";
import { formatPoints } from "./rubric";

type Assignment = ReviewerAssignmentsQuery["myReviewAssignments"][number];

export function Assignments() {
  return (
    <RequireRole role="reviewer">
      <AssignmentsPage />
    </RequireRole>
  );
}

function AssignmentsPage() {
  const [result, refetch] = useQuery({ query: ReviewerAssignments });
  return (
    <Stack>
      <PageTitle>Review assignments</PageTitle>
      <QueryState
        result={result}
        onRetry={() => refetch({ requestPolicy: "network-only" })}
        isEmpty={(d) => d.myReviewAssignments.length === 0}
        empty="You have no review assignments yet. Staff assign reviewers once applications are submitted."
      >
        {(data) => {
          const all = data.myReviewAssignments;
          const open = all.filter((a) => a.status === "ASSIGNED");
          const submitted = all.filter((a) => a.status === "SUBMITTED");
          const ended = all.filter((a) => a.status === "RECUSED" || a.status === "REMOVED");
          return (
            <Stack gap="xl">
              <section aria-labelledby="to-score">
                <Title order={3} size="h4" id="to-score" mb="xs">
                  To score ({open.length})
                </Title>
                {open.length === 0 ? (
                  <Text c="dimmed">Nothing is waiting for your scores.</Text>
                ) : (
                  <AssignmentTable rows={open} caption="Applications waiting for your scores" />
                )}
              </section>
              <section aria-labelledby="submitted">
                <Title order={3} size="h4" id="submitted" mb="xs">
                  Submitted reviews ({submitted.length})
                </Title>
                {submitted.length === 0 ? (
                  <Text c="dimmed">You have not submitted a review yet.</Text>
                ) : (
                  <AssignmentTable rows={submitted} caption="Your submitted reviews" withTotal />
                )}
              </section>
              {ended.length > 0 && (
                <section aria-labelledby="ended">
                  <Title order={3} size="h4" id="ended" mb="xs">
                    Stepped aside or removed ({ended.length})
                  </Title>
                  <AssignmentTable rows={ended} caption="Assignments you no longer hold" withReason />
                </section>
              )}
            </Stack>
          );
        }}
      </QueryState>
    </Stack>
  );
}

function AssignmentTable({
  rows,
  caption,
  withTotal = false,
  withReason = false,
}: {
  rows: Assignment[];
  caption: string;
  withTotal?: boolean;
  withReason?: boolean;
}) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover captionSide="top">
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Application</Table.Th>
            <Table.Th>Grant programme</Table.Th>
            <Table.Th>Assigned</Table.Th>
            <Table.Th>Status</Table.Th>
            {withTotal && <Table.Th>Your score</Table.Th>}
            {withTotal && <Table.Th>Submitted</Table.Th>}
            {withReason && <Table.Th>Reason</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((a) => (
            <Table.Tr key={a.assignmentId}>
              <Table.Td>
                {a.status === "ASSIGNED" || a.status === "SUBMITTED" ? (
                  <Anchor component={Link} to={`/review/assignments/${a.assignmentId}`}>
                    {a.applicationTitle || "Untitled application"}
                  </Anchor>
                ) : (
                  a.applicationTitle || "Untitled application"
                )}
                {a.blind && (
                  <Text size="xs" c="dimmed">
                    Blind review
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{a.programName}</Table.Td>
              <Table.Td>{formatDate(a.assignedAt)}</Table.Td>
              <Table.Td>
                <StatusBadge status={a.status} />
              </Table.Td>
              {withTotal && <Table.Td>{formatPoints(a.total)} / 100</Table.Td>}
              {withTotal && <Table.Td>{formatDate(a.submittedAt)}</Table.Td>}
              {withReason && <Table.Td>{a.recusalReason || "—"}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
