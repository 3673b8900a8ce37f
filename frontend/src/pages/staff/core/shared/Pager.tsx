// Previous / next through a Relay connection, with where the page stands in the total.
import { Box, Group, Pagination, Text } from "@mantine/core";

import { formatNumber } from "../../../../components/format";

interface PagerProps {
  label: string;
  page: number;
  pageSize: number;
  total: number;
  /** Shown rows on this page. */
  shown: number;
  endCursor: string | null | undefined;
  hasNextPage: boolean;
  onNext: (endCursor: string) => void;
  onPrevious: () => void;
}

export function CursorPager({ label, page, pageSize, total, shown, endCursor, hasNextPage, onNext, onPrevious }: PagerProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize), page);
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = (page - 1) * pageSize + shown;
  return (
    <Group justify="space-between" mt="md" wrap="wrap">
      <Text size="sm" c="dimmed" aria-live="polite">
        {shown === 0 ? `No ${label}` : `${formatNumber(first)}–${formatNumber(last)} of ${formatNumber(total)} ${label}`}
        {pages > 1 && ` · page ${page} of ${formatNumber(pages)}`}
      </Text>
      {pages > 1 && (
        <Box component="nav" aria-label={`Pages of ${label}`}>
        <Pagination
          total={pages}
          value={page}
          withPages={false}
          onChange={(value) => {
            if (value < page) onPrevious();
            else if (endCursor && hasNextPage) onNext(endCursor);
          }}
          getControlProps={(control) =>
            control === "next"
              ? { "aria-label": "Next page", disabled: !hasNextPage || !endCursor }
              : { "aria-label": "Previous page", disabled: page <= 1 }
          }
        />
        </Box>
      )}
    </Group>
  );
}
