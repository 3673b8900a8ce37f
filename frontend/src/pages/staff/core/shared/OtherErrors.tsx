// The API errors of a form that belong to no field, above the form.
import { Alert, Stack, Text } from "@mantine/core";

import { humanMessage, type ApiError } from "../../../../api/errors";
import { UnavailableBanner } from "../../../../components/QueryState";

/** The errors that belong to no field, as ErrorAlert shows them. */
export function OtherErrors({ errors, onRetry }: { errors: readonly ApiError[]; onRetry?: () => void }) {
  if (errors.length === 0) return null;
  if (errors.some((e) => e.code === "UNAVAILABLE" || e.code === "NETWORK")) return <UnavailableBanner onRetry={onRetry} />;
  const messages = [...new Set(errors.map(humanMessage))];
  return (
    <Alert color="red" title="Something went wrong" role="alert">
      <Stack gap="xs">
        {messages.map((message) => (
          <Text size="sm" key={message}>
            {message}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}
