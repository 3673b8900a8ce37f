// renderPage, with answers that stay open as the real client's do. The shared
// fake answers with `fromValue`, which completes; urql's useQuery then clears
// the error it has just shown (the end of a source reads as "not fetching, no
// error"), so an UNAVAILABLE answer would vanish. Here each answer is followed
// by `never`, through a client provided inside the page.
import type { ReactElement } from "react";
import { Provider } from "urql";
import { concat, never, type Source } from "wonka";

import { fakeClient, renderPage, type Answers, type RenderOptions } from "../../test/render";

export function renderLive(element: ReactElement, { answers = {}, ...options }: RenderOptions & { answers?: Answers } = {}) {
  const live = fakeClient(answers);
  const client = live.client as unknown as Record<string, (...args: unknown[]) => Source<unknown>>;
  for (const method of ["executeQuery", "executeMutation"]) {
    const answer = client[method]!;
    client[method] = (...args: unknown[]) => concat([answer(...args), never]);
  }
  const rendered = renderPage(<Provider value={live.client}>{element}</Provider>, options);
  return { ...rendered, client: live.client, calls: live.calls };
}
