import { ActionIcon, Alert, Anchor, Button, Card, DataList, Group, Modal, NumberInput, Progress, Select, Stack, Table, Text, TextInput, Textarea, Title, VisuallyHidden } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { IconPlus, IconSignature, IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { useMutation, useQuery, type CombinedError } from "urql";

import { splitFieldErrors } from "../../api/errors";
import { PageTitle } from "../../components/PageTitle";
import { ErrorAlert, QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDate, formatDateTime, formatMoney, humanize } from "../../components/format";
import { graphql } from "../../gql";
import type { GranteeReportKind, MemberAwardQuery } from "../../gql/graphql";
import { toCents } from "./shared";

const MemberAwardQueryDoc = graphql(`
  query MemberAward($id: ID!) {
    grantAward(id: $id) {
      id
      applicationId
      programId
      amountCents
      currency
      conditions
      awardedAt
      agreementSignedAt
      paidCents
      instalments {
        id
        seq
        amountCents
        currency
        condition
        status
        releasedAt
        scheduledAt
        paidAt
        paidCents
        reference
      }
      reports {
        id
        kind
        narrative
        spending {
          item
          amountCents
        }
        attachments {
          name
          ref
        }
        status
        submittedAt
        reviewedAt
        staffComment
      }
    }
  }
`);

const MemberAwardApplication = graphql(`
  query MemberAwardApplication($id: ID!) {
    application(id: $id) {
      id
      title
      program {
        id
        name
      }
    }
  }
`);

const MemberSignGrantAgreement = graphql(`
  mutation MemberSignGrantAgreement($awardId: ID!) {
    signGrantAgreement(awardId: $awardId) {
      id
      agreementSignedAt
    }
  }
`);

const MemberSubmitGranteeReport = graphql(`
  mutation MemberSubmitGranteeReport($awardId: ID!, $input: GranteeReportInput!) {
    submitGranteeReport(awardId: $awardId, input: $input) {
      id
      kind
      status
      submittedAt
    }
  }
`);

type AwardData = MemberAwardQuery["grantAward"];

const CONDITION_TEXT: Record<string, string> = {
  NONE: "No condition",
  AGREEMENT_SIGNED: "Once the grant agreement is signed",
  INTERIM_REPORT_ACCEPTED: "Once the interim report is accepted",
  FINAL_REPORT_ACCEPTED: "Once the final report is accepted",
  RECEIPTS_ACCEPTED: "Once the receipts are accepted",
};

export function Award() {
  const { awardId = "" } = useParams();
  const [result, refetch] = useQuery({ query: MemberAwardQueryDoc, variables: { id: awardId } });
  const applicationId = result.data?.grantAward.applicationId ?? "";
  const [application] = useQuery({
    query: MemberAwardApplication,
    variables: { id: applicationId },
    pause: !applicationId,
  });
  const title = application.data?.application.title;

  return (
    <Stack maw={960}>
      <PageTitle>{title ? `Award: ${title}` : "Grant award"}</PageTitle>
      <QueryState result={result} onRetry={() => refetch({ requestPolicy: "network-only" })}>
        {({ grantAward }) => (
          <AwardView
            award={grantAward}
            programName={application.data?.application.program?.name}
            refetch={() => refetch({ requestPolicy: "network-only" })}
          />
        )}
      </QueryState>
      <Group>
        {applicationId && (
          <Anchor component={Link} to={`/member/grants/applications/${applicationId}`}>
            The application and decision letter
          </Anchor>
        )}
        <Anchor component={Link} to="/member/grants">
          Back to grants
        </Anchor>
      </Group>
    </Stack>
  );
}

function AwardView({ award, programName, refetch }: { award: AwardData; programName?: string; refetch: () => void }) {
  const [signing, setSigning] = useState(false);
  const [reporting, setReporting] = useState(false);
  const paidShare = award.amountCents > 0 ? Math.min(100, (award.paidCents / award.amountCents) * 100) : 0;

  return (
    <Stack>
      <Card withBorder>
        <Group justify="space-between" wrap="wrap" mb="sm">
          <div>
            <Text fw={700} size="lg">
              {formatMoney(award.amountCents, award.currency)}
            </Text>
            {programName && <Text size="sm">{programName}</Text>}
          </div>
          {award.agreementSignedAt ? (
            <Text size="sm">Agreement signed {formatDateTime(award.agreementSignedAt)}</Text>
          ) : (
            <Button leftSection={<IconSignature size={16} aria-hidden />} onClick={() => setSigning(true)}>
              Sign the grant agreement
            </Button>
          )}
        </Group>
        <DataList labelWidth="10rem">
          <DataList.Item>
            <DataList.ItemLabel>Awarded</DataList.ItemLabel>
            <DataList.ItemValue>{formatDateTime(award.awardedAt)}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Conditions</DataList.ItemLabel>
            <DataList.ItemValue style={{ whiteSpace: "pre-wrap" }}>{award.conditions || "None"}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Paid so far</DataList.ItemLabel>
            <DataList.ItemValue>
              {formatMoney(award.paidCents, award.currency)} of {formatMoney(award.amountCents, award.currency)}
              <Progress value={paidShare} mt={4} aria-label="Share of the award paid" />
            </DataList.ItemValue>
          </DataList.Item>
        </DataList>
      </Card>

      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Instalments
        </Title>
        <Table.ScrollContainer minWidth={640} type="native" tabIndex={0} role="region" aria-label="Instalments, scrollable">
          <Table aria-label="Instalments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
                <Table.Th>Paid when</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Paid</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {award.instalments.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>{i.seq}</Table.Td>
                  <Table.Td ta="right">{formatMoney(i.amountCents, i.currency)}</Table.Td>
                  <Table.Td>{CONDITION_TEXT[i.condition] ?? humanize(i.condition)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={i.status} />
                  </Table.Td>
                  <Table.Td>
                    {i.paidAt
                      ? `${formatDate(i.paidAt)}${i.reference ? ` (${i.reference})` : ""}`
                      : i.scheduledAt
                        ? `Scheduled ${formatDate(i.scheduledAt)}`
                        : "—"}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>

      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Title order={3} size="h4">
            Grantee reports
          </Title>
          <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setReporting(true)}>
            Submit a report
          </Button>
        </Group>
        {award.reports.length === 0 ? (
          <Text c="gray.7" size="sm">
            No report yet. Interim, final and receipts reports unlock the instalments that wait for them.
          </Text>
        ) : (
          <Stack gap="sm">
            {award.reports.map((r) => (
              <Card key={r.id} withBorder padding="sm">
                <Group justify="space-between">
                  <Text fw={500}>{humanize(r.kind)} report</Text>
                  <StatusBadge status={r.status} />
                </Group>
                <Text size="xs" c="gray.7">
                  Submitted {formatDateTime(r.submittedAt)}
                  {r.reviewedAt && ` · reviewed ${formatDateTime(r.reviewedAt)}`}
                </Text>
                <Text size="sm" mt="xs" lineClamp={4} style={{ whiteSpace: "pre-wrap" }}>
                  {r.narrative}
                </Text>
                {r.spending.length > 0 && (
                  <Text size="sm" mt="xs">
                    Spending: {formatMoney(r.spending.reduce((s, l) => s + l.amountCents, 0), award.currency)} in{" "}
                    {r.spending.length} line{r.spending.length === 1 ? "" : "s"}
                  </Text>
                )}
                {r.staffComment && (
                  <Alert color={r.status === "RETURNED" ? "orange" : "gray"} mt="xs" p="xs" title="Staff comment">
                    {r.staffComment}
                  </Alert>
                )}
              </Card>
            ))}
          </Stack>
        )}
      </Card>

      <SignModal awardId={award.id} opened={signing} onClose={() => setSigning(false)} />
      <ReportModal
        award={award}
        opened={reporting}
        onClose={() => setReporting(false)}
        onSubmitted={() => {
          setReporting(false);
          refetch();
        }}
      />
    </Stack>
  );
}

function SignModal({ awardId, opened, onClose }: { awardId: string; opened: boolean; onClose: () => void }) {
  const [state, sign] = useMutation(MemberSignGrantAgreement);
  const [error, setError] = useState<CombinedError | null>(null);
  const confirm = async () => {
    setError(null);
    const result = await sign({ awardId });
    if (result.data) {
      notifications.show({ color: "green", title: "Agreement signed", message: "Staff can now release the instalments." });
      onClose();
    } else if (result.error) setError(result.error);
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Sign the grant agreement">
      <Stack>
        {error && <ErrorAlert error={error} />}
        <Text size="sm">
          By signing, your community accepts the award's conditions and agrees to report on how the money is spent.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Not now
          </Button>
          <Button onClick={() => void confirm()} loading={state.fetching}>
            Sign agreement
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

interface ReportValues {
  kind: GranteeReportKind | null;
  narrative: string;
  spending: { item: string; amount: number | string }[];
  attachments: { name: string; ref: string }[];
}

function reportPath(field: string): string {
  return field
    .replace(/\[(\d+)\]/g, ".$1")
    .replace(/^(spending\.\d+)\.amountCents$/, "$1.amount")
    .replace(/^(attachments\.\d+)$/, "$1.name");
}

function ReportModal({
  award,
  opened,
  onClose,
  onSubmitted,
}: {
  award: AwardData;
  opened: boolean;
  onClose: () => void;
  onSubmitted: () => void;
}) {
  const [, submitReport] = useMutation(MemberSubmitGranteeReport);
  const [error, setError] = useState<CombinedError | null>(null);
  const [saving, setSaving] = useState(false);
  const form = useForm<ReportValues>({
    initialValues: { kind: null, narrative: "", spending: [], attachments: [] },
    validate: {
      kind: (v) => (v ? null : "Choose the kind of report"),
      narrative: (v) => (v.trim() ? null : "Tell how the project went"),
    },
  });
  const close = () => {
    form.reset();
    setError(null);
    onClose();
  };
  const submit = form.onSubmit(async (values) => {
    setSaving(true);
    setError(null);
    const result = await submitReport({
      awardId: award.id,
      input: {
        kind: values.kind ?? "INTERIM",
        narrative: values.narrative.trim(),
        spending: values.spending
          .filter((l) => l.item.trim() || l.amount !== "")
          .map((l) => ({ item: l.item.trim(), amountCents: toCents(l.amount) })),
        attachments: values.attachments
          .filter((a) => a.name.trim() || a.ref.trim())
          .map((a) => ({ name: a.name.trim(), ref: a.ref.trim() })),
      },
    });
    setSaving(false);
    if (result.data) {
      notifications.show({ color: "green", title: "Report submitted", message: "Staff will read it and accept it or send it back." });
      form.reset();
      onSubmitted();
      return;
    }
    const fields = [
      "kind",
      "narrative",
      "spending",
      "attachments",
      ...values.spending.flatMap((_, i) => [`spending[${i}].item`, `spending[${i}].amountCents`]),
      ...values.attachments.flatMap((_, i) => [`attachments[${i}]`, `attachments[${i}].name`, `attachments[${i}].ref`]),
    ];
    const { byField, other } = splitFieldErrors(result.error, fields);
    form.setErrors(Object.fromEntries(Object.entries(byField).map(([f, m]) => [reportPath(f), m])));
    if (other.length && result.error) setError(result.error);
  });
  const taken = new Set(award.reports.filter((r) => r.status !== "RETURNED").map((r) => r.kind));

  return (
    <Modal opened={opened} onClose={close} title="Submit a grantee report" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          {error && <ErrorAlert error={error} />}
          <Select
            label="Kind of report"
            required
            data={(["INTERIM", "FINAL", "RECEIPTS"] as const).map((k) => ({
              value: k,
              label: `${humanize(k)}${taken.has(k) ? " (already submitted)" : ""}`,
              disabled: taken.has(k),
            }))}
            {...form.getInputProps("kind")}
          />
          <Textarea label="Narrative" description="What was done, who took part, what came of it" required rows={6} {...form.getInputProps("narrative")} />
          <div>
            <Text size="sm" fw={500} id="spending-title">
              Spending
            </Text>
            {form.values.spending.length > 0 && (
              <Table aria-labelledby="spending-title" mt="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Item</Table.Th>
                    <Table.Th w={160}>Amount (USD)</Table.Th>
                    <Table.Th w={44}>
                      <VisuallyHidden>Remove</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {form.values.spending.map((_, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>
                        <TextInput aria-label={`Spending line ${i + 1}: item`} {...form.getInputProps(`spending.${i}.item`)} />
                      </Table.Td>
                      <Table.Td>
                        <NumberInput
                          aria-label={`Spending line ${i + 1}: amount`}
                          min={0}
                          decimalScale={2}
                          prefix="$"
                          thousandSeparator=","
                          {...form.getInputProps(`spending.${i}.amount`)}
                        />
                      </Table.Td>
                      <Table.Td>
                        <ActionIcon variant="subtle" color="red" aria-label={`Remove spending line ${i + 1}`} onClick={() => form.removeListItem("spending", i)}>
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <Button variant="light" size="xs" mt="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => form.insertListItem("spending", { item: "", amount: "" })}>
              Add a spending line
            </Button>
          </div>
          <div>
            <Text size="sm" fw={500}>
              Attachments
            </Text>
            {form.values.attachments.map((_, i) => (
              <Group key={i} align="flex-end" wrap="nowrap" mt="xs">
                <TextInput label={`Attachment ${i + 1}: name`} style={{ flex: 1 }} {...form.getInputProps(`attachments.${i}.name`)} />
                <TextInput label={`Attachment ${i + 1}: reference`} style={{ flex: 2 }} {...form.getInputProps(`attachments.${i}.ref`)} />
                <ActionIcon variant="subtle" color="red" mb={6} aria-label={`Remove attachment ${i + 1}`} onClick={() => form.removeListItem("attachments", i)}>
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Group>
            ))}
            <Button variant="light" size="xs" mt="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => form.insertListItem("attachments", { name: "", ref: "" })}>
              Add an attachment
            </Button>
          </div>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              Submit report
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
