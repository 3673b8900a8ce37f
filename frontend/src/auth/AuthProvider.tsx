import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { useNavigate } from "react-router";

import { loadAuthConfig } from "./config";
import { userManager, type ReturnState } from "./oidc";
import { currentIdentity, isExpired, onIdentityChange, onTokenRefused, setToken, type Identity } from "./session";

export interface Auth {
  identity: Identity;
  /** Go to sign-in, then come back to `returnTo` (default: this page). */
  signIn: (returnTo?: string) => void;
  signOut: () => void;
  /** The token was refused or ran out: sign in again, then come back here. */
  expire: () => void;
}

const AuthContext = createContext<Auth | null>(null);

function here(): string {
  return window.location.pathname + window.location.search;
}

export function signInPath(returnTo: string, reason?: "expired"): string {
  const params = new URLSearchParams({ next: returnTo });
  if (reason) params.set("reason", reason);
  return `/sign-in?${params.toString()}`;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const [identity, setIdentity] = useState<Identity>(currentIdentity);

  useEffect(() => onIdentityChange(setIdentity), []);

  const expire = useCallback(() => {
    setToken(null);
    if (window.location.pathname !== "/sign-in") {
      navigate(signInPath(here(), "expired"), { replace: true });
    }
  }, [navigate]);

  useEffect(() => onTokenRefused(expire), [expire]);

  // A token that runs out while the page is open sends the user to sign in.
  useEffect(() => {
    if (identity.expiresAt === null) return;
    if (isExpired(identity)) {
      expire();
      return;
    }
    const ms = identity.expiresAt * 1000 - Date.now();
    const timer = window.setTimeout(expire, Math.min(ms, 2 ** 31 - 1));
    return () => window.clearTimeout(timer);
  }, [identity, expire]);

  const signIn = useCallback(
    (returnTo: string = here()) => {
      void loadAuthConfig()
        .then((config) => {
          if (config.mode === "oidc") {
            const state: ReturnState = { returnTo };
            return userManager(config).then((manager) => manager.signinRedirect({ state }));
          }
          navigate(signInPath(returnTo));
        })
        .catch(() => navigate(signInPath(returnTo)));
    },
    [navigate],
  );

  const signOut = useCallback(() => {
    setToken(null);
    void loadAuthConfig()
      .then((config) => (config.mode === "oidc" ? userManager(config).then((manager) => manager.removeUser()) : undefined))
      .finally(() => navigate("/"));
  }, [navigate]);

  const value = useMemo(() => ({ identity, signIn, signOut, expire }), [identity, signIn, signOut, expire]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside AuthProvider");
  return auth;
}
