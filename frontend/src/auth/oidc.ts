// Production sign-in: authorization code with PKCE at the organisation's
// OpenID Connect provider. The access token (RS256) is what the gateway verifies.
// Loaded only when the platform uses a provider: the first page stays small.
import type { UserManager } from "oidc-client-ts";

import type { AuthConfig } from "./config";

let manager: UserManager | null = null;

export async function userManager(config: Extract<AuthConfig, { mode: "oidc" }>): Promise<UserManager> {
  const { UserManager, WebStorageStateStore } = await import("oidc-client-ts");
  manager ??= new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    scope: config.scope,
    redirect_uri: `${window.location.origin}/auth/callback`,
    post_logout_redirect_uri: window.location.origin,
    response_type: "code", // PKCE is on by default for the code flow
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
  return manager;
}

export interface ReturnState {
  returnTo: string;
}
