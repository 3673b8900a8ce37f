import { RouterProvider, type createBrowserRouter } from "react-router";

import { AppFrame } from "./AppFrame";

export function App({ router }: { router: ReturnType<typeof createBrowserRouter> }) {
  return (
    <AppFrame>
      <RouterProvider router={router} />
    </AppFrame>
  );
}
