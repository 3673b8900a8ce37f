// After `vite build` and the SSR build of src/prerender.tsx: each public page's
// HTML, written to dist/prerendered/<page>.html. The gateway sends it for that
// page (gateway/webapp.py), so the page draws from HTML, before its script runs.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "..");
const dist = resolve(root, "dist");
// The gateway's names for them (gateway/webapp.py PRERENDERED).
const PAGES = { "/": "home", "/directory": "directory", "/statistics": "statistics" };
const FRAME = /<div id="root">[\s\S]*?<!-- \/frame -->\s*<\/div>/;

const { render } = await import(pathToFileURL(resolve(root, "dist-prerender/prerender.js")).href);
const template = readFileSync(resolve(dist, "index.html"), "utf8");
if (!FRAME.test(template)) throw new Error("dist/index.html: no app frame to replace");
mkdirSync(resolve(dist, "prerendered"), { recursive: true });
for (const [path, name] of Object.entries(PAGES)) {
  const app = await render(path);
  const heading = /<h2[^>]*>([^<]+)<\/h2>/.exec(app)?.[1];
  let page = template.replace(FRAME, () => `<div id="root" data-prerendered>${app}</div>`);
  if (heading && path !== "/") page = page.replace(/<title>[^<]*<\/title>/, `<title>${heading} · Sister Cities</title>`);
  writeFileSync(resolve(dist, "prerendered", `${name}.html`), page);
  console.log(`prerendered ${path} -> dist/prerendered/${name}.html (${(page.length / 1024).toFixed(1)} KB)`);
}
