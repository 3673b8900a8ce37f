// How this deployment signs people in, as the gateway says at /auth/config:
// its development token endpoint, or the organisation's OpenID Connect provider.

export type AuthConfig =
  | { mode: "development"; devTokenUrl: string }
  | { mode: "oidc"; authority: string; clientId: string; scope: string };

let cached: Promise<AuthConfig> | null = null;

export function loadAuthConfig(): Promise<AuthConfig> {
  cached ??= fetch("/auth/config", { headers: { accept: "application/json" } })
    .then(async (response) => {
      if (!response.ok) throw new Error(`auth config: HTTP ${response.status}`);
      return (await response.json()) as AuthConfig;
    })
    .catch((error: unknown) => {
      cached = null; // try again next time
      throw error;
    });
  return cached;
}

export interface DevTokenRequest {
  role: "staff" | "member" | "reviewer";
  memberId?: string;
  reviewerId?: string;
}

/** A development token from the gateway (only with its development settings). */
export async function fetchDevToken(url: string, request: DevTokenRequest): Promise<string> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(request),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: string; error?: string };
  if (!response.ok || !body.token) {
    throw new Error(body.error ?? `sign-in failed (HTTP ${response.status})`);
  }
  return body.token;
}
