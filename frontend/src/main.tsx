import { StrictMode, startTransition } from "react";
import { createRoot, hydrateRoot } from "react-dom/client";
import { createBrowserRouter, matchRoutes, type RouteObject } from "react-router";

import { createApiClient } from "./api/client";
import { App } from "./App";
import { getToken } from "./auth/session";
import { appRoutes } from "./routes";

/**
 * The browser's router. The page's lazy routes are loaded first, so the first
 * render draws the page itself, as the prerendered HTML does (hydration must
 * match it), not the router's empty state while a route loads.
 */
async function createAppRouter() {
  const routes = appRoutes(createApiClient());
  const lazy = (matchRoutes(routes, window.location) ?? []).filter((match) => match.route.lazy);
  await Promise.all(
    lazy.map(async ({ route }) => {
      const loaded = await (route.lazy as () => Promise<Partial<RouteObject>>)();
      Object.assign(route, { ...loaded, lazy: undefined });
    }),
  );
  return createBrowserRouter(routes);
}

const root = document.getElementById("root");
if (!root) throw new Error("no #root element");
void createAppRouter().then((router) => {
  const app = (
    <StrictMode>
      <App router={router} />
    </StrictMode>
  );
  // The public pages come prerendered for a visitor not signed in (src/prerender.tsx):
  // React takes over that HTML. Signed in, or on any other page, React draws anew.
  if (root.dataset.prerendered !== undefined && !getToken()) startTransition(() => void hydrateRoot(root, app));
  else createRoot(root).render(app);
});
