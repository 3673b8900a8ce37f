import { Alert, Anchor, Button, Card, DataList, Group, List, Modal, Stack, Table, Text, Textarea, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { useMutation, useQuery, type CombinedError } from "urql";

import { splitFieldErrors } from "../../api/errors";
import { PageTitle } from "../../components/PageTitle";
import { ErrorAlert, QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime, formatMoney } from "../../components/format";
import { graphql } from "../../gql";
import type { MemberApplicationFieldsFragment } from "../../gql/graphql";
import { ApplicationForm } from "./ApplicationForm";
import { areaLabel, useMemberId } from "./shared";

const MemberApplicationQuery = graphql(`
  query MemberApplication($id: ID!, $memberId: ID!) {
    application(id: $id) {
      ...MemberApplicationFields
      program {
        ...MemberProgramFields
      }
    }
    member(id: $memberId) {
      id
      partnerships {
        id
        partnerCity
        countryName
        country
        status
        recognized
      }
    }
  }
`);

const MemberWithdrawApplication = graphql(`
  mutation MemberWithdrawApplication($id: ID!, $reason: String!) {
    withdrawApplication(id: $id, reason: $reason) {
      ...MemberApplicationFields
    }
  }
`);

const EDITABLE = new Set(["DRAFT", "INELIGIBLE"]);
const WITHDRAWABLE = new Set(["DRAFT", "SUBMITTED", "INELIGIBLE", "IN_REVIEW"]);

const STATUS_TEXT: Record<string, string> = {
  DRAFT: "A draft: only your community sees it. Submit it before the deadline.",
  SUBMITTED: "Submitted. Reviewers will be assigned and score it against the programme's rubric.",
  INELIGIBLE:
    "Submitted, but it does not meet the programme's rules (below). Once that changes you can submit it again before the deadline.",
  IN_REVIEW: "Reviewers are scoring it. Staff decide once the reviews are in.",
  AWARDED: "Awarded. See the decision letter and the award.",
  DECLINED: "Declined. The decision letter gives the reasons.",
  WITHDRAWN: "Withdrawn by your community.",
};

export function Application() {
  const { applicationId = "" } = useParams();
  const memberId = useMemberId();
  const [result, refetch] = useQuery({ query: MemberApplicationQuery, variables: { id: applicationId, memberId } });
  const [withdrawing, setWithdrawing] = useState(false);

  return (
    <Stack maw={900}>
      <PageTitle>{result.data?.application.title || "Grant application"}</PageTitle>
      <QueryState result={result} onRetry={() => refetch({ requestPolicy: "network-only" })}>
        {({ application: app, member }) => (
          <Stack>
            <Card withBorder>
              <Group justify="space-between" wrap="wrap" mb="xs">
                <Group gap="xs">
                  <Text fw={500}>{app.program?.name ?? "Grant programme"}</Text>
                  <StatusBadge status={app.status} />
                </Group>
                {WITHDRAWABLE.has(app.status) && (
                  <Button variant="light" color="red" onClick={() => setWithdrawing(true)}>
                    Withdraw application
                  </Button>
                )}
              </Group>
              <Text size="sm">{STATUS_TEXT[app.status]}</Text>
              <Text size="xs" c="gray.7" mt="xs">
                Last saved {formatDateTime(app.updatedAt)}
                {app.submittedAt && ` · submitted ${formatDateTime(app.submittedAt)}`}
                {app.withdrawnAt && ` · withdrawn ${formatDateTime(app.withdrawnAt)}`}
              </Text>
            </Card>

            {app.status === "INELIGIBLE" && app.ineligibilityReasons.length > 0 && (
              <Alert color="orange" title="Why it is not eligible" role="status">
                <List size="sm">
                  {app.ineligibilityReasons.map((r) => (
                    <List.Item key={r}>{r}</List.Item>
                  ))}
                </List>
              </Alert>
            )}

            <Decision app={app} />

            {EDITABLE.has(app.status) && app.program ? (
              <ApplicationForm
                key={app.id}
                program={app.program}
                partnerships={member?.partnerships ?? []}
                application={app}
                onSaved={() => undefined}
              />
            ) : (
              <ApplicationSummary app={app} />
            )}

            <WithdrawModal application={app} opened={withdrawing} onClose={() => setWithdrawing(false)} />
          </Stack>
        )}
      </QueryState>
      <Anchor component={Link} to="/member/grants">
        Back to grants
      </Anchor>
    </Stack>
  );
}

function Decision({ app }: { app: MemberApplicationFieldsFragment }) {
  if (app.status !== "AWARDED" && app.status !== "DECLINED") return null;
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="xs">
        Decision of {formatDateTime(app.decidedAt)}
      </Title>
      {app.award && (
        <Group mb="sm">
          <Text>
            Awarded {formatMoney(app.award.amountCents, app.award.currency)}
            {app.award.agreementSignedAt ? "; agreement signed." : "; the grant agreement waits for your signature."}
          </Text>
          <Button component={Link} to={`/member/grants/awards/${app.award.id}`} size="xs">
            Go to the award
          </Button>
        </Group>
      )}
      {app.declineReasons.length > 0 && (
        <List size="sm" mb="sm">
          {app.declineReasons.map((r) => (
            <List.Item key={r}>{r}</List.Item>
          ))}
        </List>
      )}
      {app.decisionLetter && (
        <Card bg="gray.0" p="md" aria-label="Decision letter">
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }} data-testid="decision-letter">
            {app.decisionLetter}
          </Text>
        </Card>
      )}
    </Card>
  );
}

function ApplicationSummary({ app }: { app: MemberApplicationFieldsFragment }) {
  return (
    <Card withBorder>
      <DataList labelWidth="10rem" mb="md">
        <DataList.Item>
          <DataList.ItemLabel>Partnership</DataList.ItemLabel>
          <DataList.ItemValue>
            {app.partnerCity ?? "—"}
            {app.partnerCountry ? ` (${app.partnerCountry})` : ""}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Programme area</DataList.ItemLabel>
          <DataList.ItemValue>{areaLabel(app.area)}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Amount requested</DataList.ItemLabel>
          <DataList.ItemValue>{formatMoney(app.amountRequestedCents, app.currency)}</DataList.ItemValue>
        </DataList.Item>
      </DataList>
      <Title order={4} size="h5">
        Narrative
      </Title>
      <Text size="sm" style={{ whiteSpace: "pre-wrap" }} mb="md">
        {app.narrative || "—"}
      </Text>
      {app.budget.length > 0 && (
        <Table.ScrollContainer minWidth={400} type="native" tabIndex={0} role="region" aria-label="Budget, scrollable">
          <Table aria-label="Budget">
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
          </Table>
        </Table.ScrollContainer>
      )}
      {app.attachments.length > 0 && (
        <List size="sm" mt="md">
          {app.attachments.map((a) => (
            <List.Item key={a.ref}>
              {a.name}: {a.ref}
            </List.Item>
          ))}
        </List>
      )}
    </Card>
  );
}

function WithdrawModal({
  application,
  opened,
  onClose,
}: {
  application: MemberApplicationFieldsFragment;
  opened: boolean;
  onClose: () => void;
}) {
  const [, withdraw] = useMutation(MemberWithdrawApplication);
  const [error, setError] = useState<CombinedError | null>(null);
  const [saving, setSaving] = useState(false);
  const form = useForm({ initialValues: { reason: "" } });
  const close = () => {
    form.reset();
    setError(null);
    onClose();
  };
  const submit = form.onSubmit(async ({ reason }) => {
    setSaving(true);
    setError(null);
    const result = await withdraw({ id: application.id, reason: reason.trim() });
    setSaving(false);
    if (result.data) {
      notifications.show({ color: "green", title: "Application withdrawn", message: application.title || "The draft" });
      close();
      return;
    }
    const { byField, other } = splitFieldErrors(result.error, ["reason"]);
    form.setErrors(byField);
    if (other.length && result.error) setError(result.error);
  });
  return (
    <Modal opened={opened} onClose={close} title="Withdraw this application?">
      <form onSubmit={submit} noValidate>
        <Stack>
          {error && <ErrorAlert error={error} />}
          <Text size="sm">
            A withdrawn application leaves the review and cannot be submitted again; your community may start a new
            one while the programme is open.
          </Text>
          <Textarea label="Reason" description="Optional: why you withdraw" rows={3} data-autofocus {...form.getInputProps("reason")} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Keep it
            </Button>
            <Button type="submit" color="red" loading={saving}>
              Withdraw
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
