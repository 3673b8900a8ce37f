// Staff: one member community: its details, dues invoices, status history and
// partnerships; edit it, cancel its membership or reinstate it (with a reason).
import { Alert, Anchor, Breadcrumbs, Button, Card, Group, SimpleGrid, Stack, Table, Text, Textarea, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { IconArrowBackUp, IconBan, IconPencil } from "@tabler/icons-react";
import { useState, type ReactNode } from "react";
import { Link, useParams } from "react-router";
import { useMutation, useQuery } from "urql";

import type { ApiError } from "../../../../api/errors";
import { formatDate, formatDateTime, formatMoney, formatNumber, humanize } from "../../../../components/format";
import { PageTitle } from "../../../../components/PageTitle";
import { EmptyState, QueryState } from "../../../../components/QueryState";
import { RequireRole } from "../../../../components/RequireRole";
import { StatusBadge } from "../../../../components/StatusBadge";
import { graphql } from "../../../../gql";
import type { StaffMemberFieldsFragment } from "../../../../gql/graphql";
import { ActionModal } from "../shared/ActionModal";
import { formErrors } from "../shared/formErrors";
import { BAND_LABELS, KIND_LABELS } from "../shared/labels";

const MemberDetailQuery = graphql(`
  query StaffMemberDetail($id: ID!) {
    member(id: $id) {
      ...StaffMemberFields
    }
  }
`);

const CancelMembershipMutation = graphql(`
  mutation StaffCancelMembership($id: ID!, $reason: String!) {
    cancelMembership(id: $id, reason: $reason) {
      ...StaffMemberFields
    }
  }
`);

const ReinstateMembershipMutation = graphql(`
  mutation StaffReinstateMembership($id: ID!, $reason: String!) {
    reinstateMembership(id: $id, reason: $reason) {
      ...StaffMemberFields
    }
  }
`);

export function MemberDetailPage() {
  return (
    <RequireRole role="staff">
      <MemberDetail />
    </RequireRole>
  );
}

function MemberDetail() {
  const { id = "" } = useParams();
  const [result, refetch] = useQuery({ query: MemberDetailQuery, variables: { id } });
  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/staff/members">
          Members
        </Anchor>
        <Text size="sm">{result.data?.member?.name ?? "Member"}</Text>
      </Breadcrumbs>
      <QueryState
        result={result}
        onRetry={() => refetch({ requestPolicy: "network-only" })}
        isEmpty={(data) => !data.member}
        empty="There is no member with this id. It may have been mistyped."
      >
        {(data) => data.member && <MemberView member={data.member} />}
      </QueryState>
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={700} tt="uppercase" component="dt">
        {label}
      </Text>
      <Text size="sm" component="dd" m={0}>
        {children}
      </Text>
    </div>
  );
}

function MemberView({ member }: { member: StaffMemberFieldsFragment }) {
  const [action, setAction] = useState<"cancel" | "reinstate" | null>(null);
  const cancelled = member.status === "CANCELLED";
  return (
    <>
      <PageTitle
        actions={
          <Group gap="xs">
            <Button
              component={Link}
              to={`/staff/members/${member.id}/edit`}
              variant="default"
              leftSection={<IconPencil size={16} aria-hidden />}
            >
              Edit
            </Button>
            {cancelled ? (
              <Button onClick={() => setAction("reinstate")} leftSection={<IconArrowBackUp size={16} aria-hidden />}>
                Reinstate membership
              </Button>
            ) : (
              <Button color="red" variant="light" onClick={() => setAction("cancel")} leftSection={<IconBan size={16} aria-hidden />}>
                Cancel membership
              </Button>
            )}
          </Group>
        }
      >
        {member.name}
      </PageTitle>
      {member.population == null && member.duesBand == null && (
        <Alert color="yellow" title="Population missing" role="note">
          No dues are issued to {member.name} until its population (or, for a county or state whose population is
          unknown, its dues band) is set.{" "}
          <Anchor component={Link} to={`/staff/members/${member.id}/edit`}>
            Set it now
          </Anchor>
          .
        </Alert>
      )}
      <Card withBorder>
        <Group mb="sm" gap="xs">
          <StatusBadge status={member.status} />
          <Text size="sm">
            {member.goodStanding ? "In good standing" : "Not in good standing"}
          </Text>
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} component="dl" m={0}>
          <Field label="Kind">{KIND_LABELS[member.kind]}</Field>
          <Field label="State">{member.state}</Field>
          <Field label="Population">{member.population == null ? "Unknown" : formatNumber(member.population)}</Field>
          <Field label="Dues band">{member.duesBand ? BAND_LABELS[member.duesBand] : "—"}</Field>
          <Field label="Contact email">
            {member.contactEmail ? <Anchor href={`mailto:${member.contactEmail}`}>{member.contactEmail}</Anchor> : "—"}
          </Field>
          <Field label="Website">
            {member.website ? (
              <Anchor href={member.website} target="_blank" rel="noopener noreferrer">
                {member.website}
              </Anchor>
            ) : (
              "—"
            )}
          </Field>
          <Field label="Joined">{formatDate(member.joinedOn)}</Field>
        </SimpleGrid>
      </Card>

      <Invoices member={member} />
      <StatusHistory member={member} />
      <Partnerships member={member} />

      <MembershipActionModal member={member} action={action} onClose={() => setAction(null)} />
    </>
  );
}

function Invoices({ member }: { member: StaffMemberFieldsFragment }) {
  const invoices = member.invoices ?? [];
  return (
    <section aria-labelledby="member-invoices">
      <Title order={3} size="h4" id="member-invoices" mb="xs">
        Dues invoices
      </Title>
      {invoices.length === 0 ? (
        <EmptyState>No dues invoice yet: one is issued once the fiscal year's schedule is set.</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped aria-labelledby="member-invoices">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Fiscal year</Table.Th>
                <Table.Th scope="col">Band</Table.Th>
                <Table.Th scope="col" ta="right">
                  Amount
                </Table.Th>
                <Table.Th scope="col" miw={100}>
                  Status
                </Table.Th>
                <Table.Th scope="col">Issued</Table.Th>
                <Table.Th scope="col">Due</Table.Th>
                <Table.Th scope="col">Grace ends</Table.Th>
                <Table.Th scope="col">Payments</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invoices.map((invoice) => (
                <Table.Tr key={invoice.id}>
                  <Table.Td>FY{invoice.fiscalYear}</Table.Td>
                  <Table.Td>{BAND_LABELS[invoice.band]}</Table.Td>
                  <Table.Td ta="right">
                    {formatMoney(invoice.amountCents, invoice.currency)}
                    {invoice.prorated && (
                      <Text size="xs" c="dimmed">
                        prorated: {invoice.coveredDays} of {invoice.yearDays} days of{" "}
                        {formatMoney(invoice.fullAmountCents, invoice.currency)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={invoice.status} />
                  </Table.Td>
                  <Table.Td>{formatDate(invoice.issuedOn)}</Table.Td>
                  <Table.Td>{formatDate(invoice.dueDate)}</Table.Td>
                  <Table.Td>{formatDate(invoice.graceEndsOn)}</Table.Td>
                  <Table.Td>
                    {invoice.payments.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        None
                      </Text>
                    ) : (
                      <Stack gap={2}>
                        {invoice.payments.map((payment) => (
                          <Anchor key={payment.id} component={Link} to={`/staff/payments/${payment.id}`} size="sm">
                            {humanize(payment.status)}, {formatDate(payment.createdAt)}
                          </Anchor>
                        ))}
                      </Stack>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}

function StatusHistory({ member }: { member: StaffMemberFieldsFragment }) {
  const history = [...(member.statusHistory ?? [])].reverse();
  return (
    <section aria-labelledby="member-history">
      <Title order={3} size="h4" id="member-history" mb="xs">
        Status history
      </Title>
      {history.length === 0 ? (
        <EmptyState>No status change recorded.</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped aria-labelledby="member-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Effective</Table.Th>
                <Table.Th scope="col" miw={130}>
                  From
                </Table.Th>
                <Table.Th scope="col" miw={130}>
                  To
                </Table.Th>
                <Table.Th scope="col">Good standing</Table.Th>
                <Table.Th scope="col">Reason</Table.Th>
                <Table.Th scope="col">Recorded</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {history.map((change) => (
                <Table.Tr key={`${change.changedAt}-${change.newStatus}`}>
                  <Table.Td>{formatDate(change.effectiveOn)}</Table.Td>
                  <Table.Td>{change.oldStatus ? <StatusBadge status={change.oldStatus} /> : "—"}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={change.newStatus} />
                  </Table.Td>
                  <Table.Td>{change.goodStanding ? "Yes" : "No"}</Table.Td>
                  <Table.Td>{change.reason || "—"}</Table.Td>
                  <Table.Td>{formatDateTime(change.changedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}

function Partnerships({ member }: { member: StaffMemberFieldsFragment }) {
  return (
    <section aria-labelledby="member-partnerships">
      <Title order={3} size="h4" id="member-partnerships" mb="xs">
        Partnerships
      </Title>
      {member.partnerships.length === 0 ? (
        <EmptyState>No partnership recorded.</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped aria-labelledby="member-partnerships">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Partner community</Table.Th>
                <Table.Th scope="col">Country</Table.Th>
                <Table.Th scope="col">Type</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Recognized</Table.Th>
                <Table.Th scope="col">Since</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {member.partnerships.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/staff/partnerships/${p.id}`}>
                      {p.partnerRegion ? `${p.partnerCity}, ${p.partnerRegion}` : p.partnerCity}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{p.countryName}</Table.Td>
                  <Table.Td>{humanize(p.type)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={p.status} />
                  </Table.Td>
                  <Table.Td>{p.recognized ? "Yes" : "No"}</Table.Td>
                  <Table.Td>{p.signedOn ? formatDate(p.signedOn) : (p.establishedYear ?? "—")}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}

function MembershipActionModal({
  member,
  action,
  onClose,
}: {
  member: StaffMemberFieldsFragment;
  action: "cancel" | "reinstate" | null;
  onClose: () => void;
}) {
  const [cancelState, cancel] = useMutation(CancelMembershipMutation);
  const [reinstateState, reinstate] = useMutation(ReinstateMembershipMutation);
  const [other, setOther] = useState<ApiError[]>([]);
  const form = useForm({
    initialValues: { reason: "" },
    validate: { reason: (value) => (value.trim() ? null : "Give the reason; it is kept in the status history") },
  });
  const close = () => {
    form.reset();
    setOther([]);
    onClose();
  };
  const confirm = form.onSubmit(async ({ reason }) => {
    setOther([]);
    const variables = { id: member.id, reason: reason.trim() };
    const result = action === "cancel" ? await cancel(variables) : await reinstate(variables);
    if (result.error) {
      const { byField, other: rest } = formErrors(result.error, ["reason"]);
      form.setErrors(byField);
      setOther(rest);
      return;
    }
    notifications.show({
      color: "green",
      message:
        action === "cancel"
          ? `${member.name}'s membership is cancelled.`
          : `${member.name}'s membership is reinstated.`,
    });
    close();
  });
  const cancelling = action === "cancel";
  return (
    <ActionModal
      opened={action !== null}
      onClose={close}
      title={cancelling ? `Cancel ${member.name}'s membership` : `Reinstate ${member.name}`}
      description={
        cancelling
          ? `${member.name} stops being a member: its open dues invoices become void and it is no longer in good standing. Staff can reinstate it later.`
          : `${member.name} becomes a member again: its voided invoices of the current and next fiscal year are open again, it is billed like a joiner for a year it has no invoice for, and its status follows from its invoices (it may be lapsed at once if this year's dues are long overdue).`
      }
      confirmLabel={cancelling ? "Cancel membership" : "Reinstate membership"}
      confirmColor={cancelling ? "red" : undefined}
      fetching={cancelState.fetching || reinstateState.fetching}
      errors={other}
      onConfirm={() => confirm()}
    >
      <Textarea label="Reason" required rows={3} data-autofocus {...form.getInputProps("reason")} />
    </ActionModal>
  );
}
