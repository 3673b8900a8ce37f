import {
  Anchor,
  Button,
  Card,
  Group,
  List,
  Modal,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { Link, useParams } from "react-router";
import type { CombinedError } from "urql";
import { useMutation, useQuery } from "urql";

import { splitFieldErrors } from "../../../api/errors";
import { PageTitle } from "../../../components/PageTitle";
import { ErrorAlert, QueryState } from "../../../components/QueryState";
import { RequireRole } from "../../../components/RequireRole";
import { StatusBadge } from "../../../components/StatusBadge";
import { formatDate, formatDateTime, formatMoney, humanize } from "../../../components/format";
import { graphql } from "../../../gql";
import type { StaffGrantsAwardQuery } from "../../../gql/graphql";
import { CONDITIONS } from "./decision";

const Award = graphql(`
  query StaffGrantsAward($id: ID!) {
    grantAward(id: $id) {
      id
      applicationId
      programId
      memberId
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
        disbursementId
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

const AwardApplication = graphql(`
  query StaffGrantsAwardApplication($id: ID!) {
    application(id: $id) {
      id
      title
      applicantName
      program {
        id
        name
      }
    }
  }
`);

const Disbursements = graphql(`
  query StaffGrantsAwardDisbursements($awardId: ID!) {
    disbursements(filter: { awardId: $awardId }, first: 50) {
      totalCount
      edges {
        node {
          id
          instalmentId
          amountCents
          currency
          status
          reference
          scheduledAt
          paidAt
        }
      }
    }
  }
`);

const Release = graphql(`
  mutation StaffGrantsReleaseInstalment($instalmentId: ID!) {
    releaseInstalment(instalmentId: $instalmentId) {
      id
      paidCents
      instalments {
        id
        status
        releasedAt
        disbursementId
        scheduledAt
        paidAt
        paidCents
        reference
      }
    }
  }
`);

const ReviewReport = graphql(`
  mutation StaffGrantsReviewReport($reportId: ID!, $accept: Boolean!, $comment: String!) {
    reviewGranteeReport(reportId: $reportId, accept: $accept, comment: $comment) {
      id
      status
      reviewedAt
      staffComment
    }
  }
`);

const MarkPaid = graphql(`
  mutation StaffGrantsMarkDisbursementPaid($id: ID!, $reference: String!) {
    markDisbursementPaid(id: $id, reference: $reference) {
      id
      status
      reference
      paidAt
    }
  }
`);

type AwardData = StaffGrantsAwardQuery["grantAward"];
type Instalment = AwardData["instalments"][number];
type Report = AwardData["reports"][number];

const CONDITION_LABELS = Object.fromEntries(CONDITIONS.map((c) => [c.value, c.label]));

export function AwardPage() {
  return (
    <RequireRole role="staff">
      <AwardView />
    </RequireRole>
  );
}

function AwardView() {
  const { awardId = "" } = useParams();
  const [result, refetch] = useQuery({ query: Award, variables: { id: awardId } });
  const applicationId = result.data?.grantAward.applicationId;
  const [application] = useQuery({
    query: AwardApplication,
    variables: { id: applicationId ?? "" },
    pause: !applicationId,
  });
  const app = application.data?.application;
  return (
    <Stack>
      {app ? (
        <Anchor component={Link} to={`/staff/grants/applications/${app.id}`} size="sm">
          ← {app.title}
        </Anchor>
      ) : (
        <Anchor component={Link} to="/staff/grants" size="sm">
          ← Grant programmes
        </Anchor>
      )}
      <PageTitle>{app ? `Award: ${app.applicantName ?? app.title}` : "Award"}</PageTitle>
      <QueryState result={result} onRetry={() => refetch({ requestPolicy: "network-only" })}>
        {({ grantAward: award }) => (
          <Stack gap="lg">
            <Card withBorder>
              <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
                <Fact label="Amount">{formatMoney(award.amountCents, award.currency)}</Fact>
                <Fact label="Paid so far">{formatMoney(award.paidCents, award.currency)}</Fact>
                <Fact label="Awarded">{formatDate(award.awardedAt)}</Fact>
                <Fact label="Agreement signed">
                  {award.agreementSignedAt ? formatDate(award.agreementSignedAt) : "Not yet"}
                </Fact>
              </SimpleGrid>
              {app?.program && (
                <Text size="sm" mt="sm">
                  Programme:{" "}
                  <Anchor component={Link} to={`/staff/grants/${app.program.id}`}>
                    {app.program.name}
                  </Anchor>
                </Text>
              )}
              {award.conditions && (
                <Text mt="sm" style={{ whiteSpace: "pre-wrap" }}>
                  Conditions: {award.conditions}
                </Text>
              )}
            </Card>
            <Instalments award={award} />
            <Reports award={award} />
            <AwardDisbursements awardId={award.id} />
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

function Instalments({ award }: { award: AwardData }) {
  const next = award.instalments.find((i) => i.status === "PENDING");
  return (
    <Card withBorder component="section" aria-labelledby="instalments-title">
      <Title order={3} size="h4" id="instalments-title" mb="xs">
        Instalments
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Released in order, each once its condition holds; payments then schedules the bank transfer.
      </Text>
      <Table.ScrollContainer minWidth={760}>
        <Table captionSide="top">
          <Table.Caption>The award's instalments</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th>Paid once</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Released</Table.Th>
              <Table.Th>Paid</Table.Th>
              <Table.Th>Action</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {award.instalments.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>{i.seq}</Table.Td>
                <Table.Td ta="right">{formatMoney(i.amountCents, i.currency)}</Table.Td>
                <Table.Td>{CONDITION_LABELS[i.condition] ?? humanize(i.condition)}</Table.Td>
                <Table.Td>
                  <StatusBadge status={i.status} />
                </Table.Td>
                <Table.Td>{formatDateTime(i.releasedAt)}</Table.Td>
                <Table.Td>
                  {i.paidAt
                    ? `${formatDate(i.paidAt)}${i.reference ? ` (${i.reference})` : ""}`
                    : i.scheduledAt
                      ? `Scheduled ${formatDate(i.scheduledAt)}`
                      : "—"}
                </Table.Td>
                <Table.Td>{next?.id === i.id ? <ReleaseButton instalment={i} /> : null}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

function ReleaseButton({ instalment }: { instalment: Instalment }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [{ fetching }, release] = useMutation(Release);
  const [error, setError] = useState<CombinedError | null>(null);
  const amount = formatMoney(instalment.amountCents, instalment.currency);
  const confirm = async () => {
    setError(null);
    const result = await release({ instalmentId: instalment.id });
    if (result.error) {
      setError(result.error);
      return;
    }
    close();
    notifications.show({
      color: "green",
      title: "Instalment released",
      message: `${amount} handed to payments for disbursement.`,
    });
  };
  return (
    <>
      <Button size="xs" onClick={open} aria-label={`Release instalment ${instalment.seq}`}>
        Release
      </Button>
      <Modal opened={opened} onClose={close} title={`Release instalment ${instalment.seq}?`} centered>
        <Stack>
          <Text size="sm">
            {amount} goes to payments to be disbursed. Its condition:{" "}
            {(CONDITION_LABELS[instalment.condition] ?? humanize(instalment.condition)).toLowerCase()}.
          </Text>
          {error && <ErrorAlert error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button loading={fetching} onClick={() => void confirm()}>
              Release instalment
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function Reports({ award }: { award: AwardData }) {
  return (
    <Card withBorder component="section" aria-labelledby="reports-title">
      <Title order={3} size="h4" id="reports-title" mb="xs">
        Grantee reports
      </Title>
      {award.reports.length === 0 ? (
        <Text c="dimmed" size="sm">
          The grantee has not sent a report yet.
        </Text>
      ) : (
        <Stack>
          {award.reports.map((r) => (
            <ReportCard key={r.id} report={r} currency={award.currency} />
          ))}
        </Stack>
      )}
    </Card>
  );
}

function ReportCard({ report, currency }: { report: Report; currency: string }) {
  const [returning, { open, close }] = useDisclosure(false);
  const [{ fetching }, review] = useMutation(ReviewReport);
  const [error, setError] = useState<CombinedError | null>(null);
  const form = useForm({
    initialValues: { comment: "" },
    validate: { comment: (v) => (!v.trim() ? "Tell the grantee what to change" : null) },
  });
  const kind = `${humanize(report.kind)} report`;

  const send = async (accept: boolean, comment: string) => {
    setError(null);
    const result = await review({ reportId: report.id, accept, comment });
    if (result.error) {
      const { byField, other } = splitFieldErrors(result.error, ["comment"]);
      form.setErrors(byField);
      if (other.length) setError(result.error);
      return false;
    }
    notifications.show({
      color: "green",
      title: accept ? `${kind} accepted` : `${kind} sent back`,
      message: accept ? "Instalments waiting for it can now be released." : "The grantee can send it again.",
    });
    return true;
  };

  return (
    <Card withBorder padding="sm" aria-label={`${kind} of ${formatDate(report.submittedAt)}`}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>
          {kind}, sent {formatDate(report.submittedAt)}
        </Text>
        <StatusBadge status={report.status} />
      </Group>
      <Text style={{ whiteSpace: "pre-wrap" }} size="sm">
        {report.narrative}
      </Text>
      {report.spending.length > 0 && (
        <Table.ScrollContainer minWidth={320} mt="xs">
          <Table captionSide="top">
            <Table.Caption>Spending</Table.Caption>
            <Table.Tbody>
              {report.spending.map((l, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{l.item}</Table.Td>
                  <Table.Td ta="right">{formatMoney(l.amountCents, currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {report.attachments.length > 0 && (
        <List size="sm" mt="xs">
          {report.attachments.map((a) => (
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
      )}
      {report.staffComment && (
        <Text size="sm" mt="xs" c="dimmed">
          Staff comment: {report.staffComment}
        </Text>
      )}
      {error && !returning && <ErrorAlert error={error} />}
      {report.status === "SUBMITTED" && (
        <Group mt="sm">
          <Button size="xs" loading={fetching && !returning} onClick={() => void send(true, "")}>
            Accept
          </Button>
          <Button size="xs" variant="outline" color="orange" onClick={open}>
            Send back…
          </Button>
        </Group>
      )}
      <Modal opened={returning} onClose={close} title={`Send the ${kind.toLowerCase()} back`} centered>
        <form
          onSubmit={form.onSubmit(async ({ comment }) => {
            if (await send(false, comment.trim())) {
              close();
              form.reset();
            }
          })}
          noValidate
        >
          <Stack>
            {error && <ErrorAlert error={error} />}
            <Textarea label="Comment for the grantee" required rows={4} data-autofocus {...form.getInputProps("comment")} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" color="orange" loading={fetching}>
                Send back
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Card>
  );
}

function AwardDisbursements({ awardId }: { awardId: string }) {
  const [result, refetch] = useQuery({ query: Disbursements, variables: { awardId } });
  return (
    <Card withBorder component="section" aria-labelledby="disbursements-title">
      <Title order={3} size="h4" id="disbursements-title" mb="xs">
        Disbursements
      </Title>
      <QueryState
        result={result}
        onRetry={() => refetch({ requestPolicy: "network-only" })}
        isEmpty={(d) => d.disbursements.edges.length === 0}
        empty="Nothing scheduled yet: payments records a disbursement once an instalment is released."
      >
        {(data) => (
          <Table.ScrollContainer minWidth={600}>
            <Table captionSide="top">
              <Table.Caption>Bank transfers for this award</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th ta="right">Amount</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Scheduled</Table.Th>
                  <Table.Th>Paid</Table.Th>
                  <Table.Th>Action</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.disbursements.edges.map(({ node: d }) => (
                  <Table.Tr key={d.id}>
                    <Table.Td ta="right">{formatMoney(d.amountCents, d.currency)}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={d.status} />
                    </Table.Td>
                    <Table.Td>{formatDate(d.scheduledAt)}</Table.Td>
                    <Table.Td>{d.paidAt ? `${formatDate(d.paidAt)} (${d.reference ?? ""})` : "—"}</Table.Td>
                    <Table.Td>{d.status === "SCHEDULED" && <MarkPaidButton disbursementId={d.id} />}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Card>
  );
}

function MarkPaidButton({ disbursementId }: { disbursementId: string }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [{ fetching }, markPaid] = useMutation(MarkPaid);
  const [error, setError] = useState<CombinedError | null>(null);
  const form = useForm({
    initialValues: { reference: "" },
    validate: { reference: (v) => (!v.trim() ? "Give the bank transfer's reference" : null) },
  });
  return (
    <>
      <Button size="xs" variant="light" onClick={open}>
        Mark paid…
      </Button>
      <Modal opened={opened} onClose={close} title="Mark the transfer paid" centered>
        <form
          noValidate
          onSubmit={form.onSubmit(async ({ reference }) => {
            setError(null);
            const result = await markPaid({ id: disbursementId, reference: reference.trim() });
            if (result.error) {
              const { byField, other } = splitFieldErrors(result.error, ["reference"]);
              form.setErrors(byField);
              if (other.length) setError(result.error);
              return;
            }
            close();
            notifications.show({ color: "green", title: "Disbursement paid", message: reference.trim() });
          })}
        >
          <Stack>
            {error && <ErrorAlert error={error} />}
            <TextInput label="Bank reference" required data-autofocus {...form.getInputProps("reference")} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={fetching}>
                Mark paid
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
