// Staff: every email the platform sent, newest first, searched by recipient,
// kind, delivery status and day (the filters live in the URL), a page at a
// time; each one's attempts and last error; a parked one sent again after
// confirmation. Above them, what waits for staff (the daily digest's counts).
import "@mantine/dates/styles.css";

import { Alert, Anchor, Button, Code, DataList, Group, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput, VisuallyHidden } from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconSearch } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";

import { apiErrors, type ApiError } from "../../../api/errors";
import { formatDateTime, formatNumber, humanize } from "../../../components/format";
import { kindLabel, KIND_OPTIONS, NOTIFICATION_STATUSES } from "../../../components/notifications";
import { PageTitle } from "../../../components/PageTitle";
import { QueryState } from "../../../components/QueryState";
import { RequireRole } from "../../../components/RequireRole";
import { StatusBadge } from "../../../components/StatusBadge";
import { graphql } from "../../../gql";
import type { NotificationKind, NotificationStatus, StaffNotificationFieldsFragment } from "../../../gql/graphql";
import { ActionModal } from "../core/shared/ActionModal";
import { formErrors } from "../core/shared/formErrors";
import { CursorPager } from "../core/shared/Pager";
import { useCursorPages } from "../core/shared/useCursorPages";
import { StaffDigestCard } from "./StaffDigestCard";

const PAGE_SIZE = 25;

const StaffNotificationsQuery = graphql(`
  query StaffNotifications($filter: NotificationFilter, $first: Int!, $after: String) {
    notifications(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...StaffNotificationFields
        }
      }
    }
  }
`);

const ParkedCountQuery = graphql(`
  query StaffParkedNotifications {
    notifications(filter: { status: PARKED }, first: 0) {
      totalCount
    }
  }
`);

const ResendMutation = graphql(`
  mutation StaffResendNotification($id: ID!) {
    resendNotification(id: $id) {
      ...StaffNotificationFields
    }
  }
`);

type Row = StaffNotificationFieldsFragment;

const STATUS_OPTIONS = NOTIFICATION_STATUSES.map((value) => ({ value, label: humanize(value) }));
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const FILTER_FIELDS = ["recipient", "kind", "status", "from", "to"] as const;

export function NotificationsPage() {
  return (
    <RequireRole role="staff">
      <StaffNotifications />
    </RequireRole>
  );
}

function StaffNotifications() {
  const [params, setParams] = useSearchParams();
  const pages = useCursorPages();
  const urlRecipient = params.get("recipient") ?? "";
  const [recipient, setRecipient] = useState(urlRecipient);
  const [debouncedRecipient] = useDebouncedValue(recipient.trim(), 300);
  const kind = KIND_OPTIONS.some((o) => o.value === params.get("kind")) ? (params.get("kind") as NotificationKind) : null;
  const status = NOTIFICATION_STATUSES.includes(params.get("status") as NotificationStatus)
    ? (params.get("status") as NotificationStatus)
    : null;
  const from = ISO_DATE.test(params.get("from") ?? "") ? params.get("from") : null;
  const to = ISO_DATE.test(params.get("to") ?? "") ? params.get("to") : null;
  const [shown, setShown] = useState<Row | null>(null);
  const [confirming, setConfirming] = useState<Row | null>(null);

  const setParam = (name: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  // The recipient box writes the URL once typing pauses.
  useEffect(() => {
    if (debouncedRecipient !== urlRecipient) setParam("recipient", debouncedRecipient || null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the typed text settles
  }, [debouncedRecipient]);

  const filter = { recipient: urlRecipient || null, kind, status, from, to };
  const [result, refetch] = useQuery({
    query: StaffNotificationsQuery,
    variables: { filter, first: PAGE_SIZE, after: pages.after },
  });
  const [parked, refetchParked] = useQuery({ query: ParkedCountQuery });
  const filtered = Boolean(urlRecipient || kind || status || from || to);
  const { byField, other } = formErrors(result.error, FILTER_FIELDS);
  const listing = { ...result, error: other.length ? result.error : undefined };

  const resent = (notification: Row) => {
    setConfirming(null);
    if (shown?.id === notification.id) setShown(notification);
    notifications.show({
      color: "green",
      title: "Sent again",
      message: `${notification.subject || kindLabel(notification.kind)} to ${notification.recipient} is on its way.`,
    });
    refetch({ requestPolicy: "network-only" });
    refetchParked({ requestPolicy: "network-only" });
  };
  const parkedCount = parked.data?.notifications.totalCount ?? 0;

  return (
    <Stack gap="md">
      <PageTitle>Notifications</PageTitle>
      <StaffDigestCard />
      {parkedCount > 0 && status !== "PARKED" && (
        <Alert color="red" title="Emails waiting for you" data-testid="parked-alert">
          <Group gap="xs">
            <Text size="sm">
              {formatNumber(parkedCount)} {parkedCount === 1 ? "email is" : "emails are"} parked: sending failed for
              good or too often.
            </Text>
            <Anchor component={Link} to="/staff/notifications?status=PARKED" size="sm">
              Show the parked emails
            </Anchor>
          </Group>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} role="search" aria-label="Find emails">
        <TextInput
          label="Recipient"
          placeholder="name@example.org"
          type="email"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={recipient}
          onChange={(event) => setRecipient(event.currentTarget.value)}
          error={byField.recipient}
        />
        <Select
          label="About"
          placeholder="Any kind"
          data={KIND_OPTIONS}
          value={kind}
          onChange={(value) => setParam("kind", value)}
          searchable
          clearable
          nothingFoundMessage="No such kind"
          error={byField.kind}
        />
        <Select
          label="Delivery"
          placeholder="Any status"
          data={STATUS_OPTIONS}
          value={status}
          onChange={(value) => setParam("status", value)}
          clearable
          error={byField.status}
        />
        <DatePickerInput
          label="Created from"
          placeholder="Any day"
          value={from}
          onChange={(value) => setParam("from", value)}
          maxDate={to ?? undefined}
          clearable
          valueFormat="MMM D, YYYY"
          error={byField.from}
        />
        <DatePickerInput
          label="Created until"
          placeholder="Any day"
          value={to}
          onChange={(value) => setParam("to", value)}
          minDate={from ?? undefined}
          clearable
          valueFormat="MMM D, YYYY"
          error={byField.to}
        />
      </SimpleGrid>
      {Object.keys(byField).length === 0 || other.length > 0 ? (
        <QueryState
          result={listing}
          onRetry={() => refetch({ requestPolicy: "network-only" })}
          isEmpty={(data) => data.notifications.edges.length === 0}
          empty={filtered ? "No email matches these filters." : "No email has been sent yet."}
        >
          {({ notifications: page }) => (
            <>
              <Table.ScrollContainer minWidth={960}>
                <Table striped highlightOnHover aria-label="Emails">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Created</Table.Th>
                      <Table.Th scope="col">Recipient</Table.Th>
                      <Table.Th scope="col">About</Table.Th>
                      <Table.Th scope="col">Subject</Table.Th>
                      <Table.Th scope="col">Delivery</Table.Th>
                      <Table.Th scope="col" ta="right">
                        Attempts
                      </Table.Th>
                      <Table.Th scope="col">
                        <VisuallyHidden>Actions</VisuallyHidden>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.edges.map(({ node }) => (
                      <Table.Tr key={node.id}>
                        <Table.Td>{formatDateTime(node.createdAt)}</Table.Td>
                        <Table.Td>
                          {node.memberId ? (
                            <Anchor component={Link} to={`/staff/members/${node.memberId}`}>
                              {node.recipient}
                            </Anchor>
                          ) : (
                            node.recipient
                          )}
                        </Table.Td>
                        <Table.Td>{kindLabel(node.kind)}</Table.Td>
                        <Table.Td>{node.subject || "—"}</Table.Td>
                        <Table.Td>
                          <StatusBadge status={node.status} />
                        </Table.Td>
                        <Table.Td ta="right">{node.attemptCount}</Table.Td>
                        <Table.Td>
                          <Group gap="xs" wrap="nowrap" justify="flex-end">
                            <Button
                              size="xs"
                              variant="default"
                              onClick={() => setShown(node)}
                              aria-label={`Details of ${kindLabel(node.kind)} to ${node.recipient}`}
                            >
                              Details
                            </Button>
                            {node.status === "PARKED" && (
                              <Button
                                size="xs"
                                onClick={() => setConfirming(node)}
                                aria-label={`Send again: ${kindLabel(node.kind)} to ${node.recipient}`}
                              >
                                Send again
                              </Button>
                            )}
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <CursorPager
                label="emails"
                page={pages.page}
                pageSize={PAGE_SIZE}
                total={page.totalCount}
                shown={page.edges.length}
                endCursor={page.pageInfo.endCursor}
                hasNextPage={page.pageInfo.hasNextPage}
                onNext={pages.next}
                onPrevious={pages.previous}
              />
            </>
          )}
        </QueryState>
      ) : null}
      <NotificationDetail
        notification={shown}
        onClose={() => setShown(null)}
        onResend={(n) => setConfirming(n)}
      />
      <ResendModal notification={confirming} onClose={() => setConfirming(null)} onDone={resent} />
    </Stack>
  );
}

function NotificationDetail({
  notification: n,
  onClose,
  onResend,
}: {
  notification: Row | null;
  onClose: () => void;
  onResend: (n: Row) => void;
}) {
  return (
    <Modal opened={n !== null} onClose={onClose} title="Email details" centered size="xl">
      {n && (
        <Stack>
          <DataList labelWidth="10rem">
            <DataList.Item>
              <DataList.ItemLabel>About</DataList.ItemLabel>
              <DataList.ItemValue>{kindLabel(n.kind)}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Subject</DataList.ItemLabel>
              <DataList.ItemValue>{n.subject || "Not rendered yet"}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Recipient</DataList.ItemLabel>
              <DataList.ItemValue>{n.recipient}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Delivery</DataList.ItemLabel>
              <DataList.ItemValue>
                <StatusBadge status={n.status} />
              </DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Created</DataList.ItemLabel>
              <DataList.ItemValue>{formatDateTime(n.createdAt)}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Sent</DataList.ItemLabel>
              <DataList.ItemValue>{formatDateTime(n.sentAt)}</DataList.ItemValue>
            </DataList.Item>
            {n.status === "PENDING" && (
              <DataList.Item>
                <DataList.ItemLabel>Next attempt</DataList.ItemLabel>
                <DataList.ItemValue>{formatDateTime(n.nextAttemptAt)}</DataList.ItemValue>
              </DataList.Item>
            )}
            <DataList.Item>
              <DataList.ItemLabel>Caused by</DataList.ItemLabel>
              <DataList.ItemValue>
                <Code>{n.eventType}</Code>
              </DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Message-ID</DataList.ItemLabel>
              <DataList.ItemValue>
                <Code style={{ wordBreak: "break-all" }}>{n.messageId}</Code>
              </DataList.ItemValue>
            </DataList.Item>
          </DataList>
          {n.lastError && (
            <Alert color="red" title="Last error" data-testid="last-error">
              <Text size="sm" style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>
                {n.lastError}
              </Text>
            </Alert>
          )}
          {n.attempts.length > 0 ? (
            <Table aria-label="Attempts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">#</Table.Th>
                  <Table.Th scope="col">When</Table.Th>
                  <Table.Th scope="col">Outcome</Table.Th>
                  <Table.Th scope="col">Error</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {n.attempts.map((a) => (
                  <Table.Tr key={a.number}>
                    <Table.Td>{a.number}</Table.Td>
                    <Table.Td>{formatDateTime(a.at)}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={a.outcome} />
                    </Table.Td>
                    <Table.Td style={{ wordBreak: "break-word" }}>{a.error ?? "—"}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Text size="sm" c="gray.7">
              No attempt to hand it to the mail server yet.
            </Text>
          )}
          {n.status === "PARKED" && (
            <Group justify="flex-end">
              <Button onClick={() => onResend(n)}>Send again</Button>
            </Group>
          )}
        </Stack>
      )}
    </Modal>
  );
}

function ResendModal({
  notification: n,
  onClose,
  onDone,
}: {
  notification: Row | null;
  onClose: () => void;
  onDone: (n: Row) => void;
}) {
  const [{ fetching }, resend] = useMutation(ResendMutation);
  const [errors, setErrors] = useState<ApiError[]>([]);
  const close = () => {
    setErrors([]);
    onClose();
  };
  const confirm = async () => {
    if (!n) return;
    setErrors([]);
    const result = await resend({ id: n.id });
    if (result.data) onDone(result.data.resendNotification);
    else setErrors(apiErrors(result.error));
  };
  return (
    <ActionModal
      opened={n !== null}
      onClose={close}
      title="Send the email again"
      description={
        n ? (
          <Stack gap="xs">
            <Text size="sm">
              {kindLabel(n.kind)} to <strong>{n.recipient}</strong>
              {n.subject ? `: “${n.subject}”` : ""} goes back to the mail server, with the same Message-ID, so a
              recipient who did get it once sees it once.
            </Text>
            {n.lastError && (
              <Text size="sm" c="gray.7">
                It was parked after: {n.lastError}
              </Text>
            )}
          </Stack>
        ) : (
          ""
        )
      }
      confirmLabel="Send again"
      fetching={fetching}
      errors={errors}
      onConfirm={() => void confirm()}
    />
  );
}
