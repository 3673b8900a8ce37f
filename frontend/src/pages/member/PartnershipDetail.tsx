import "@mantine/dates/styles.css";

import { Alert, Anchor, Badge, Button, Card, DataList, Group, Modal, SimpleGrid, Stack, Text, TextInput, Textarea, Timeline, Title } from "@mantine/core";
import { DateInput } from "@mantine/dates";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { useMutation, useQuery, type CombinedError } from "urql";

import { splitFieldErrors } from "../../api/errors";
import { PageTitle } from "../../components/PageTitle";
import { ErrorAlert, QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDate, formatDateTime, humanize } from "../../components/format";
import { graphql } from "../../gql";
import type { MemberPartnershipFieldsFragment } from "../../gql/graphql";
import { areaLabel } from "./shared";

const MemberPartnershipQuery = graphql(`
  query MemberPartnership($id: ID!) {
    partnership(id: $id) {
      ...MemberPartnershipFields
    }
  }
`);

const MemberRecordAgreement = graphql(`
  mutation MemberRecordAgreement($id: ID!, $input: AgreementInput!) {
    recordAgreement(id: $id, input: $input) {
      ...MemberPartnershipFields
    }
  }
`);

const MemberMarkPartnershipDormant = graphql(`
  mutation MemberMarkPartnershipDormant($id: ID!, $reason: String!) {
    markPartnershipDormant(id: $id, reason: $reason) {
      ...MemberPartnershipFields
    }
  }
`);

const MemberTerminatePartnership = graphql(`
  mutation MemberTerminatePartnership($id: ID!, $reason: String!) {
    terminatePartnership(id: $id, reason: $reason) {
      ...MemberPartnershipFields
    }
  }
`);

type Partnership = MemberPartnershipFieldsFragment;

export function PartnershipDetail() {
  const { partnershipId = "" } = useParams();
  const [result, refetch] = useQuery({ query: MemberPartnershipQuery, variables: { id: partnershipId } });
  const title = result.data?.partnership
    ? `${result.data.partnership.partnerCity}, ${result.data.partnership.countryName}`
    : "Partnership";

  return (
    <Stack maw={960}>
      <PageTitle>{title}</PageTitle>
      <QueryState
        result={result}
        onRetry={() => refetch({ requestPolicy: "network-only" })}
        isEmpty={(data) => !data.partnership}
        empty="There is no such partnership, or it is not your community's."
      >
        {({ partnership }) => partnership && <PartnershipView partnership={partnership} />}
      </QueryState>
      <Anchor component={Link} to="/member/partnerships">
        Back to our partnerships
      </Anchor>
    </Stack>
  );
}

function PartnershipView({ partnership: p }: { partnership: Partnership }) {
  const [agreementOpen, setAgreementOpen] = useState(false);
  const [ending, setEnding] = useState<"dormant" | "terminate" | null>(null);

  return (
    <Stack>
      <Card withBorder>
        <Group justify="space-between" wrap="wrap" mb="sm">
          <Group gap="xs">
            <StatusBadge status={p.status} />
            {p.recognized && (
              <Badge color="teal" variant="outline">
                Recognized
              </Badge>
            )}
          </Group>
          <Group gap="xs">
            {p.status === "PROPOSED" && <Button onClick={() => setAgreementOpen(true)}>Record the agreement</Button>}
            {p.status === "ACTIVE" && (
              <Button variant="default" onClick={() => setEnding("dormant")}>
                Mark dormant
              </Button>
            )}
            {p.status !== "TERMINATED" && (
              <Button variant="light" color="red" onClick={() => setEnding("terminate")}>
                {p.status === "PROPOSED" ? "Withdraw the proposal" : "Terminate"}
              </Button>
            )}
          </Group>
        </Group>
        {p.status === "PENDING" && (
          <Alert color="blue" mb="sm">
            The agreement is recorded; staff verify it and then make the partnership active.
          </Alert>
        )}
        {p.status === "ACTIVE" && !p.recognized && (
          <Alert color="yellow" mb="sm">
            The partnership is active but not recognized: a partnership counts once your community is in good standing.
          </Alert>
        )}
        <DataList labelWidth="11rem">
          <DataList.Item>
            <DataList.ItemLabel>Partner community</DataList.ItemLabel>
            <DataList.ItemValue>
              {p.partnerCity}
              {p.partnerRegion ? `, ${p.partnerRegion}` : ""}
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Country</DataList.ItemLabel>
            <DataList.ItemValue>
              {p.countryName} ({p.continentName})
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Type</DataList.ItemLabel>
            <DataList.ItemValue>{humanize(p.type)}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Programme areas</DataList.ItemLabel>
            <DataList.ItemValue>{p.programAreas.length ? p.programAreas.map(areaLabel).join(", ") : "—"}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Established</DataList.ItemLabel>
            <DataList.ItemValue>{p.establishedYear ?? "—"}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Latest signing</DataList.ItemLabel>
            <DataList.ItemValue>{formatDate(p.signedOn)}</DataList.ItemValue>
          </DataList.Item>
        </DataList>
      </Card>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={3} size="h4" mb="sm">
            Agreement
          </Title>
          {p.agreement ? (
            <DataList labelWidth="11rem">
              <DataList.Item>
                <DataList.ItemLabel>Council resolution</DataList.ItemLabel>
                <DataList.ItemValue>{p.agreement.councilResolution}</DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>Signed on</DataList.ItemLabel>
                <DataList.ItemValue>{formatDate(p.agreement.signedOn)}</DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>U.S. signatory</DataList.ItemLabel>
                <DataList.ItemValue>{p.agreement.usSignatory}</DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>Partner signatory</DataList.ItemLabel>
                <DataList.ItemValue>{p.agreement.partnerSignatory}</DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>Document on file</DataList.ItemLabel>
                <DataList.ItemValue>{p.agreement.documentReference}</DataList.ItemValue>
              </DataList.Item>
            </DataList>
          ) : (
            <Text c="gray.7">No agreement recorded yet.</Text>
          )}
        </Card>
        <Card withBorder>
          <Title order={3} size="h4" mb="md">
            History
          </Title>
          <Timeline active={p.history.length - 1} bulletSize={14} lineWidth={2}>
            {p.history.map((h, i) => (
              <Timeline.Item key={`${h.at}-${i}`} title={humanize(h.action)}>
                <Text size="sm">
                  {h.fromStatus ? `${humanize(h.fromStatus)} → ` : ""}
                  {humanize(h.toStatus)}
                  {h.reason ? `: ${h.reason}` : ""}
                </Text>
                <Text size="xs" c="gray.7">
                  {formatDateTime(h.at)}
                  {h.actor ? ` · ${h.actor} (${h.actorRole})` : ` · ${h.actorRole}`}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        </Card>
      </SimpleGrid>

      <AgreementModal partnership={p} opened={agreementOpen} onClose={() => setAgreementOpen(false)} />
      <EndModal partnership={p} kind={ending} onClose={() => setEnding(null)} />
    </Stack>
  );
}

const AGREEMENT_FIELDS = ["councilResolution", "signedOn", "usSignatory", "partnerSignatory", "documentReference"] as const;

function AgreementModal({ partnership, opened, onClose }: { partnership: Partnership; opened: boolean; onClose: () => void }) {
  const [, record] = useMutation(MemberRecordAgreement);
  const [error, setError] = useState<CombinedError | null>(null);
  const [saving, setSaving] = useState(false);
  const form = useForm({
    initialValues: { councilResolution: "", signedOn: null as string | null, usSignatory: "", partnerSignatory: "", documentReference: "" },
    validate: {
      councilResolution: (v) => (v.trim() ? null : "Give the council resolution's reference"),
      signedOn: (v) => (v ? null : "Give the date it was signed"),
      usSignatory: (v) => (v.trim() ? null : "Who signed for your community"),
      partnerSignatory: (v) => (v.trim() ? null : "Who signed for the partner"),
      documentReference: (v) => (v.trim() ? null : "Where the signed agreement is kept"),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setSaving(true);
    setError(null);
    const result = await record({
      id: partnership.id,
      input: {
        councilResolution: values.councilResolution.trim(),
        signedOn: values.signedOn ?? "",
        usSignatory: values.usSignatory.trim(),
        partnerSignatory: values.partnerSignatory.trim(),
        documentReference: values.documentReference.trim(),
      },
    });
    setSaving(false);
    if (result.data) {
      notifications.show({ color: "green", title: "Agreement recorded", message: "Staff will verify it and activate the partnership." });
      onClose();
      return;
    }
    const { byField, other } = splitFieldErrors(result.error, AGREEMENT_FIELDS);
    form.setErrors(byField);
    if (other.length && result.error) setError(result.error);
  });
  return (
    <Modal opened={opened} onClose={onClose} title="Record the signed agreement" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          {error && <ErrorAlert error={error} />}
          <TextInput label="Council resolution" description="Its number or reference" required {...form.getInputProps("councilResolution")} />
          <DateInput label="Signed on" required maxDate={new Date()} valueFormat="MMM D, YYYY" clearable {...form.getInputProps("signedOn")} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="U.S. signatory" description="Your highest official" required {...form.getInputProps("usSignatory")} />
            <TextInput label="Partner signatory" description="The partner's highest elected official" required {...form.getInputProps("partnerSignatory")} />
          </SimpleGrid>
          <TextInput label="Document reference" description="Where the signed agreement is kept on file" required {...form.getInputProps("documentReference")} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              Record agreement
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function EndModal({
  partnership,
  kind,
  onClose,
}: {
  partnership: Partnership;
  kind: "dormant" | "terminate" | null;
  onClose: () => void;
}) {
  const [, markDormant] = useMutation(MemberMarkPartnershipDormant);
  const [, terminate] = useMutation(MemberTerminatePartnership);
  const [error, setError] = useState<CombinedError | null>(null);
  const [saving, setSaving] = useState(false);
  const form = useForm({
    initialValues: { reason: "" },
    validate: { reason: (v) => (v.trim() ? null : "Say why, in writing") },
  });
  const close = () => {
    form.reset();
    setError(null);
    onClose();
  };
  const submit = form.onSubmit(async ({ reason }) => {
    setSaving(true);
    setError(null);
    const variables = { id: partnership.id, reason: reason.trim() };
    const result = kind === "dormant" ? await markDormant(variables) : await terminate(variables);
    setSaving(false);
    if (result.data) {
      notifications.show({
        color: "green",
        title: kind === "dormant" ? "Marked dormant" : "Partnership ended",
        message: `${partnership.partnerCity}: ${kind === "dormant" ? "dormant" : "terminated"}.`,
      });
      close();
      return;
    }
    const { byField, other } = splitFieldErrors(result.error, ["reason"]);
    form.setErrors(byField);
    if (other.length && result.error) setError(result.error);
  });
  const title =
    kind === "dormant"
      ? "Mark the partnership dormant"
      : partnership.status === "PROPOSED"
        ? "Withdraw the proposal"
        : "Terminate the partnership";
  return (
    <Modal opened={kind !== null} onClose={close} title={title}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {error && <ErrorAlert error={error} />}
          <Text size="sm">
            {kind === "dormant"
              ? "A dormant partnership is not counted as recognized until staff reactivate it."
              : "This cannot be undone; the pair may be proposed again later."}
          </Text>
          <Textarea label="Reason" required rows={3} data-autofocus {...form.getInputProps("reason")} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color={kind === "dormant" ? undefined : "red"} loading={saving}>
              {kind === "dormant" ? "Mark dormant" : partnership.status === "PROPOSED" ? "Withdraw" : "Terminate"}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
