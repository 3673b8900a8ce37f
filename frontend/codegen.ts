// Typed operations from the gateway's checked-in schema (`make schema` writes it).
// `npm run codegen:check` fails when src/gql is stale; `make test` runs it.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: true,
  generates: {
    "./src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: {
          Date: "string",
          DateTime: "string",
          JSON: "unknown",
        },
      },
    },
    "./src/gql/introspection.ts": {
      plugins: ["urql-introspection"],
      config: { module: "es2015", minify: true, useTypeImports: true },
    },
  },
};

export default config;
