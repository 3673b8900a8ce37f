// The member community's emails: the recent ones (what, when, delivered or
// not), and which optional kinds it receives. Invoices, reminders, receipts and
// decisions are always sent: shown switched on, disabled, with why.
import { Button, Card, Stack, Switch, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useMutation, useQuery, type CombinedError } from "urql";

import { splitFieldErrors } from "../../api/errors";
import { KIND_LABELS, MEMBER_ALWAYS_SENT, OPTIONAL_DESCRIPTIONS } from "../../components/notifications";
import { PageTitle } from "../../components/PageTitle";
import { ErrorAlert, QueryState } from "../../components/QueryState";
import { RecentNotifications } from "../../components/RecentNotifications";
import { graphql } from "../../gql";
import type { NotificationKind } from "../../gql/graphql";

const PreferencesQuery = graphql(`
  query MemberNotificationPreferences {
    notificationPreferences {
      memberId
      optedOut
      optional
    }
  }
`);

const SetPreferencesMutation = graphql(`
  mutation MemberSetNotificationPreferences($optedOut: [NotificationKind!]!) {
    setNotificationPreferences(optedOut: $optedOut) {
      memberId
      optedOut
      optional
    }
  }
`);

const FIELDS = ["optedOut"] as const;

export function Notifications() {
  return (
    <Stack>
      <PageTitle>Notifications</PageTitle>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Recent emails
        </Title>
        <RecentNotifications empty="No email has been sent to your community yet." />
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="xs">
          Which emails you receive
        </Title>
        <Preferences />
      </Card>
    </Stack>
  );
}

function Preferences() {
  const [result, refetch] = useQuery({ query: PreferencesQuery });
  return (
    <QueryState result={result} onRetry={() => refetch({ requestPolicy: "network-only" })}>
      {({ notificationPreferences }) => (
        <PreferencesForm
          key={notificationPreferences.optedOut.join(",")}
          optional={notificationPreferences.optional}
          optedOut={notificationPreferences.optedOut}
        />
      )}
    </QueryState>
  );
}

function PreferencesForm({ optional, optedOut }: { optional: NotificationKind[]; optedOut: NotificationKind[] }) {
  const [off, setOff] = useState<NotificationKind[]>(optedOut);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const [{ fetching }, save] = useMutation(SetPreferencesMutation);
  const always = MEMBER_ALWAYS_SENT.filter((a) => !optional.includes(a.kind));

  const toggle = (kind: NotificationKind, receive: boolean) =>
    setOff((now) => (receive ? now.filter((k) => k !== kind) : [...now.filter((k) => k !== kind), kind]));

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setFieldError(null);
    setError(null);
    const saved = await save({ optedOut: off });
    if (saved.data) {
      setOff(saved.data.setNotificationPreferences.optedOut);
      notifications.show({ color: "green", title: "Preferences saved", message: "Your emails follow them from now on." });
      return;
    }
    const { byField, other } = splitFieldErrors(saved.error, FIELDS);
    setFieldError(byField.optedOut ?? null);
    if (other.length && saved.error) setError(saved.error);
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Email preferences">
      <Stack>
        {error && <ErrorAlert error={error} />}
        <Switch.Group
          label="Optional emails"
          description="Your community's users can turn these off."
          value={optional.filter((k) => !off.includes(k))}
          onChange={(on) => {
            for (const kind of optional) toggle(kind, on.includes(kind));
          }}
          error={fieldError}
        >
          <Stack gap="sm" mt="xs">
            {optional.map((kind) => (
              <Switch
                key={kind}
                value={kind}
                label={KIND_LABELS[kind]}
                description={OPTIONAL_DESCRIPTIONS[kind]}
              />
            ))}
          </Stack>
        </Switch.Group>
        <Button type="submit" loading={fetching} w="fit-content">
          Save preferences
        </Button>
        <Stack gap="sm" role="group" aria-labelledby="always-sent">
          <Text fw={500} size="sm" id="always-sent">
            Always sent
          </Text>
          <Text size="sm" c="gray.7">
            These tell your community what it owes, what it has paid and what was decided, so they cannot be
            turned off.
          </Text>
          {always.map(({ kind, why }) => (
            <Switch key={kind} checked disabled readOnly label={KIND_LABELS[kind]} description={`Always on: ${why}`} />
          ))}
        </Stack>
      </Stack>
    </form>
  );
}
