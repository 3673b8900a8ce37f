// The public pages drawn at build time (scripts/prerender.mjs): the HTML a
// visitor sees before any script runs, which the browser's React then takes
// over (hydrateRoot, src/main.tsx). Nobody is signed in and no data is fetched
// here: each page draws its loading state, as the browser's first render does.
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router";
import { Client, type Exchange } from "urql";
import { never } from "wonka";

import { AppFrame } from "./AppFrame";
import { appRoutes } from "./routes";

export async function render(path: string): Promise<string> {
  // A client that answers nothing: every query stays loading, as on first render.
  const unanswered: Exchange = () => () => never;
  const client = new Client({ url: "/graphql", exchanges: [unanswered] });
  const handler = createStaticHandler(appRoutes(client));
  const context = await handler.query(new Request(new URL(path, "http://prerender.invalid")));
  if (context instanceof Response) throw new Error(`${path}: the router answered ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(
    <AppFrame>
      <StaticRouterProvider router={router} context={context} hydrate={false} />
    </AppFrame>,
  );
}
