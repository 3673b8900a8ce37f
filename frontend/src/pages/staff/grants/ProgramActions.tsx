import { Alert, Button, Card, Group, List, Modal, Stack, Table, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconSend, IconUsers } from "@tabler/icons-react";
import { useState } from "react";
import type { CombinedError } from "urql";
import { useMutation } from "urql";

import { ErrorAlert } from "../../../components/QueryState";
import { formatDateTime } from "../../../components/format";
import { graphql } from "../../../gql";
import type { StaffGrantsAssignReviewersMutation } from "../../../gql/graphql";

const Publish = graphql(`
  mutation StaffGrantsPublishProgram($id: ID!) {
    publishGrantProgram(id: $id) {
      id
      status
      phase
      publishedAt
    }
  }
`);

const Assign = graphql(`
  mutation StaffGrantsAssignReviewers($programId: ID!) {
    assignReviewers(programId: $programId) {
      programId
      assigned
      removed
      shortfall {
        applicationId
        missing
      }
      load {
        reviewerId
        assignments
      }
    }
  }
`);

/** Publish a draft, after a confirmation: its definition is fixed from then on. */
export function PublishButton({ program }: { program: { id: string; name: string; opensAt: string } }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [{ fetching }, publish] = useMutation(Publish);
  const [error, setError] = useState<CombinedError | null>(null);
  const confirm = async () => {
    setError(null);
    const result = await publish({ id: program.id });
    if (result.error) {
      setError(result.error);
      return;
    }
    close();
    notifications.show({
      color: "green",
      title: "Programme published",
      message: `${program.name} opens for applications at ${formatDateTime(program.opensAt)}.`,
    });
  };
  return (
    <>
      <Button leftSection={<IconSend size={16} aria-hidden />} onClick={open}>
        Publish
      </Button>
      <Modal
        opened={opened}
        onClose={() => {
          close();
          setError(null);
        }}
        title="Publish this programme?"
        centered
      >
        <Stack>
          <Text size="sm">
            Members will see <strong>{program.name}</strong> and can apply from {formatDateTime(program.opensAt)}.
            Once published, its rules, rubric and budget can no longer be changed.
          </Text>
          {error && <ErrorAlert error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button onClick={() => void confirm()} loading={fetching}>
              Publish programme
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

type Round = StaffGrantsAssignReviewersMutation["assignReviewers"];

/** Run an assignment round and show what it did. */
export function AssignReviewers({
  programId,
  reviewerName,
  applicationTitle,
}: {
  programId: string;
  reviewerName: (id: string) => string;
  applicationTitle: (id: string) => string;
}) {
  const [{ fetching, error }, assign] = useMutation(Assign);
  const [round, setRound] = useState<Round | null>(null);
  const run = async () => {
    const result = await assign({ programId });
    if (result.data) {
      setRound(result.data.assignReviewers);
      notifications.show({
        color: "green",
        title: "Reviewers assigned",
        message: `${result.data.assignReviewers.assigned} new assignment(s).`,
      });
    }
  };
  return (
    <Card withBorder component="section" aria-labelledby="assign-title">
      <Stack>
        <Group justify="space-between">
          <Title order={3} size="h4" id="assign-title">
            Reviewer assignment
          </Title>
          <Button leftSection={<IconUsers size={16} aria-hidden />} onClick={() => void run()} loading={fetching}>
            Assign reviewers
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          Fills every submitted application up to the programme's number of reviewers, never across a conflict of
          interest, balancing each reviewer's load. Running it again only fills what is missing.
        </Text>
        {error && <ErrorAlert error={error} />}
        {round && <RoundResult round={round} reviewerName={reviewerName} applicationTitle={applicationTitle} />}
      </Stack>
    </Card>
  );
}

export function RoundResult({
  round,
  reviewerName,
  applicationTitle,
}: {
  round: Round;
  reviewerName: (id: string) => string;
  applicationTitle: (id: string) => string;
}) {
  return (
    <Stack gap="sm" data-testid="assignment-round">
      <Alert color={round.shortfall.length ? "orange" : "green"} title="This round" role="status">
        {round.assigned} assignment{round.assigned === 1 ? "" : "s"} made
        {round.removed > 0 ? `, ${round.removed} removed for a new conflict of interest` : ""}.
        {round.shortfall.length === 0
          ? " Every application has its reviewers."
          : ` ${round.shortfall.length} application(s) could not get enough reviewers.`}
      </Alert>
      {round.shortfall.length > 0 && (
        <div>
          <Text fw={500} size="sm">
            Short of reviewers
          </Text>
          <List size="sm">
            {round.shortfall.map((s) => (
              <List.Item key={s.applicationId}>
                {applicationTitle(s.applicationId)}: {s.missing} missing
              </List.Item>
            ))}
          </List>
        </div>
      )}
      {round.load.length > 0 && (
        <Table.ScrollContainer minWidth={320}>
          <Table captionSide="top">
            <Table.Caption>Each reviewer's assignments in this programme</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Reviewer</Table.Th>
                <Table.Th ta="right">Assignments</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {round.load.map((l) => (
                <Table.Tr key={l.reviewerId}>
                  <Table.Td>{reviewerName(l.reviewerId)}</Table.Td>
                  <Table.Td ta="right">{l.assignments}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
