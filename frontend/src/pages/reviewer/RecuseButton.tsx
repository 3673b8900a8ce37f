import { Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import type { CombinedError } from "urql";
import { useMutation } from "urql";

import { splitFieldErrors } from "../../api/errors";
import { ErrorAlert } from "../../components/QueryState";
import { graphql } from "../../gql";

const Recuse = graphql(`
  mutation ReviewerRecuse($assignmentId: ID!, $reason: String!) {
    recuse(assignmentId: $assignmentId, reason: $reason) {
      applicationId
      status
      recusalReason
      replacementAssigned
    }
  }
`);

const REASON_MAX = 2000;

/** Step aside from an application, with a reason, after a confirmation. */
export function RecuseButton({ assignmentId, onRecused }: { assignmentId: string; onRecused?: () => void }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [{ fetching }, recuse] = useMutation(Recuse);
  const [error, setError] = useState<CombinedError | null>(null);
  const form = useForm({
    initialValues: { reason: "" },
    validate: {
      reason: (value) =>
        !value.trim() ? "Say why you step aside" : value.length > REASON_MAX ? `At most ${REASON_MAX} characters` : null,
    },
  });

  const dismiss = () => {
    close();
    setError(null);
    form.reset();
  };

  const onSubmit = form.onSubmit(async ({ reason }) => {
    setError(null);
    const result = await recuse({ assignmentId, reason: reason.trim() });
    if (result.error) {
      const { byField, other } = splitFieldErrors(result.error, ["reason"]);
      form.setErrors(byField);
      if (other.length > 0) setError(result.error);
      return;
    }
    close();
    notifications.show({
      color: "green",
      title: "You have stepped aside",
      message: result.data?.recuse.replacementAssigned
        ? "Another reviewer has been assigned in your place."
        : "No other reviewer could be assigned yet; the programme's staff will see this.",
    });
    onRecused?.();
  });

  return (
    <>
      <Button variant="outline" color="red" onClick={open}>
        Recuse myself
      </Button>
      <Modal opened={opened} onClose={dismiss} title="Recuse from this application" centered>
        <form onSubmit={onSubmit} noValidate>
          <Stack>
            <Text size="sm">
              Step aside if you cannot judge this application fairly, for example because you know the applicant.
              Another reviewer is assigned in your place if one is available. This cannot be undone.
            </Text>
            {error && <ErrorAlert error={error} />}
            <Textarea
              label="Reason"
              required
              rows={4}
              maxLength={REASON_MAX}
              data-autofocus
              {...form.getInputProps("reason")}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={dismiss}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={fetching}>
                Recuse
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
