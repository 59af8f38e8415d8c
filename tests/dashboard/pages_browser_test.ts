/**
 * Every page in headless Chromium: axe-core finds no serious or critical accessibility problem
 * (nor the landmark ones people hit before) in light and dark; at 390 px nothing scrolls the page
 * sideways and the tabs wrap; while a re-run rewrites the data every page says so, with progress,
 * and offers a reload when it is done.
 */
import assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import { type DashboardServer, serveDashboard } from "../../dashboard/server.ts";
import type { RerunSteps } from "../../dashboard/lib/rerun_job.ts";
import { axeViolations } from "./_axe.ts";
import { type BrowserSession, openBrowser, SKIP_BROWSER_TESTS } from "./_browser.ts";
import { buildFixtureWorkspace, type FixtureWorkspace } from "./_fixture_workspace.ts";

/** Every kind of page: the explorer with a table open (time, bars, text), the other tabs, a 404. */
const PAGES = [
  "/explorer/monthly_category_sales",
  "/explorer/product_performance?q=mouse&category=Books",
  "/anomalies",
  "/review",
  "/no-such-page",
];
/** Moderate rules that failed before and must stay fixed. */
const LANDMARK_RULES = [
  "region",
  "landmark-unique",
  "landmark-no-duplicate-main",
  "landmark-main-is-top-level",
];

/** Re-run steps that report progress and then wait until the test lets them finish. */
function heldRerunSteps(): { steps: RerunSteps; release: () => void } {
  let release = () => {};
  const gate = new Promise<void>((resolve) => release = resolve);
  const counts = { inputRows: 10, cleanRows: 8, rejectedRows: 2, reasons: {} };
  return {
    release: () => release(),
    steps: {
      async clean(options) {
        options.onProgress({ rows: 400, totalRows: 1_000 });
        await gate;
        return counts;
      },
      aggregate: () => Promise.resolve({ tables: 8 }),
    },
  };
}

async function goto(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction(() => document.documentElement.classList.contains("hydrated"));
}

Deno.test({
  name: "every page in a browser: axe light and dark, 390 px, the re-run banner",
  ignore: SKIP_BROWSER_TESTS,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const workspace: FixtureWorkspace = await buildFixtureWorkspace(3_000);
    const held = heldRerunSteps();
    const server: DashboardServer = await serveDashboard({
      dataDir: workspace.dataDir,
      lookupsDir: workspace.lookupsDir,
      port: 0,
      rebuildBundle: false,
      rerunSteps: held.steps,
    });
    const session: BrowserSession = await openBrowser();
    const { page } = session;
    const url = (path: string) => new URL(path, server.url).href;
    try {
      for (const scheme of ["light", "dark"] as const) {
        await t.step(
          `axe-core: no serious or critical violation on any page (${scheme})`,
          async () => {
            await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
            const found: string[] = [];
            for (const path of PAGES) {
              await goto(page, url(path));
              // Open choice lists are part of the page too.
              for (const details of await page.$$("details.multi")) {
                await details.evaluate((element) => (element as HTMLDetailsElement).open = true);
              }
              for (const violation of await axeViolations(page)) {
                if (
                  violation.impact === "serious" || violation.impact === "critical" ||
                  LANDMARK_RULES.includes(violation.id)
                ) {
                  found.push(
                    `${path}: ${violation.impact} ${violation.id} (${violation.help}) at ${
                      violation.targets.join(" | ")
                    }`,
                  );
                }
              }
            }
            assert.deepEqual(found, []);
          },
        );
      }
      await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }]);

      await t.step("at 390 px no page scrolls sideways and the tabs wrap in view", async () => {
        await page.setViewport({ width: 390, height: 844 });
        const wide: string[] = [];
        for (const path of [...PAGES, "/explorer/daily_sales", "/explorer/rejection_summary"]) {
          await goto(page, url(path));
          const { scrollWidth, innerWidth, tabs } = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: globalThis.innerWidth,
            tabs: [...document.querySelectorAll(".tab")].map((tab) =>
              tab.getBoundingClientRect().right
            ),
          }));
          if (scrollWidth > innerWidth) wide.push(`${path}: ${scrollWidth} px wide`);
          if (tabs.some((right) => right > innerWidth)) wide.push(`${path}: a tab is off-screen`);
        }
        assert.deepEqual(wide, []);
        await page.setViewport({ width: 1400, height: 900 });
      });

      await t.step(
        "while a re-run rewrites the data every page shows it, then offers a reload",
        async () => {
          const started = await fetch(url("/rerun"), {
            method: "POST",
            headers: { origin: new URL(server.url).origin, accept: "application/json" },
          });
          assert.equal(started.status, 202);
          await started.body?.cancel();
          for (const path of PAGES) {
            await goto(page, url(path));
            const text = await page.$eval(".rerun-banner", (banner) => banner.textContent ?? "");
            assert.match(text, /Re-running cleaning and aggregations/, path);
            assert.match(text, /Cleaning… 400 rows \(34%\)/, path);
            assert.equal(await page.$eval(".rerun-banner progress", (bar) => bar.value), 0.34);
          }
          // Without JavaScript the server renders the banner and the page refreshes itself.
          const plain = await fetch(url("/explorer/daily_sales"));
          const html = await plain.text();
          assert.match(html, /<meta http-equiv="refresh" content="5"\/>/);
          assert.match(html, /class="rerun-banner running"/);

          held.release();
          await page.waitForSelector(".rerun-banner[data-status='done']", { timeout: 10_000 });
          assert.match(
            await page.$eval(".rerun-banner", (banner) => banner.textContent ?? ""),
            /Re-run finished.*Reload to see the new data/,
          );
          await server.context.rerun.settled();
          await goto(page, url("/anomalies"));
          assert.equal(await page.$(".rerun-banner"), null, "no banner once the page is fresh");
          assert.doesNotMatch(
            await (await fetch(url("/anomalies"))).text(),
            /http-equiv="refresh"/,
          );
        },
      );

      await t.step("no console errors and no CSP violations", () => {
        // The 404 page's own status is logged by Chromium each time it is opened (four times).
        const notFound =
          "Failed to load resource: the server responded with a status of 404 (Not Found)";
        assert.equal(session.errors.filter((error) => error === notFound).length, 4);
        assert.deepEqual(session.errors.filter((error) => error !== notFound), []);
      });
    } finally {
      held.release();
      await session.close();
      await server.shutdown();
      await Deno.remove(workspace.root, { recursive: true });
    }
  },
});
