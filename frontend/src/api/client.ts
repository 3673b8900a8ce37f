// The one GraphQL client: a normalized cache (Graphcache) over HTTP, and
// subscriptions over graphql-ws (`graphql-transport-ws`) on the same origin.
import { cacheExchange } from "@urql/exchange-graphcache";
import { createClient as createWSClient } from "graphql-ws";
import { Client, fetchExchange, mapExchange, subscriptionExchange } from "urql";

import { getToken, tokenRefused } from "../auth/session";
import { cacheConfig } from "./cache";
import { apiErrors } from "./errors";


function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

export function createApiClient(url = "/graphql"): Client {
  const wsUrl = new URL(url, window.location.href);
  wsUrl.protocol = wsUrl.protocol === "https:" ? "wss:" : "ws:";
  const ws = createWSClient({
    url: wsUrl.toString(),
    lazy: true,
    retryAttempts: 10,
    // Browsers cannot set headers on a WebSocket: the token goes in connection_init.
    connectionParams: () => {
      const token = getToken();
      return token ? { Authorization: `Bearer ${token}` } : {};
    },
  });
  return new Client({
    url,
    requestPolicy: "cache-and-network",
    fetchOptions: () => ({ headers: authHeaders() }),
    exchanges: [
      cacheExchange(cacheConfig),
      mapExchange({
        onError(error) {
          if (getToken() && apiErrors(error).some((e) => e.code === "UNAUTHENTICATED")) {
            tokenRefused(); // the user signs in again, then comes back
          }
        },
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? "" };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
}
