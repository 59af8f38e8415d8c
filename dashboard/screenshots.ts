/**
 * `deno task screenshots`: regenerates docs/screenshots/, pictures of the dashboard's pages at a
 * desktop (1440 px) and a phone (390 px) width, light and dark. The data is made on the spot by the
 * real pipeline (20,000 seeded dirty rows, a fixed as-of date) in a temporary directory, so the
 * pictures change only when the dashboard does. Phone pictures start at the page's own content
 * (below the header's KPIs). Needs Chromium at /usr/bin/chromium (or
 * `CHROMIUM=path`).
 */
import { join } from "node:path";
import puppeteer from "puppeteer-core";
import { runPipeline } from "../src/pipeline.ts";
import { serveDashboard } from "./server.ts";

const OUT_DIR = new URL("../docs/screenshots/", import.meta.url).pathname;
const CHROMIUM = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";

/** What each picture shows: a file name and the page's path. */
const PAGES = [
  { name: "explorer", path: "/explorer/daily_sales" },
  {
    name: "explorer-monthly",
    path: "/explorer/monthly_category_sales?from=2025-01-01&to=2025-06-30" +
      "&category=Books&category=Electronics&category=Toys+%26+Games",
  },
  { name: "anomalies", path: "/anomalies" },
  { name: "review", path: "/review" },
];
const VIEWPORTS = [
  { name: "1440", width: 1440, height: 900 },
  { name: "390", width: 390, height: 844 },
];
const SCHEMES = ["light", "dark"] as const;

async function main() {
  // A fixed directory, not a random one: the review page shows the lookups' path, and the
  // pictures should change only when the dashboard does.
  const root = join(Deno.env.get("TMPDIR") ?? "/tmp", "dpd-screenshots");
  await Deno.remove(root, { recursive: true }).catch(() => {});
  await Deno.mkdir(root, { recursive: true });
  const dataDir = join(root, "data");
  const lookupsDir = join(root, "lookups");
  await runPipeline({
    rows: 20_000,
    clean: false,
    seed: 42,
    asOf: "2025-06-30",
    dataDir,
    lookupsDir,
    quiet: true,
  });
  const server = await serveDashboard({ dataDir, lookupsDir, port: 0, rebuildBundle: false });
  const profile = await Deno.makeTempDir({ prefix: "dpd-chromium-" });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", `--user-data-dir=${profile}`],
  });
  try {
    await Deno.mkdir(OUT_DIR, { recursive: true });
    const page = await browser.newPage();
    for (const viewport of VIEWPORTS) {
      await page.setViewport({ width: viewport.width, height: viewport.height });
      for (const scheme of SCHEMES) {
        await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
        for (const shot of PAGES) {
          await page.goto(new URL(shot.path, server.url).href, { waitUntil: "load" });
          // Charts draw after hydration; wait until each has its canvas.
          await page.waitForFunction(() =>
            document.documentElement.classList.contains("hydrated") &&
            [...document.querySelectorAll<HTMLElement>(".chart-canvas")].every((element) =>
              element.dataset.drawn === "true"
            )
          );
          if (viewport.width < 800) {
            // On a phone the header fills the first screen: show the page's own content instead.
            await page.evaluate(() =>
              (document.querySelector(".table-view") ?? document.querySelector("main"))
                ?.scrollIntoView()
            );
          }
          const file = join(OUT_DIR, `${shot.name}-${viewport.name}-${scheme}.png`);
          await page.screenshot({ path: file as `${string}.png` });
          console.error(`wrote ${file}`);
        }
      }
    }
  } finally {
    await browser.close();
    await server.shutdown();
    await Deno.remove(profile, { recursive: true }).catch(() => {});
    await Deno.remove(root, { recursive: true });
  }
}

if (import.meta.main) await main();
