/**
 * The Aggregations Explorer in headless Chromium on 20k generated dirty rows (product names keep
 * their typos): search, several categories and regions at once, date presets, the totals row, and
 * a drag across the time chart that becomes the date filter in the URL.
 */
import assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import { type DashboardServer } from "../../dashboard/server.ts";
import { typoDistance } from "../../dashboard/lib/text_search.ts";
import { type BrowserSession, openBrowser, SKIP_BROWSER_TESTS } from "./_browser.ts";
import {
  buildPipelineWorkspace,
  type FixtureWorkspace,
  serveFixture,
} from "./_fixture_workspace.ts";

async function navigate(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), action()]);
}

/** The texts of one column of the explorer's table. */
async function column(page: Page, name: string): Promise<string[]> {
  return await page.$eval("#rows table", (table, wanted) => {
    const headers = [...table.querySelectorAll("thead th")].map((th) =>
      th.textContent!.replace(/[▲▼↕]/g, "").trim()
    );
    const index = headers.indexOf(wanted as string);
    return [...table.querySelectorAll("tbody tr")].map((row) =>
      row.children[index]?.textContent ?? ""
    );
  }, name);
}

/** The totals row's text under a column. */
async function total(page: Page, name: string): Promise<string> {
  return await page.$eval("#rows table", (table, wanted) => {
    const headers = [...table.querySelectorAll("thead th")].map((th) =>
      th.textContent!.replace(/[▲▼↕]/g, "").trim()
    );
    return table.querySelector("tfoot tr")?.children[headers.indexOf(wanted as string)]
      ?.textContent ?? "";
  }, name);
}

/** The filtered rows as the CSV download gives them (all pages). */
async function downloaded(page: Page): Promise<Record<string, string>[]> {
  const href = await page.$eval("#download-csv", (link) => (link as HTMLAnchorElement).href);
  const csv = await page.evaluate(async (link) => await (await fetch(link)).text(), href);
  const [header, ...lines] = csv.trimEnd().split("\n");
  const names = header.split(",");
  // Only number and date columns are read from it here: no quoted commas among them.
  return lines.map((line) => {
    const fields = line.split(",");
    return Object.fromEntries(names.map((name, index) => [name, fields.at(index - names.length)!]));
  });
}

const number = (text: string) => Number(text.replace(/[,$]/g, ""));
const days = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

Deno.test({
  name: "explorer in a browser: search, multiple choices, presets, totals, zoom to URL",
  ignore: SKIP_BROWSER_TESTS,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const workspace: FixtureWorkspace = await buildPipelineWorkspace(20_000);
    const server: DashboardServer = await serveFixture(workspace);
    const session: BrowserSession = await openBrowser();
    const { page } = session;
    const url = (path: string) => new URL(path, server.url).href;
    const hydrated = () =>
      page.waitForFunction(() => document.documentElement.classList.contains("hydrated"));
    try {
      await t.step(
        "search finds product names with typos too, and keeps the search in the URL",
        async () => {
          await page.goto(url("/explorer/product_performance?size=250"), { waitUntil: "load" });
          await page.type('input[name="q"]', "mouse");
          await navigate(page, () => page.keyboard.press("Enter"));
          assert.equal(new URL(page.url()).searchParams.get("q"), "mouse");
          const names = await column(page, "product_name");
          assert.ok(names.length > 3, names.join("; "));
          const words = (name: string) => name.toLowerCase().split(/[^\p{L}\p{N}]+/u);
          for (const name of names) {
            assert.ok(
              name.toLowerCase().includes("mouse") ||
                words(name).some((word) => typoDistance(word, "mouse", 1) <= 1),
              name,
            );
          }
          assert.ok(
            names.some((name) => !name.toLowerCase().includes("mouse")),
            `a misspelt name is found: ${names.join("; ")}`,
          );
          assert.ok(names.some((name) => name.includes("Mouse")));
          // The CSV download keeps the search: the same rows.
          assert.equal((await downloaded(page)).length, names.length);
          assert.equal(
            await page.$eval('input[name="q"]', (input) => (input as HTMLInputElement).value),
            "mouse",
          );
        },
      );

      await t.step("several categories at once, each in the URL", async () => {
        await page.goto(url("/explorer/monthly_category_sales?size=250"), { waitUntil: "load" });
        await hydrated();
        await page.click('details.multi[data-name="category"] summary');
        await page.click('input[name="category"][value="Books"]');
        await page.click('input[name="category"][value="Grocery"]');
        await navigate(page, () => page.click('.filters button[type="submit"]'));
        const chosen = new URL(page.url()).searchParams.getAll("category");
        assert.deepEqual(chosen.sort(), ["Books", "Grocery"]);
        const categories = new Set(await column(page, "category"));
        assert.deepEqual([...categories].sort(), ["Books", "Grocery"]);
        assert.equal(
          await page.$eval('details.multi[data-name="category"] summary', (s) => s.textContent),
          "2 selected",
        );
      });

      await t.step("regions too, without JavaScript", async () => {
        const plain = await session.browser.newPage();
        try {
          await plain.setJavaScriptEnabled(false);
          await plain.goto(url("/explorer/monthly_region_sales?size=250"), { waitUntil: "load" });
          const options = await plain.$$eval(
            'input[name="region"]',
            (inputs) => inputs.map((input) => (input as HTMLInputElement).value),
          );
          const picked = options.slice(0, 2);
          await plain.click('details.multi[data-name="region"] summary');
          for (const region of picked) {
            await plain.click(`input[name="region"][value="${region}"]`);
          }
          await navigate(plain, () => plain.click('.filters button[type="submit"]'));
          assert.deepEqual(new URL(plain.url()).searchParams.getAll("region"), picked);
          const regions = await column(plain, "region");
          assert.deepEqual([...new Set(regions)].sort(), [...picked].sort());
        } finally {
          await plain.close();
        }
      });

      await t.step("date presets: last 30 days, last 90 days, this year, all time", async () => {
        await page.goto(url("/explorer/daily_sales?size=250"), { waitUntil: "load" });
        const last = await page.$eval(
          'input[name="to"]',
          (input) => (input as HTMLInputElement).max,
        );
        const allRows = (await downloaded(page)).length;
        const cases: [string, number | undefined, string | undefined][] = [
          ["Last 30 days", 30, undefined],
          ["Last 90 days", 90, undefined],
          ["This year", undefined, `${last.slice(0, 4)}-01-01`],
        ];
        for (const [label, span, from] of cases) {
          const link = await page.$$eval(
            ".presets a",
            (links, wanted) =>
              links.find((link) => link.textContent!.startsWith(wanted as string))!.getAttribute(
                "href",
              )!,
            label,
          );
          await navigate(page, () => page.goto(url(link), { waitUntil: "load" }));
          const query = new URL(page.url()).searchParams;
          assert.equal(query.get("to"), last, label);
          if (span) assert.equal(days(last) - days(query.get("from")!), span - 1, label);
          if (from) assert.equal(query.get("from"), from, label);
          const dates = await column(page, "date");
          assert.ok(
            dates.length > 0 && dates.every((date) => date >= query.get("from")! && date <= last),
          );
          assert.equal(
            await page.$eval('.presets a[aria-current="true"]', (a) => a.textContent),
            await page.$$eval(
              ".presets a",
              (links, wanted) =>
                links.find((link) => link.textContent!.startsWith(wanted as string))!.textContent,
              label,
            ),
          );
        }
        await navigate(page, () => page.click(".presets a:last-child"));
        assert.equal(new URL(page.url()).searchParams.get("from"), null);
        assert.equal((await downloaded(page)).length, allRows);
      });

      await t.step("the totals row sums every filtered row, not only the page", async () => {
        await page.goto(url("/explorer/daily_sales?from=2025-01-01&to=2025-06-30&size=25"), {
          waitUntil: "load",
        });
        const rows = await downloaded(page);
        assert.ok(rows.length > 25, "more rows than one page");
        const orders = rows.reduce((sum, row) => sum + Number(row.orders), 0);
        const cents = rows.reduce((sum, row) => sum + Math.round(Number(row.revenue) * 100), 0);
        assert.equal(number(await total(page, "orders")), orders);
        assert.equal(number(await total(page, "revenue")), cents / 100);
        assert.equal(
          number(await total(page, "avg_order_value")),
          Math.round(cents / orders) / 100,
        );
        assert.match(
          await total(page, "date"),
          new RegExp(`^Total of ${rows.length} matching rows$`),
        );
      });

      await t.step(
        "dragging across the time chart filters those dates and puts them in the URL",
        async () => {
          await page.goto(url("/explorer/daily_sales?sort=revenue&dir=desc&page=2"), {
            waitUntil: "load",
          });
          await page.waitForFunction(() =>
            document.querySelector<HTMLElement>(".chart-canvas")?.dataset.drawn === "true"
          );
          const box = (await (await page.$(".chart-canvas .u-over"))!.boundingBox())!;
          const y = box.y + box.height / 2;
          await page.mouse.move(box.x + box.width * 0.4, y);
          await page.mouse.down();
          await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
          await navigate(page, () => page.mouse.up());
          const query = new URL(page.url()).searchParams;
          const [from, to] = [query.get("from")!, query.get("to")!];
          assert.match(from, /^\d{4}-\d{2}-\d{2}$/);
          assert.ok(days(to) - days(from) > 20 && days(to) - days(from) < 120, `${from}..${to}`);
          // The other parameters stay, but paging starts again.
          assert.equal(query.get("sort"), "revenue");
          assert.equal(query.get("page"), null);
          assert.equal(
            await page.$eval('input[name="from"]', (input) => (input as HTMLInputElement).value),
            from,
          );
          const dates = await column(page, "date");
          assert.ok(dates.length > 0 && dates.every((date) => date >= from && date <= to));
        },
      );

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
