// The signed-in user's token, outside React so the GraphQL client can read it.
// Kept in sessionStorage: a tab keeps its sign-in over reloads, not forever.

export type Role = "anonymous" | "member" | "reviewer" | "staff";

export interface Identity {
  role: Role;
  sub: string | null;
  memberId: string | null;
  reviewerId: string | null;
  /** Seconds since the epoch; null for anonymous. */
  expiresAt: number | null;
}

export const ANONYMOUS: Identity = {
  role: "anonymous",
  sub: null,
  memberId: null,
  reviewerId: null,
  expiresAt: null,
};

const KEY = "sister-cities.token";
type Listener = (identity: Identity) => void;
const listeners = new Set<Listener>();

function decodeClaims(token: string): Record<string, unknown> | null {
  const part = token.split(".")[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const claims: unknown = JSON.parse(json);
    return claims && typeof claims === "object" ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** What the token says about its holder; the gateway still verifies it. */
export function identityOf(token: string | null): Identity {
  const claims = token ? decodeClaims(token) : null;
  if (!claims) return ANONYMOUS;
  const role = claims.role;
  if (role !== "member" && role !== "reviewer" && role !== "staff") return ANONYMOUS;
  const text = (value: unknown) => (value == null ? null : String(value));
  return {
    role,
    sub: text(claims.sub),
    memberId: text(claims.member_id),
    reviewerId: text(claims.reviewer_id),
    expiresAt: typeof claims.exp === "number" ? claims.exp : null,
  };
}

export function getToken(): string | null {
  // No storage when the public pages are prerendered at build time: nobody is signed in.
  if (typeof sessionStorage === "undefined") return null;
  return sessionStorage.getItem(KEY);
}

export function currentIdentity(): Identity {
  return identityOf(getToken());
}

export function isExpired(identity: Identity, now = Date.now() / 1000): boolean {
  return identity.expiresAt !== null && identity.expiresAt <= now;
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
  const identity = identityOf(token);
  listeners.forEach((listener) => listener(identity));
}

export function onIdentityChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const refusedListeners = new Set<() => void>();

/** The API refused the token (UNAUTHENTICATED): whoever shows pages reacts. */
export function tokenRefused(): void {
  refusedListeners.forEach((listener) => listener());
}

export function onTokenRefused(listener: () => void): () => void {
  refusedListeners.add(listener);
  return () => refusedListeners.delete(listener);
}
