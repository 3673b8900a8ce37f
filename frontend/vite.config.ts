/// <reference types="vitest/config" />
import { resolve } from "node:path";
import { babelOptimizerPlugin } from "@graphql-codegen/client-preset";
import babel from "@rolldown/plugin-babel";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` proxies the API to a running platform (`make run`), so the app
// and the API share an origin exactly as when the gateway serves the build.
const platform = process.env.PLATFORM_URL ?? "http://127.0.0.1:8000";
const proxied = { target: platform, changeOrigin: false };

export default defineConfig({
  plugins: [
    react(),
    // Each `graphql()` call becomes an import of its own document, so a page's
    // chunk carries its operations and the first page not all of them.
    babel({
      include: /src\/.*\.tsx?$/,
      exclude: /src\/gql\//,
      plugins: [[babelOptimizerPlugin, { artifactDirectory: "./src/gql", gqlTagName: "graphql" }]],
    }),
  ],
  server: {
    proxy: {
      "/graphql": { ...proxied, ws: true },
      "/auth": proxied,
      "/webhooks": proxied,
      "/healthz": proxied,
      "/dev": proxied,
    },
  },
  build: {
    outDir: "dist",
    sourcemap: true,
    rollupOptions: {
      input: {
        app: resolve(import.meta.dirname, "index.html"),
        graphiql: resolve(import.meta.dirname, "graphiql.html"),
      },
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
  },
});
