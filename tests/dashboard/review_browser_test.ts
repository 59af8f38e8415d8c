/**
 * Anomalies & Rejections and the review queue in a real browser (headless Chromium), on a small
 * fixture workspace with a few extra rows: a category variant that a suggestion places
 * (`Kitchen and Home` → `Home & Kitchen`) and a product name a spreadsheet would run as a formula.
 *
 * Rejected rows: search, a column filter, sort, the filtered CSV download (its content read back),
 * the failing field marked, an anchor that clears the sticky bar, heavy-discount rows fitting at
 * 1440 px. Review queue: suggestions pre-selected and marked, the unsaved-changes warning, controls
 * on screen at 390 px, "accept all" saving the suggestions, the saved mappings with their rows,
 * applied by a clean run, and undo.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import { serveDashboard } from "../../dashboard/server.ts";
import { openCsv } from "../../src/io/csv_stream.ts";
import { recordFields } from "../../src/io/csv_parse.ts";
import { csvLine } from "../../src/io/csv_write.ts";
import { openBrowser, SKIP_BROWSER_TESTS } from "./_browser.ts";
import { buildFixtureWorkspace, runStages, UNMAPPED_REGION } from "./_fixture_workspace.ts";

const VARIANT = "Kitchen and Home";
const VARIANT_ROWS = 20;
const FORMULA = '=HYPERLINK("http://example.com","x")';

/** Rows appended to the fixture: the category variant, and one formula in an Atlantis row. */
function extraRows(): string {
  let text = "";
  for (let row = 0; row < VARIANT_ROWS; row++) {
    text += csvLine([
      `ORD-9${String(row).padStart(6, "0")}`,
      "Kettle",
      VARIANT,
      "2",
      "10.00",
      "0",
      "Europe",
      "2024-05-01",
      "x@example.com",
      "0",
    ]);
  }
  text += csvLine([
    "ORD-9900000",
    FORMULA,
    "Books",
    "1",
    "5.00",
    "0",
    "Atlantis",
    "2024-05-01",
    "",
    "0",
  ]);
  return text;
}

async function navigate(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), action()]);
}

/** The texts of one column of a table, by header text. */
function columnTexts(page: Page, table: string, name: string): Promise<string[]> {
  return page.$eval(table, (element, wanted) => {
    const headers = [...element.querySelectorAll("thead th")].map((th) =>
      th.textContent!.replace(/[▲▼↕]/g, "").trim()
    );
    const at = headers.indexOf(wanted as string);
    return [...element.querySelectorAll("tbody tr")].map((row) =>
      row.children[at]?.textContent ?? ""
    );
  }, name);
}

async function readCsv(path: string): Promise<{ header: string[]; rows: string[][] }> {
  const file = await openCsv(path);
  const rows: string[][] = [];
  for await (const batch of file.batches) {
    for (let record = 0; record < batch.count; record++) rows.push(recordFields(batch, record));
  }
  return { header: file.header, rows };
}

async function waitForFile(directory: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    for await (const entry of Deno.readDir(directory)) {
      if (entry.isFile && entry.name.endsWith(".csv")) return join(directory, entry.name);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("no CSV was downloaded");
}

Deno.test({
  name: "rejected rows and the review queue in a browser",
  ignore: SKIP_BROWSER_TESTS,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const workspace = await buildFixtureWorkspace(1_500);
    await Deno.writeTextFile(workspace.input, extraRows(), { append: true });
    await runStages(workspace);
    const server = await serveDashboard({
      dataDir: workspace.dataDir,
      lookupsDir: workspace.lookupsDir,
      port: 0,
      rebuildBundle: false,
    });
    const downloads = await Deno.makeTempDir({ prefix: "dpd-downloads-" });
    const session = await openBrowser();
    const context = await session.browser.createBrowserContext({
      downloadBehavior: { policy: "allow", downloadPath: downloads },
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.setViewport({ width: 1440, height: 900 });
    const url = (path: string) => new URL(path, server.url).href;
    try {
      await t.step(
        "search finds an order_id; a reason link lands below the sticky bar",
        async () => {
          await page.goto(url("/anomalies"), { waitUntil: "load" });
          await navigate(
            page,
            () =>
              page.click(
                'table.reasons a.reason-name[href*="zero_q"], table.reasons a.reason-name',
              ),
          );
          const [headingTop, barBottom] = await page.evaluate(() => [
            document.getElementById("rejected-title")!.getBoundingClientRect().top,
            document.querySelector(".topbar")!.getBoundingClientRect().bottom,
          ]);
          assert.ok(headingTop >= barBottom, `heading at ${headingTop}, bar ends at ${barBottom}`);
          await page.goto(url("/anomalies"), { waitUntil: "load" });
          await page.type('#rejected input[name="q"]', "ORD-0000003");
          await navigate(
            page,
            () => page.click('#rejected .rejected-filters button[type="submit"]'),
          );
          assert.equal(new URL(page.url()).searchParams.get("q"), "ORD-0000003");
          const ids = await columnTexts(page, "table.rejected", "order_id");
          assert.ok(
            ids.length > 0 && ids.every((id) => id.startsWith("ORD-0000003")),
            String(ids),
          );
        },
      );

      await t.step(
        "a column filter and a sort, in the URL; the failing field is marked",
        async () => {
          await page.goto(url("/anomalies"), { waitUntil: "load" });
          await page.select('#rejected select[name="wcol"]', "region");
          await page.type('#rejected input[name="wval"]', "atlantis");
          await navigate(
            page,
            () => page.click('#rejected .rejected-filters button[type="submit"]'),
          );
          assert.deepEqual(new URL(page.url()).searchParams.getAll("where"), ["region=atlantis"]);
          await navigate(page, () => page.click('table.rejected thead a[href*="sort=unit_price"]'));
          const query = new URL(page.url()).searchParams;
          assert.equal(query.get("sort"), "unit_price");
          assert.deepEqual(query.getAll("where"), ["region=atlantis"]);
          const regions = await columnTexts(page, "table.rejected", "region");
          assert.ok(regions.length > 0 && regions.every((region) => region === "Atlantis"));
          const prices = (await columnTexts(page, "table.rejected", "unit_price")).map(Number);
          assert.deepEqual(prices, [...prices].sort((a, b) => a - b));
          const marked = await page.$$eval(
            "table.rejected td.failing",
            (cells) => cells.map((cell) => cell.textContent),
          );
          assert.equal(marked.length, regions.length);
          assert.ok(marked.every((text) => text === "Atlantis"));
        },
      );

      await t.step(
        "the CSV download holds exactly the filtered, sorted rows, formulas guarded",
        async () => {
          const total = Number(
            (await page.$eval("#rejected .pager-count", (element) => element.textContent!))
              .match(/of ([\d,]+)/)![1].replace(/,/g, ""),
          );
          await page.click("#download-rejected");
          const { header, rows } = await readCsv(await waitForFile(downloads));
          assert.equal(header.at(-2), "rejection_reason");
          assert.equal(rows.length, total);
          const column = (name: string) => header.indexOf(name);
          assert.ok(rows.every((row) => row[column("region")] === "Atlantis"));
          const prices = rows.map((row) => Number(row[column("unit_price")]));
          assert.deepEqual(prices, [...prices].sort((a, b) => a - b));
          const names = rows.map((row) => row[column("product_name")]);
          assert.ok(names.includes(`'${FORMULA}`), "the formula is written as text");
          assert.ok(!names.includes(FORMULA));
        },
      );

      await t.step("heavy-discount rows: every column visible at 1440 px, sortable", async () => {
        await page.goto(url("/anomalies?asort=revenue&adir=desc#anomalies"), { waitUntil: "load" });
        const [scroll, client] = await page.$eval(
          "#anomaly-rows",
          (element) => [element.scrollWidth, element.clientWidth],
        );
        assert.ok(scroll <= client, `the table scrolls sideways: ${scroll} > ${client}`);
        const revenue = (await columnTexts(page, "#anomaly-rows table", "revenue"))
          .map((text) => Number(text.replace(/[^\d.]/g, "")));
        assert.ok(revenue.length > 0);
        assert.deepEqual(revenue, [...revenue].sort((a, b) => b - a));
      });

      await t.step(
        "the review queue pre-selects suggestions, marked with their method",
        async () => {
          await page.goto(url("/review"), { waitUntil: "load" });
          await page.waitForFunction(() => document.documentElement.classList.contains("hydrated"));
          const region = await page.$eval(
            `#regions select[aria-label="Region for ${UNMAPPED_REGION}"]`,
            (select) => ({
              value: (select as HTMLSelectElement).value,
              marked: select.classList.contains("suggested"),
              option: (select as HTMLSelectElement).selectedOptions[0].textContent,
            }),
          );
          assert.deepEqual(region, {
            value: "North America",
            marked: true,
            option: "North America (suggested: phonetic)",
          });
          const category = await page.$eval(
            `#categories select[aria-label="Category for ${VARIANT}"]`,
            (select) => (select as HTMLSelectElement).value,
          );
          assert.equal(category, "map:Home & Kitchen");
          const atlantis = await page.$eval(
            '#regions select[aria-label="Region for Atlantis"]',
            (select) => (select as HTMLSelectElement).value,
          );
          assert.equal(atlantis, "", "no evidence, no suggestion");
        },
      );

      await t.step("leaving with an unsaved choice asks first", async () => {
        const select = '#regions select[aria-label="Region for Atlantis"]';
        await page.click(select); // a real gesture: browsers only ask after one
        await page.keyboard.press("Escape");
        await page.select(select, "Europe");
        assert.match(
          await page.$eval(".unsaved-note", (element) => element.textContent ?? ""),
          /^1 unsaved choice/,
        );
        const asked = new Promise<string>((resolve) => {
          page.once("dialog", async (dialog) => {
            resolve(dialog.type());
            await dialog.dismiss(); // stay
          });
        });
        await page.evaluate(() => location.assign("/anomalies")).catch(() => {});
        assert.equal(await asked, "beforeunload");
        assert.equal(new URL(page.url()).pathname, "/review");
        await page.select(select, "");
        assert.equal(await page.$eval(".unsaved-note", (element) => element.textContent), "");
      });

      await t.step("at 390 px every review control is on screen (rows become cards)", async () => {
        await page.setViewport({ width: 390, height: 844 });
        await page.goto(url("/review"), { waitUntil: "load" });
        const outside = await page.$$eval(
          "#regions select, #regions button, #categories select, #categories button",
          (controls) =>
            controls.flatMap((control) => {
              const box = control.getBoundingClientRect();
              return box.left < 0 || box.right > 390 ? [control.outerHTML.slice(0, 80)] : [];
            }),
        );
        assert.deepEqual(outside, []);
        const sideways = await page.$$eval(
          "#regions .table-wrap, #categories .table-wrap",
          (wraps) => wraps.filter((wrap) => wrap.scrollWidth > wrap.clientWidth).length,
        );
        assert.equal(sideways, 0);
        await page.setViewport({ width: 1440, height: 900 });
      });

      await t.step(
        "accept all saves the suggestions; the mappings list them with their rows",
        async () => {
          await page.goto(url("/review"), { waitUntil: "load" });
          await navigate(page, () => page.click("#accept-region button"));
          assert.match(await page.$eval(".notice.ok", (e) => e.textContent!), /Saved 1 mapping/);
          await navigate(page, () => page.click("#accept-category button"));
          assert.match(await page.$eval(".notice.ok", (e) => e.textContent!), /Saved 1 category/);
          const regionMap = JSON.parse(
            await Deno.readTextFile(join(workspace.lookupsDir, "region_map.json")),
          );
          assert.equal(regionMap["nrth amrca"], "North America");
          assert.equal(regionMap["atlantis"], undefined);
          const categoryMap = JSON.parse(
            await Deno.readTextFile(join(workspace.lookupsDir, "category_map.json")),
          );
          assert.deepEqual(categoryMap, { "kitchen and home": "Home & Kitchen" });
          const listed = await page.$$eval(
            "table.mapping-list tbody tr",
            (rows) =>
              rows.map((row) =>
                [...row.children].slice(0, 5).map((cell) => cell.textContent!.trim())
              ),
          );
          assert.deepEqual(listed.slice(0, 2).map((row) => row.slice(0, 4)), [
            [VARIANT, "category", "→ Home & Kitchen", String(VARIANT_ROWS)],
            [UNMAPPED_REGION, "region", "→ North America", "30"],
          ]);
          assert.ok(listed.slice(0, 2).every((row) => row[4].startsWith("saved, re-run to apply")));
        },
      );

      await t.step("a clean run applies them; undo takes one back", async () => {
        await runStages(workspace);
        await page.goto(url("/review#mappings"), { waitUntil: "load" });
        const status = await page.$$eval(
          "table.mapping-list tbody tr",
          (rows) =>
            rows.slice(0, 2).map((row) => row.children[4].textContent!.trim().split(" ")[0]),
        );
        assert.deepEqual(status, ["applied", "applied"]);
        const queued = await page.$$eval(
          "#categories th.raw code",
          (codes) => codes.map((code) => code.textContent),
        );
        assert.ok(!queued.includes(VARIANT), "the variant left the queue");
        await navigate(
          page,
          () =>
            page.click(`table.mapping-list button[aria-label="Undo ${VARIANT} → Home & Kitchen"]`),
        );
        assert.match(await page.$eval(".notice.ok", (e) => e.textContent!), /Undid the mapping/);
        const categoryMap = JSON.parse(
          await Deno.readTextFile(join(workspace.lookupsDir, "category_map.json")),
        );
        assert.deepEqual(categoryMap, {});
        const remaining = await page.$$eval(
          "table.mapping-list tbody th code",
          (codes) => codes.map((code) => code.textContent),
        );
        assert.ok(!remaining.includes(VARIANT));
        assert.ok(remaining.includes(UNMAPPED_REGION));
      });

      await t.step("no console errors and no CSP violations", () => {
        assert.deepEqual(errors, []);
      });
    } finally {
      await session.close();
      await server.shutdown();
      await Deno.remove(workspace.root, { recursive: true });
      await Deno.remove(downloads, { recursive: true });
    }
  },
});
