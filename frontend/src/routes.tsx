// The route table: each area owns its routes (pages load lazily, so the first
// page loads only the JavaScript it needs).
import type { RouteObject } from "react-router";

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
