// The route table: each area owns its routes (pages load lazily, so the first
// page loads only the JavaScript it needs).
import { Outlet, type RouteObject } from "react-router";
import { Provider as UrqlProvider, type Client } from "urql";

import { AuthProvider } from "./auth/AuthProvider";
import { AuthCallback } from "./auth/AuthCallback";
import { SignIn } from "./auth/SignIn";
import { Layout } from "./components/Layout";
import { NotFound } from "./components/NotFound";
import { memberRoutes } from "./pages/member/routes";
import { publicRoutes } from "./pages/public/routes";
import { reviewerRoutes } from "./pages/reviewer/routes";
import { staffRoutes } from "./pages/staff/routes";

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      ...publicRoutes,
      ...memberRoutes,
      ...reviewerRoutes,
      ...staffRoutes,
      { path: "sign-in", element: <SignIn /> },
      { path: "*", element: <NotFound /> },
    ],
  },
  { path: "auth/callback", element: <AuthCallback /> },
];

/** The whole tree, under the sign-in state and the GraphQL client: the same on the
 * server (build-time prerender, src/prerender.tsx) and in the browser. */
export function appRoutes(client: Client): RouteObject[] {
  return [
    {
      element: (
        <AuthProvider>
          <UrqlProvider value={client}>
            <Outlet />
          </UrqlProvider>
        </AuthProvider>
      ),
      children: routes,
    },
  ];
}
