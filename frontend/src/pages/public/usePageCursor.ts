// Page numbers over the API's opaque cursors. Page 1 starts at no cursor; each
// page shown teaches where the next one starts. A page reached otherwise (a
// shared link, a reload, a jump) is found by asking for the cursors only, up to
// 200 rows a step, from the nearest known start.
import { useEffect, useMemo, useReducer } from "react";
import { useQuery, type CombinedError } from "urql";

import { graphql } from "../../gql";
import type { PartnershipFilter, PartnershipOrder } from "../../gql/graphql";

const DirectoryCursor = graphql(`
  query DirectoryCursor($filter: PartnershipFilter, $first: Int!, $after: String, $orderBy: PartnershipOrder!) {
    partnerships(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`);

const MAX_STEP = 200;

/** Per filter and order: row offset -> the cursor to pass as `after` to start there. */
const known = new Map<string, Map<number, string>>();

export function cursorKey(filter: PartnershipFilter, orderBy: PartnershipOrder): string {
  return JSON.stringify([filter, orderBy]);
}

export function rememberCursor(key: string, offset: number, cursor: string): void {
  let cursors = known.get(key);
  if (!cursors) {
    cursors = new Map();
    known.set(key, cursors);
  }
  cursors.set(offset, cursor);
}

export function forgetCursors(): void {
  known.clear();
}

export interface PageCursor {
  /** `after` for the page: undefined while it is being found. */
  after: string | null | undefined;
  /** Set when the page is past the end: the last page there is. */
  lastPage: number | null;
  /** The look-up is under way. */
  fetching: boolean;
  error: CombinedError | undefined;
  retry: () => void;
}

export function usePageCursor(
  filter: PartnershipFilter,
  orderBy: PartnershipOrder,
  page: number,
  pageSize: number,
  /** The cursor the URL gives for the page, if any. */
  given: string | null = null,
): PageCursor {
  const [version, learned] = useReducer((n: number) => n + 1, 0);
  const key = cursorKey(filter, orderBy);
  const target = (page - 1) * pageSize;

  const step = useMemo(() => {
    void version;
    if (target === 0) return { done: true as const, after: null };
    if (given) return { done: true as const, after: given };
    const cursors = known.get(key);
    const exact = cursors?.get(target);
    if (exact !== undefined) return { done: true as const, after: exact };
    let from = 0;
    let fromCursor: string | null = null;
    for (const [offset, cursor] of cursors ?? []) {
      if (offset < target && offset > from) {
        from = offset;
        fromCursor = cursor;
      }
    }
    return { done: false as const, from, after: fromCursor, first: Math.min(MAX_STEP, target - from) };
  }, [key, target, given, version]);

  const [lookup, reexecute] = useQuery({
    query: DirectoryCursor,
    variables: {
      filter,
      orderBy,
      first: step.done ? 1 : step.first,
      after: step.after,
    },
    pause: step.done,
  });

  const connection = step.done ? undefined : lookup.data?.partnerships;
  const answered = connection && !lookup.fetching ? connection : undefined;
  const askedFirst = lookup.operation?.variables.first;
  const askedAfter = lookup.operation?.variables.after;
  const matches =
    !step.done && (lookup.operation === undefined || (askedFirst === step.first && askedAfter === step.after));
  const beyond = answered && matches && target >= answered.totalCount;

  useEffect(() => {
    if (step.done || !answered || !matches || beyond || !answered.pageInfo.endCursor) return;
    rememberCursor(key, step.from + step.first, answered.pageInfo.endCursor);
    learned();
  }, [answered, matches, beyond, key, step]);

  const lastPage = beyond && answered ? Math.max(1, Math.ceil(answered.totalCount / pageSize)) : null;
  return {
    after: step.done ? step.after : undefined,
    lastPage: lastPage !== null && lastPage < page ? lastPage : null,
    fetching: !step.done && !lastPage,
    error: step.done ? undefined : lookup.error,
    retry: () => reexecute({ requestPolicy: "network-only" }),
  };
}

/** The cursor that starts the page at `offset`, if this session learned it. */
export function knownCursor(key: string, offset: number): string | null {
  return offset === 0 ? null : (known.get(key)?.get(offset) ?? null);
}
