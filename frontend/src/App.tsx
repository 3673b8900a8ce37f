import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "./app.css";

import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { createBrowserRouter, Outlet, RouterProvider } from "react-router";
import { Provider as UrqlProvider } from "urql";

import { createApiClient } from "./api/client";
import { AuthProvider } from "./auth/AuthProvider";
import { routes } from "./routes";
import { cssVariablesResolver, theme } from "./theme";

const client = createApiClient();

const router = createBrowserRouter([
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
]);

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <Notifications />
      <RouterProvider router={router} />
    </MantineProvider>
  );
}
