// Mantine's provider around the router, the same on the server (build-time
// prerender, src/prerender.tsx) and in the browser (src/App.tsx).
import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import type { ReactNode } from "react";

import { cssVariablesResolver, theme } from "./theme";

export function AppFrame({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <Notifications />
      {children}
    </MantineProvider>
  );
}
