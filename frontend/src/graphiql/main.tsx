// GraphiQL from the platform's own assets (the npm package, bundled by Vite):
// it works on a machine without internet. The gateway serves it at GET /graphql.
import "graphiql/style.css";

import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createRoot } from "react-dom/client";

const url = new URL("/graphql", window.location.href);
const ws = new URL(url);
ws.protocol = url.protocol === "https:" ? "wss:" : "ws:";

const fetcher = createGraphiQLFetcher({ url: url.toString(), subscriptionUrl: ws.toString() });

const root = document.getElementById("graphiql");
if (!root) throw new Error("no #graphiql element");
createRoot(root).render(<GraphiQL fetcher={fetcher} defaultEditorToolsVisibility="headers" />);
