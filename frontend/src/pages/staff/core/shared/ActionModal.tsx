// A confirmation Modal for one action: what will happen, the fields the
// mutation needs (a reason, a date, an amount), the API's error, and the
// confirm button. Enter submits; Escape and "Cancel" close it.
import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import type { FormEvent, ReactNode } from "react";
import type { ApiError } from "../../../../api/errors";
import { OtherErrors } from "./OtherErrors";

interface ActionModalProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  /** What confirming does, in plain words. */
  description: ReactNode;
  confirmLabel: string;
  confirmColor?: string;
  fetching?: boolean;
  /** Errors that belong to no field of the modal. */
  errors?: readonly ApiError[];
  onConfirm: () => void;
  /** The fields the action needs. */
  children?: ReactNode;
}

export function ActionModal({
  opened,
  onClose,
  title,
  description,
  confirmLabel,
  confirmColor,
  fetching = false,
  errors = [],
  onConfirm,
  children,
}: ActionModalProps) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!fetching) onConfirm();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          {typeof description === "string" ? <Text size="sm">{description}</Text> : description}
          <OtherErrors errors={errors} />
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={fetching}>
              Cancel
            </Button>
            <Button type="submit" color={confirmColor} loading={fetching}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
