import { Alert, Button, Center, Group, Loader, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import type { CombinedError } from "urql";

import { apiErrors, humanMessage } from "../api/errors";

/** The unavailable banner: a part of the platform is down; the user can retry. */
export function UnavailableBanner({ onRetry }: { onRetry?: () => void }) {
  return (
    <Alert color="orange" title="Temporarily unavailable" role="alert" data-testid="unavailable-banner">
      <Stack gap="xs">
        <Text size="sm">
          Part of the service is not answering right now. Nothing you entered was lost; try again in a
          moment.
        </Text>
        {onRetry && (
          <Group>
            <Button size="xs" variant="white" color="orange" onClick={onRetry}>
              Retry
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

/** Any API error as a person reads it; UNAVAILABLE gets the banner with retry. */
export function ErrorAlert({ error, onRetry }: { error: CombinedError; onRetry?: () => void }) {
  const errors = apiErrors(error);
  if (errors.some((e) => e.code === "UNAVAILABLE" || e.code === "NETWORK")) {
    return <UnavailableBanner onRetry={onRetry} />;
  }
  const messages = [...new Set(errors.map(humanMessage))];
  return (
    <Alert color="red" title="Something went wrong" role="alert">
      <Stack gap="xs">
        {messages.map((message) => (
          <Text size="sm" key={message}>
            {message}
          </Text>
        ))}
        {onRetry && (
          <Group>
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              Try again
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

export function Loading({ label = "Loading" }: { label?: string }) {
  return (
    <Center py="xl" aria-busy="true">
      <Loader size="sm" aria-label={label} />
    </Center>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <Text c="dimmed" ta="center" py="xl" data-testid="empty-state">
      {children}
    </Text>
  );
}

interface QueryStateProps<T> {
  result: { data?: T; fetching: boolean; error?: CombinedError; stale?: boolean };
  onRetry?: () => void;
  /** Shown instead of children when this says the data is empty. */
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}

/** Loading, error (with retry), empty, or the data: one place for every page. */
export function QueryState<T>({ result, onRetry, isEmpty, empty, children }: QueryStateProps<T>) {
  const { data, fetching, error } = result;
  if (error && !data) return <ErrorAlert error={error} onRetry={onRetry} />;
  if (!data) return fetching ? <Loading /> : null;
  return (
    <>
      {error && <ErrorAlert error={error} onRetry={onRetry} />}
      {isEmpty?.(data) ? <EmptyState>{empty ?? "Nothing here yet."}</EmptyState> : children(data)}
    </>
  );
}
