// Writes src/pages/public/geo/countryNames.ts: the countries a partner
// community can be in, with their English names from CLDR (Node's
// Intl.DisplayNames), in name order. Run again when the list changes:
//   node scripts/country-names.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const file = resolve(import.meta.dirname, "../src/pages/public/geo/countryNames.ts");
const codes = [...readFileSync(file, "utf8").matchAll(/^ {2}([A-Z]{2}): /gm)].map((m) => m[1]);
const names = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });
const rows = codes
  .map((code) => [code, names.of(code)])
  .sort(([, a], [, b]) => a.localeCompare(b, "en"));
const head = readFileSync(file, "utf8").split("export const")[0];
writeFileSync(
  file,
  `${head}export const COUNTRY_NAMES: Readonly<Record<string, string>> = {\n${rows
    .map(([code, name]) => `  ${code}: ${JSON.stringify(name)},`)
    .join("\n")}\n};\n`,
);
console.log(`${file}: ${rows.length} countries`);
