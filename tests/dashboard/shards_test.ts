/**
 * The dashboard over a sharded run (`clean-data --shard k/4`, four runs): the shards' reports are
 * one run's, so the overview KPIs, the anomalies page's counts and the rejected rows (listed,
 * searched, downloaded) equal those of one unsharded run over the same input; while a shard is
 * still missing the pages say how many are done instead of warning of a mismatch. Requests go to
 * the app's own handler; the runs are real, in process.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildAggregations } from "../../src/aggregations/build_aggregations.ts";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import type { CleanReport } from "../../src/cleaning/clean_report.ts";
import { isCleanReport, latestCleanReport } from "../../dashboard/lib/clean_report.ts";
import { loadOverview } from "../../dashboard/lib/overview.ts";
import {
  readRejectedPage,
  rejectedIndex,
  type RejectedRow,
} from "../../dashboard/lib/rejected_index.ts";
import type { RejectedQuery } from "../../dashboard/lib/rejected_query.ts";
import { resolveWorkspace } from "../../dashboard/lib/workspace.ts";
import { createApp } from "../../dashboard/server.ts";
import { everyAnomalyPage } from "./_anomaly_pages.ts";
import { AS_OF, dirtyCsv, UNMAPPED_REGION, writeLookups } from "./_fixture_workspace.ts";

const ROWS = 3_000;
const SHARDS = 4;
const ORIGIN = "http://localhost";

/**
 * The same input cleaned twice: in `sharded/` by four `--shard k/4` runs started at once (one
 * dataset directory, one report and rejected CSV per shard), in `whole/` by one run; each then
 * aggregated.
 */
async function buildWorkspaces() {
  const root = await Deno.makeTempDir({ prefix: "dpd-dashboard-shards-" });
  const lookupsDir = join(root, "lookups");
  await writeLookups(lookupsDir);
  const input = join(root, "input", "sales.csv");
  await Deno.mkdir(join(root, "input"));
  await Deno.writeTextFile(input, dirtyCsv(ROWS));
  const sharded = join(root, "sharded");
  const whole = join(root, "whole");
  const common = { input, lookupsDir, asOf: AS_OF, quiet: true, workers: 1 };
  const shardRuns = await Promise.all(
    Array.from(
      { length: SHARDS },
      (_, index) => cleanData({ ...common, dataDir: sharded, shard: { index, count: SHARDS } }),
    ),
  );
  await buildAggregations({
    dataDir: sharded,
    cleaned: join(sharded, "clean", "sales"),
    quiet: true,
  });
  const wholeRun = await cleanData({ ...common, dataDir: whole });
  await buildAggregations({ dataDir: whole, cleaned: wholeRun.report.output!, quiet: true });
  return {
    root,
    lookupsDir,
    sharded,
    whole,
    shardReports: shardRuns.map((run) => run.report),
    wholeReport: wholeRun.report,
  };
}

type Workspaces = Awaited<ReturnType<typeof buildWorkspaces>>;

const spaces: Workspaces = await buildWorkspaces();
globalThis.addEventListener("unload", () => Deno.removeSync(spaces.root, { recursive: true }));

function workspaceOf(dataDir: string) {
  return resolveWorkspace({ dataDir, lookupsDir: spaces.lookupsDir });
}

async function appOf(dataDir: string) {
  const { app } = await createApp({ dataDir, lookupsDir: spaces.lookupsDir, rebuildBundle: false });
  return app;
}

async function get(dataDir: string, path: string): Promise<string> {
  const response = await (await appOf(dataDir)).request(`${ORIGIN}${path}`);
  assert.equal(response.status, 200, path);
  return await response.text();
}

/** A page section's text, tags and runs of white space dropped. */
function sectionText(html: string, from: string, to: string): string {
  const start = html.indexOf(from);
  assert.ok(start >= 0, `the page has ${from}`);
  const end = html.indexOf(to, start);
  return html.slice(start, end).replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
}

/** Every row a query selects, page after page (23 rows each, so pages cross the shards' files). */
async function everyRejectedPage(
  paths: string[],
  query: RejectedQuery,
): Promise<RejectedRow[]> {
  const rows: RejectedRow[] = [];
  for (let page = 1;; page++) {
    const result = await readRejectedPage(paths, { query, page, pageSize: 23 });
    rows.push(...result.page.rows);
    if (page >= result.page.pageCount) return rows;
  }
}

/** The CSV lines of a text, header first (the fixture has no line break inside a value). */
function csvLines(text: string): string[] {
  return text.trimEnd().split("\n");
}

function sorted(lines: string[]): string[] {
  return [...lines].sort();
}

Deno.test("four shard reports are shown as one run: the KPIs and counts of the unsharded run", async () => {
  const overview = await loadOverview(workspaceOf(spaces.sharded));
  const reference = await loadOverview(workspaceOf(spaces.whole));
  assert.ok(overview.report, overview.reportProblem?.problem);
  assert.ok(reference.report);
  assert.deepEqual(overview.kpis, reference.kpis);
  assert.ok(overview.kpis.rejectedRows! > 50, "the fixture rejects rows");
  assert.deepEqual(overview.warnings, []);
  assert.deepEqual(overview.report.reasons, reference.report.reasons);
  assert.deepEqual(overview.report.anomalies, reference.report.anomalies);
  assert.deepEqual(overview.report.shards?.done, [0, 1, 2, 3]);
  assert.deepEqual(overview.report.shards?.missing, []);
  assert.equal(overview.report.cleanParquetPath, join(spaces.sharded, "clean", "sales"));
  // The review queue (its badge waits only briefly, so compared from the index itself).
  const review = await rejectedIndex(overview.report.rejectedCsvPaths, overview.report.columns);
  const wholeReview = await rejectedIndex(reference.report.rejectedCsvPaths);
  assert.ok(wholeReview.reviewRegions.length > 0);
  assert.deepEqual(review.reviewRegions, wholeReview.reviewRegions);
  assert.deepEqual(review.reviewCategories, wholeReview.reviewCategories);

  const clean = overview.freshness.find((item) => item.label === "Clean data")!;
  assert.match(clean.detail!, /a dataset of 4 parquet files/);
  const rejected = overview.freshness.find((item) => item.label === "Rejected rows")!;
  assert.match(rejected.detail!, /in 4 files, one per shard/);
  assert.equal(rejected.href, "/anomalies/rejected.csv");

  // The anomalies page: the same reasons table and flagged counts, no mismatch.
  const page = await get(spaces.sharded, "/anomalies");
  const referencePage = await get(spaces.whole, "/anomalies");
  assert.equal(
    sectionText(page, 'id="reasons-title"', "</section>"),
    sectionText(referencePage, 'id="reasons-title"', "</section>"),
  );
  assert.equal(
    sectionText(page, "Clean rows kept but flagged", "</p>"),
    sectionText(referencePage, "Clean rows kept but flagged", "</p>"),
  );
  assert.match(page, /4 shards/);
  // The flagged rows listed: those of the one run (the dataset holds them shard by shard).
  const byId = { sort: "order_id", direction: "asc" } as const;
  const flagged = await everyAnomalyPage(overview.report.cleanParquetPath, byId);
  assert.ok(flagged.length > 10);
  assert.deepEqual(flagged, await everyAnomalyPage(reference.report.cleanParquetPath, byId));
  assert.doesNotMatch(page, /do not match|cannot be read|does not exist|not from the run/);
});

Deno.test("the rejected rows of four shards are listed, searched and downloaded as one list", async () => {
  const report = await latestCleanReport(workspaceOf(spaces.sharded));
  assert.ok(isCleanReport(report));
  const paths = report.rejectedCsvPaths;
  assert.deepEqual(paths, spaces.shardReports.map((shard: CleanReport) => shard.rejected));
  const wholePath = spaces.wholeReport.rejected!;
  const wholeLines = csvLines(await Deno.readTextFile(wholePath));
  // Shard order: shard 0's rows, then shard 1's, …
  const shardLines = (await Promise.all(paths.map((path) => Deno.readTextFile(path)))).flatMap((
    text,
  ) => csvLines(text).slice(1));
  assert.deepEqual(sorted(shardLines), sorted(wholeLines.slice(1)), "the same rejected rows");

  // The download: the header once, then every shard's rows in shard order.
  const download = csvLines(await get(spaces.sharded, "/anomalies/rejected.csv"));
  const wholeDownload = csvLines(await get(spaces.whole, "/anomalies/rejected.csv"));
  assert.equal(download[0], wholeLines[0]);
  assert.equal(download.length, wholeDownload.length);
  assert.deepEqual(sorted(download), sorted(wholeDownload));

  // Paging, a reason, a search, a filter and a sort across the files equal the one file's rows.
  const all: RejectedQuery = { filters: [], direction: "asc" };
  const queries: [string, RejectedQuery][] = [
    ["every row", all],
    ["one reason", { ...all, reason: "unknown_region" }],
    ["a search", { ...all, search: UNMAPPED_REGION.toLowerCase() }],
    ["a filter", { ...all, filters: [{ column: "region", value: UNMAPPED_REGION }] }],
    ["a sort", { ...all, sort: "quantity", direction: "desc" }],
  ];
  for (const [what, query] of queries) {
    const rows = await everyRejectedPage(paths, query);
    const wholeRows = await everyRejectedPage([wholePath], query);
    assert.ok(wholeRows.length > 0, what);
    assert.deepEqual(
      sorted(rows.map((row) => JSON.stringify(row))),
      sorted(wholeRows.map((row) => JSON.stringify(row))),
      what,
    );
    if (query.sort) {
      const column = wholeLines[0].split(",").indexOf(query.sort);
      assert.deepEqual(rows.map((row) => row[column]), wholeRows.map((row) => row[column]), what);
    }
  }
  const listed = await everyRejectedPage(paths, all);
  assert.deepEqual(
    listed.map((row) => row.join(",")),
    (await Promise.all(paths.map(async (path) => {
      const { page } = await readRejectedPage(path, { page: 1, pageSize: 250 });
      return page.rows.map((row) => row.join(","));
    }))).flat(),
    "listed in shard order",
  );

  // The review queue counts the shards' rejected values together.
  const review = await get(spaces.sharded, "/review");
  assert.ok(review.includes(UNMAPPED_REGION));
});

Deno.test("a set with a shard still missing says how many are done and sums the rest", async () => {
  const reports = join(spaces.sharded, "reports");
  const missing = join(reports, "sales_shard-2-of-4_clean_report.json");
  const kept = join(spaces.root, "shard-2-report.json");
  await Deno.rename(missing, kept);
  try {
    const overview = await loadOverview(workspaceOf(spaces.sharded));
    assert.ok(overview.report, overview.reportProblem?.problem);
    const present = spaces.shardReports.filter((_, index) => index !== 2);
    const sum = (pick: (report: CleanReport) => number) =>
      present.reduce((total, report) => total + pick(report), 0);
    assert.equal(overview.report.inputRows, sum((report) => report.input_rows));
    assert.equal(overview.report.rejectedRows, sum((report) => report.rejected_rows));
    assert.equal(overview.kpis.rejectedRows, overview.report.rejectedRows);
    assert.deepEqual(overview.report.shards?.missing, [2]);
    assert.equal(overview.report.rejectedCsvPaths.length, 3);
    // The aggregations (of all four shards) do not match three: no warning says they should.
    assert.deepEqual(overview.warnings, []);
    const page = await get(spaces.sharded, "/anomalies");
    assert.match(page, /3 of 4 shards done \(shard 2 still missing\)/);
    assert.match(await get(spaces.sharded, "/explorer/daily_sales"), /3 of 4 shards done/);
    const download = csvLines(await get(spaces.sharded, "/anomalies/rejected.csv"));
    assert.equal(download.length - 1, overview.report.rejectedRows);

    // A re-run is still refused: the shards are re-run by their scheduler.
    const response = await (await appOf(spaces.sharded)).request(`${ORIGIN}/rerun`, {
      method: "POST",
      headers: { origin: ORIGIN, accept: "application/json" },
    });
    assert.equal(response.status, 400);
    assert.match((await response.json()).error, /of a sharded run: re-run every shard/);
  } finally {
    await Deno.rename(kept, missing);
  }
});

Deno.test("a shard's rejected CSV from another run is reported, naming that shard's files", async () => {
  const path = spaces.shardReports[1].rejected!;
  const original = await Deno.readFile(path);
  await Deno.writeFile(path, new TextEncoder().encode("\n"), { append: true });
  try {
    const overview = await loadOverview(workspaceOf(spaces.sharded));
    assert.equal(overview.report, undefined);
    assert.match(
      overview.reportProblem!.problem,
      /sales_shard-1-of-4_rejected\.csv \(\d+ bytes\) is not the file the run of .*sales_shard-1-of-4_clean_report\.json wrote/,
    );
  } finally {
    await Deno.writeFile(path, original);
  }
});

Deno.test("partitioned shards are one run too, each shard checked against its own part files", async () => {
  const dataDir = join(spaces.root, "partitioned");
  const common = {
    input: join(spaces.root, "input", "sales.csv"),
    lookupsDir: spaces.lookupsDir,
    asOf: AS_OF,
    quiet: true,
    workers: 1,
    dataDir,
    partitionBy: "sale_month" as const,
  };
  for (let index = 0; index < 2; index++) {
    await cleanData({ ...common, shard: { index, count: 2 } });
  }
  const dataset = join(dataDir, "clean", "sales");
  await buildAggregations({ dataDir, cleaned: dataset, quiet: true });
  const overview = await loadOverview(workspaceOf(dataDir));
  assert.ok(overview.report, overview.reportProblem?.problem);
  assert.equal(overview.report.cleanParquetPath, dataset);
  assert.deepEqual(overview.kpis, (await loadOverview(workspaceOf(spaces.whole))).kpis);
  assert.deepEqual(overview.warnings, []);

  // Shard 0's part copied over shard 1's in one month: shard 1's report no longer describes it.
  const month = [...Deno.readDirSync(dataset)].find((entry) => entry.isDirectory)!.name;
  const part = (index: number) => join(dataset, month, `part-shard-${index}-of-2.parquet`);
  await Deno.copyFile(part(0), part(1));
  const mixed = await loadOverview(workspaceOf(dataDir));
  assert.match(
    mixed.reportProblem?.problem ?? "",
    /part-shard-1-of-2\.parquet \(run \w+\) is not from the run of .*sales_shard-1-of-2_clean_report/,
  );
});
