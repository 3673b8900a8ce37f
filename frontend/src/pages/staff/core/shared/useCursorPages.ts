// Paging through a Relay connection whose cursors are opaque: the cursors of
// the pages seen are kept in the browser history's state, so coming back from
// a detail page shows the same page, and a change of filter starts again.
import { useLocation, useNavigate } from "react-router";

interface PagerState {
  /** The `after` cursor of each page seen; the first page has none. */
  cursors: (string | null)[];
  /** The URL query the cursors belong to. */
  search: string;
}

function readState(state: unknown, search: string): PagerState {
  const s = state as { pager?: PagerState } | null;
  return s?.pager && s.pager.search === search ? s.pager : { cursors: [null], search };
}

export function useCursorPages() {
  const location = useLocation();
  const navigate = useNavigate();
  const { cursors } = readState(location.state, location.search);
  const go = (next: (string | null)[]) =>
    navigate(
      { pathname: location.pathname, search: location.search },
      { replace: true, state: { pager: { cursors: next, search: location.search } } },
    );
  return {
    page: cursors.length,
    after: cursors[cursors.length - 1] ?? null,
    next: (endCursor: string) => go([...cursors, endCursor]),
    previous: () => go(cursors.slice(0, -1)),
  };
}
