// The reviewer's own emails: assignments and deadline reminders, each with
// whether it went out.
import { Card, Stack, Text } from "@mantine/core";

import { PageTitle } from "../../components/PageTitle";
import { RecentNotifications } from "../../components/RecentNotifications";
import { RequireRole } from "../../components/RequireRole";

export function Notifications() {
  return (
    <RequireRole role="reviewer">
      <Stack>
        <PageTitle>Emails to you</PageTitle>
        <Text c="gray.7">
          Staff email you when they assign you an application, and remind you before a review deadline.
        </Text>
        <Card withBorder>
          <RecentNotifications empty="No email has been sent to you yet." />
        </Card>
      </Stack>
    </RequireRole>
  );
}
