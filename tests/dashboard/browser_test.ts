/**
 * The dashboard in a real browser (headless Chromium) on 20k generated dirty rows taken through
 * the real pipeline in process (generate, infer lookups, clean, aggregate):
 * both tabs render and draw their charts, tables sort and page, the date filter changes the rows
 * and the URL, an island applies a filter on change, the CSV link downloads the parquet's rows,
 * and the review loop (map a region, save, re-run with live progress) lowers that region's
 * `unknown_region` count. Screenshots of each tab go to tests/artifacts/.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { asyncBufferFromFile } from "hyparquet/src/node.js";
import type { Page } from "puppeteer-core";
import { type DashboardServer, serveDashboard } from "../../dashboard/server.ts";
import { ARTIFACTS_DIR, type BrowserSession, openBrowser, SKIP_BROWSER_TESTS } from "./_browser.ts";
import { buildPipelineWorkspace, type FixtureWorkspace } from "./_fixture_workspace.ts";

const ROWS = 20_000;

async function screenshot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({
    path: join(ARTIFACTS_DIR, `${name}.png`) as `${string}.png`,
    fullPage: true,
  });
}

/** Waits until every chart on the page has drawn, and returns how many non-blank pixels each has. */
async function drawnCharts(page: Page): Promise<number[]> {
  await page.waitForFunction(() =>
    [...document.querySelectorAll(".chart-canvas")].length > 0 &&
    [...document.querySelectorAll<HTMLElement>(".chart-canvas")].every((element) =>
      element.dataset.drawn === "true" && element.querySelector("canvas")
    )
  );
  return await page.$$eval(".chart-canvas canvas", (canvases) =>
    canvases.map((canvas) => {
      const context = (canvas as HTMLCanvasElement).getContext("2d")!;
      const { data } = context.getImageData(
        0,
        0,
        (canvas as HTMLCanvasElement).width,
        (canvas as HTMLCanvasElement).height,
      );
      let painted = 0;
      for (let index = 3; index < data.length; index += 4) if (data[index] !== 0) painted++;
      return painted;
    }));
}

/** The text of one column of the page's first data table. */
async function columnTexts(
  page: Page,
  tableSelector: string,
  columnName: string,
): Promise<string[]> {
  return await page.$eval(tableSelector, (table, name) => {
    const headers = [...table.querySelectorAll("thead th")].map((th) =>
      th.textContent!.replace(/[▲▼↕]/g, "").trim()
    );
    const index = headers.indexOf(name as string);
    return [...table.querySelectorAll("tbody tr")].map((row) =>
      row.children[index]?.textContent ?? ""
    );
  }, columnName);
}

const number = (text: string) => Number(text.replace(/,/g, ""));

async function rowCountText(page: Page, tableSelector = "#rows"): Promise<string> {
  return await page.$eval(
    `${tableSelector} ~ .pager .pager-count`,
    (element) => element.textContent ?? "",
  );
}

async function navigate(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), action()]);
}

Deno.test({
  name: "dashboard in a browser: tabs, charts, sorting, paging, filters, CSV, review loop",
  ignore: SKIP_BROWSER_TESTS,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const workspace: FixtureWorkspace = await buildPipelineWorkspace(ROWS);
    const server: DashboardServer = await serveDashboard({
      dataDir: workspace.dataDir,
      lookupsDir: workspace.lookupsDir,
      port: 0,
      rebuildBundle: false,
    });
    const session: BrowserSession = await openBrowser();
    const { page } = session;
    const url = (path: string) => new URL(path, server.url).href;
    try {
      await t.step("the explorer renders and draws its chart", async () => {
        await page.goto(url("/"), { waitUntil: "load" });
        assert.equal(new URL(page.url()).pathname, "/explorer/daily_sales");
        assert.ok((await drawnCharts(page)).every((painted) => painted > 1000));
        assert.match(
          await page.$eval("#kpi-orders .kpi-value", (element) => element.textContent ?? ""),
          /\d/,
        );
        await screenshot(page, "dashboard_explorer");
      });

      await t.step("a header click sorts; next page pages", async () => {
        await navigate(page, () => page.click('thead a[href*="sort=revenue"]'));
        const sorted = new URL(page.url());
        assert.equal(sorted.searchParams.get("sort"), "revenue");
        assert.equal(sorted.searchParams.get("dir"), "desc");
        const revenue = (await columnTexts(page, "#rows table", "revenue")).map(number);
        assert.ok(revenue.length === 50);
        assert.ok(revenue.every((value, index) => index === 0 || value <= revenue[index - 1]));
        await navigate(page, () => page.click('#rows ~ .pager a[rel="next"]'));
        assert.equal(new URL(page.url()).searchParams.get("page"), "2");
        assert.equal(new URL(page.url()).searchParams.get("sort"), "revenue");
        assert.match(await rowCountText(page), /^Rows 51–100 of /);
        const second = (await columnTexts(page, "#rows table", "revenue")).map(number);
        assert.ok(second[0] <= revenue.at(-1)!);
      });

      await t.step("the date filter changes the rows and the URL", async () => {
        await page.goto(url("/explorer/daily_sales"), { waitUntil: "load" });
        const allRows = await rowCountText(page);
        // The last month of the data, from the date input's bounds.
        const last = await page.$eval(
          'input[name="to"]',
          (input) => (input as HTMLInputElement).max,
        );
        const month = last.slice(0, 7);
        await page.$eval(
          'input[name="from"]',
          (input, value) => (input as HTMLInputElement).value = value as string,
          `${month}-01`,
        );
        await page.$eval(
          'input[name="to"]',
          (input, value) => (input as HTMLInputElement).value = value as string,
          last,
        );
        await navigate(page, () => page.click('.filters button[type="submit"]'));
        const filtered = new URL(page.url());
        assert.equal(filtered.searchParams.get("from"), `${month}-01`);
        assert.equal(filtered.searchParams.get("to"), last);
        const dates = await columnTexts(page, "#rows table", "date");
        assert.ok(dates.length > 0 && dates.length <= 31);
        assert.ok(dates.every((date) => date.startsWith(`${month}-`)));
        assert.notEqual(await rowCountText(page), allRows);
        await drawnCharts(page);
      });

      await t.step("choosing the charted measure applies at once (island hydrated)", async () => {
        await page.goto(url("/explorer/monthly_category_sales"), { waitUntil: "load" });
        await page.waitForFunction(() => document.documentElement.classList.contains("hydrated"));
        await navigate(page, () => page.select('select[name="measure"]', "units"));
        assert.equal(new URL(page.url()).searchParams.get("measure"), "units");
        await page.click('details.multi[data-name="category"] summary');
        await page.click('input[name="category"][value="Books"]');
        await navigate(page, () => page.click('.filters button[type="submit"]'));
        assert.equal(new URL(page.url()).searchParams.get("category"), "Books");
        const categories = await columnTexts(page, "#rows table", "category");
        assert.ok(categories.length > 0 && categories.every((category) => category === "Books"));
      });

      await t.step("the CSV link downloads the parquet's rows", async () => {
        await page.goto(url("/explorer/product_performance"), { waitUntil: "load" });
        const href = await page.$eval("#download-csv", (link) => (link as HTMLAnchorElement).href);
        const csv = await page.evaluate(async (link) => await (await fetch(link)).text(), href);
        const lines = csv.trimEnd().split("\n");
        const rows = await parquetReadObjects({
          file: await asyncBufferFromFile(
            join(workspace.dataDir, "aggregations", "product_performance.parquet"),
          ),
        });
        assert.equal(lines[0], Object.keys(rows[0]).join(","));
        assert.equal(lines.length - 1, rows.length);
        // Spot-check every row's numbers (names may hold quotes and commas, compared in server_test).
        lines.slice(1).forEach((line, index) => {
          const fields = line.split(",");
          assert.equal(Number(fields.at(-1)), rows[index].avg_discount, `row ${index}`);
        });
      });

      await t.step("the anomalies tab renders, draws and filters by reason", async () => {
        await page.goto(url("/anomalies"), { waitUntil: "load" });
        assert.ok((await drawnCharts(page)).every((painted) => painted > 500));
        await screenshot(page, "dashboard_anomalies");
        await page.select('#rejected select[name="reason"]', "unknown_region");
        await navigate(page, () => page.click('#rejected button[type="submit"]'));
        assert.equal(new URL(page.url()).searchParams.get("reason"), "unknown_region");
        const reasons = await columnTexts(page, "#rejected table", "rejection_reason");
        assert.ok(reasons.length > 0 && reasons.every((reason) => reason === "unknown_region"));
      });

      await t.step(
        "review: map a region, save, re-run; its unknown_region count drops",
        async () => {
          const reasonRows = async (reason: string) => {
            await page.goto(url("/anomalies"), { waitUntil: "load" });
            return await page.$$eval("table.reasons tbody tr", (rows, wanted) => {
              const row = rows.find((candidate) =>
                candidate.querySelector(".reason-name")?.textContent === wanted
              );
              return Number(row?.querySelector("td.num")?.textContent?.replace(/,/g, "") ?? NaN);
            }, reason);
          };
          const before = await reasonRows("unknown_region");
          await page.goto(url("/review"), { waitUntil: "load" });
          await page.waitForFunction(() => document.documentElement.classList.contains("hydrated"));
          // The value with the most rows (first in the queue), mapped to the first canonical region.
          const [raw, mappedRows] = await page.$eval("#regions table.review tbody tr", (row) =>
            [
              row.querySelector("th code")?.textContent ?? "",
              Number(row.querySelector("td.num")?.textContent?.replace(/,/g, "") ?? NaN),
            ] as [string, number]);
          assert.ok(raw !== "" && mappedRows > 0);
          const select = "#regions table.review tbody tr:first-child select";
          const region = await page.$eval(
            select,
            (element) => (element as HTMLSelectElement).options[1].value,
          );
          // Suggestions come pre-selected: leave every other value as it is, map just this one.
          await page.$$eval(
            "#regions select",
            (selects) => selects.forEach((element) => (element as HTMLSelectElement).value = ""),
          );
          await page.select(select, region);
          await screenshot(page, "dashboard_review");
          await navigate(page, () => page.click("#save-regions"));
          assert.match(
            await page.$eval(".notice.ok", (element) => element.textContent ?? ""),
            /Saved 1 mapping/,
          );
          await page.waitForFunction(() => document.documentElement.classList.contains("hydrated"));
          // The island starts the run with fetch, shows progress from the event stream, then reloads.
          await navigate(page, async () => {
            await page.click(".rerun button");
            await page.waitForSelector(".rerun[data-status='done'], .rerun[data-status='failed']", {
              timeout: 60_000,
            });
          });
          const status = await page.$eval(".rerun-text", (element) => element.textContent ?? "");
          assert.match(status, /^Done in/, status);
          const remaining = await page.$$eval(
            "#regions table.review tbody th code",
            (codes) => codes.map((code) => code.textContent),
          );
          assert.ok(!remaining.includes(raw), `${raw} left the queue`);
          await screenshot(page, "dashboard_review_after_rerun");
          const after = await reasonRows("unknown_region");
          assert.equal(after, before - mappedRows);
        },
      );

      await t.step("dark mode follows the system", async () => {
        await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "dark" }]);
        await page.goto(url("/explorer/monthly_region_sales"), { waitUntil: "load" });
        await drawnCharts(page);
        const background = await page.evaluate(() =>
          getComputedStyle(document.body).backgroundColor
        );
        assert.equal(background, "rgb(14, 16, 20)");
        await screenshot(page, "dashboard_explorer_dark");
        await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }]);
      });

      await t.step("readable without JavaScript: tables, sort links, GET filters", async () => {
        const plain = await session.browser.newPage();
        try {
          await plain.setJavaScriptEnabled(false);
          await plain.goto(url("/explorer/monthly_category_sales?sort=revenue&dir=desc"), {
            waitUntil: "load",
          });
          const revenue = (await columnTexts(plain, "#rows table", "revenue")).map(number);
          assert.ok(
            revenue.length > 0 &&
              revenue.every((value, index) => index === 0 || value <= revenue[index - 1]),
          );
          // No island ran: the chart frame shows its note, the form still submits by GET.
          assert.equal(await plain.$eval(".chart-canvas", (element) => element.children.length), 0);
          await plain.click('details.multi[data-name="category"] summary');
          await plain.click('input[name="category"][value="Books"]');
          await navigate(plain, () => plain.click('.filters button[type="submit"]'));
          const query = new URL(plain.url()).searchParams;
          assert.equal(query.get("category"), "Books");
          assert.equal(query.get("sort"), "revenue");
          const categories = await columnTexts(plain, "#rows table", "category");
          assert.ok(categories.length > 0 && categories.every((category) => category === "Books"));
          for (const path of ["/anomalies", "/review"]) {
            await plain.goto(url(path), { waitUntil: "load" });
            assert.ok(await plain.$("table.data tbody tr"), `${path} has rows`);
          }
          await screenshot(plain, "dashboard_review_without_javascript");
        } finally {
          await plain.close();
        }
      });

      await t.step("no console errors and no CSP violations", () => {
        assert.deepEqual(session.errors, []);
      });
    } finally {
      await session.close();
      await server.shutdown();
      await Deno.remove(workspace.root, { recursive: true });
    }
  },
});
