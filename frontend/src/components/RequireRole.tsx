import { Alert } from "@mantine/core";
import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";

import { signInPath } from "../auth/AuthProvider";
import { useAuth } from "../auth/AuthProvider";
import type { Role } from "../auth/session";

/** A page for one role: anonymous callers sign in first, others are told. */
export function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const { identity } = useAuth();
  const location = useLocation();
  if (identity.role === "anonymous") {
    return <Navigate to={signInPath(location.pathname + location.search)} replace />;
  }
  if (identity.role !== role) {
    return (
      <Alert color="yellow" title="Not for this account" role="alert">
        This page is for {role === "staff" ? "staff" : `${role}s`}. You are signed in as {identity.role}.
      </Alert>
    );
  }
  return <>{children}</>;
}
