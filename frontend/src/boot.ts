// The page's entry: its stylesheet, linked from the HTML, and then the app.
// The public pages arrive drawn (prerendered HTML), so the app's 200 KB of
// script is fetched once the page has shown: a slow connection spends itself
// first on what the visitor sees. The page's own chunks, which the gateway
// names (gateway/webapp.py), are fetched beside the app instead of after it.
// The app then takes the drawn page over (src/main.tsx).
import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "./app.css";

function start(): void {
  const names = document.querySelector<HTMLMetaElement>('meta[name="page-modules"]');
  for (const href of names?.content.split(" ").filter(Boolean) ?? []) {
    const link = document.createElement("link");
    link.rel = "modulepreload";
    link.crossOrigin = "";
    link.href = href;
    document.head.append(link);
  }
  void import("./main");
}

// After the next frame is painted; a page opened in a background tab paints
// no frame until shown, so it loads at once.
if (document.visibilityState === "visible") requestAnimationFrame(() => setTimeout(start));
else start();
