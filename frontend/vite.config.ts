/// <reference types="vitest/config" />
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import { babelOptimizerPlugin } from "@graphql-codegen/client-preset";
import babel from "@rolldown/plugin-babel";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

// `npm run dev` proxies the API to a running platform (`make run`), so the app
// and the API share an origin exactly as when the gateway serves the build.
const platform = process.env.PLATFORM_URL ?? "http://127.0.0.1:8000";
const proxied = { target: platform, changeOrigin: false };

/**
 * Each typed document as a module of its own. The babel optimizer turns every
 * `graphql(...)` into an import from `src/gql/graphql.ts`; that one module
 * would land, with every document a page uses, in the first page's chunk. Here
 * each import names a virtual module holding only its document, so a page's
 * chunk carries its own operations and no other.
 */
function documentPerModule(): Plugin {
  const generated = resolve(import.meta.dirname, "src/gql/graphql.ts");
  const prefix = "\0gql-document:";
  const fromGenerated = /import\s*\{([^}]*)\}\s*from\s*["']([^"']*\bgql\/graphql)(?:\.ts)?["'];?/g;
  let documents: Map<string, string> | null = null;
  const document = (name: string): string => {
    if (!documents) {
      documents = new Map();
      for (const line of readFileSync(generated, "utf8").split("\n")) {
        const found = /^export const (\w+) = (\{.*\}) as unknown as DocumentNode<.*>;$/.exec(line);
        if (found) documents.set(found[1]!, found[2]!);
      }
    }
    const literal = documents.get(name);
    if (!literal) throw new Error(`src/gql/graphql.ts has no document ${name}: run npm run codegen`);
    return literal;
  };
  return {
    name: "gql-document-per-module",
    apply: "build",
    enforce: "post",
    buildStart() {
      documents = null;
    },
    transform(code, id) {
      if (!id.includes("/src/") || id.includes("/src/gql/") || !code.includes("gql/graphql")) return null;
      const split = code.replace(fromGenerated, (_all, names: string) =>
        names
          .split(",")
          .map((n) => n.trim())
          .filter(Boolean)
          .map((n) => `import { ${n} } from ${JSON.stringify(prefix + n.split(/\s+as\s+/)[0])};`)
          .join(" "),
      );
      // One line for one line: the lines keep their places, so the source map
      // of the transforms before stays true (`map: null` keeps it).
      return { code: split, map: null };
    },
    resolveId: (id) => (id.startsWith(prefix) ? id : null),
    load: (id) => (id.startsWith(prefix) ? `export const ${id.slice(prefix.length)} = ${document(id.slice(prefix.length))};` : null),
  };
}

/**
 * Every asset also written compressed (`.br`, `.gz`, at the best levels), once
 * at build time: the gateway sends the copy the browser accepts and compresses
 * nothing per request (gateway/webapp.py).
 */
function precompressed(): Plugin {
  let outDir = "";
  let ssr = false;
  return {
    name: "precompressed-assets",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      ssr = !!config.build.ssr;
    },
    writeBundle(_options, bundle) {
      if (ssr) return; // the prerender step's build (src/prerender.tsx) is not served
      for (const file of Object.keys(bundle)) {
        if (!file.startsWith("assets/") || !/\.(js|css|json|svg)$/.test(file)) continue;
        const path = resolve(outDir, file);
        const raw = readFileSync(path);
        if (raw.length < 1024) continue;
        writeFileSync(`${path}.gz`, gzipSync(raw, { level: 9 }));
        writeFileSync(
          `${path}.br`,
          brotliCompressSync(raw, {
            params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length },
          }),
        );
      }
    },
  };
}

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
    documentPerModule(),
    precompressed(),
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
    // Which chunks each page needs: the gateway preloads them (gateway/webapp.py).
    manifest: true,
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
