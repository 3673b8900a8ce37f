import { Group, Title } from "@mantine/core";
import { useEffect, type ReactNode } from "react";

/** The page's heading, also the document title (screen readers announce it). */
export function PageTitle({ children, actions }: { children: string; actions?: ReactNode }) {
  useEffect(() => {
    document.title = `${children} · Sister Cities`;
  }, [children]);
  return (
    <Group justify="space-between" mb="md" wrap="wrap">
      <Title order={2}>{children}</Title>
      {actions}
    </Group>
  );
}
