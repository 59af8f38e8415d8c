/**
 * The dashboard over a partitioned dataset cleaned from several input files (`clean-data --input
 * <dir> --partition-by sale_month`): the anomaly rows equal those of the same rows cleaned into
 * one file, the pages and KPIs read the dataset, the clean data row says it is read in place, and
 * a re-run cleans the same files into the same dataset. Requests go to the app's own handler.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildAggregations } from "../../src/aggregations/build_aggregations.ts";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import { listDatasetFiles } from "../../src/io/parquet_dataset.ts";
import { everyAnomalyPage } from "./_anomaly_pages.ts";
import { fileSignature, pathSignature } from "../../dashboard/lib/file_cache.ts";
import { loadOverview } from "../../dashboard/lib/overview.ts";
import { resolveWorkspace } from "../../dashboard/lib/workspace.ts";
import { createApp } from "../../dashboard/server.ts";
import { writeCsvParts } from "../_csv_parts.ts";
import { AS_OF, dirtyCsv, writeLookups } from "./_fixture_workspace.ts";

const ROWS = 1_200;
const ORIGIN = "http://localhost";

/**
 * The same rows twice: `split/` holds them as three files (one gzipped) cleaned as one run into a
 * dataset partitioned by month, `whole/` as one file cleaned into one parquet; each aggregated.
 */
async function buildWorkspaces() {
  const root = await Deno.makeTempDir({ prefix: "dpd-dashboard-dataset-" });
  const lookupsDir = join(root, "lookups");
  await writeLookups(lookupsDir);
  const [header, ...records] = dirtyCsv(ROWS).trimEnd().split("\n");
  const split = join(root, "split");
  const exports = join(split, "input", "exports");
  const files = await writeCsvParts(exports, header, {
    "a.csv.gz": records.slice(0, 400),
    "b.csv": records.slice(400, 900),
    "c.csv": records.slice(900),
  });
  const whole = join(root, "whole");
  const wholeInput = join(whole, "input", "whole.csv");
  await Deno.mkdir(join(whole, "input"), { recursive: true });
  await Deno.writeTextFile(wholeInput, [header, ...records].join("\n") + "\n");
  const common = { lookupsDir, asOf: AS_OF, quiet: true, workers: 1 };
  const splitRun = await cleanData({
    ...common,
    input: exports,
    dataDir: split,
    partitionBy: "sale_month",
  });
  await buildAggregations({ dataDir: split, cleaned: splitRun.report.output!, quiet: true });
  const wholeRun = await cleanData({ ...common, input: wholeInput, dataDir: whole });
  await buildAggregations({ dataDir: whole, cleaned: wholeRun.report.output!, quiet: true });
  return {
    root,
    lookupsDir,
    files,
    split,
    whole,
    dataset: splitRun.report.output!,
    wholeParquet: wholeRun.report.output!,
    report: splitRun.report,
  };
}

type Workspaces = Awaited<ReturnType<typeof buildWorkspaces>>;

async function withWorkspaces(body: (spaces: Workspaces) => Promise<void>): Promise<void> {
  const spaces = await buildWorkspaces();
  try {
    await body(spaces);
  } finally {
    await Deno.remove(spaces.root, { recursive: true });
  }
}

Deno.test("the dashboard reads a partitioned dataset of several inputs like the one-file run", async () => {
  await withWorkspaces(async (spaces) => {
    assert.ok((await listDatasetFiles(spaces.dataset)).length > 3, "partitioned by month");
    assert.deepEqual(spaces.report.inputs.map((input) => input.file), spaces.files);

    // Anomalies: the same flagged rows (the dataset holds them month by month, so by order ID).
    const byId = { sort: "order_id", direction: "asc" } as const;
    const flagged = await everyAnomalyPage(spaces.dataset, byId);
    assert.ok(flagged.length > 10);
    assert.deepEqual(flagged, await everyAnomalyPage(spaces.wholeParquet, byId));
    const heavy = { ...byId, minDiscountPercent: 90 };
    assert.deepEqual(
      await everyAnomalyPage(spaces.dataset, heavy),
      await everyAnomalyPage(spaces.wholeParquet, heavy),
    );

    // Overview: the same KPIs; the inputs are the three files; the dataset has no download link.
    const overview = await loadOverview(
      resolveWorkspace({ dataDir: spaces.split, lookupsDir: spaces.lookupsDir }),
    );
    const reference = await loadOverview(
      resolveWorkspace({ dataDir: spaces.whole, lookupsDir: spaces.lookupsDir }),
    );
    assert.deepEqual(overview.kpis, reference.kpis);
    assert.deepEqual(overview.warnings, []);
    const input = overview.freshness.find((item) => item.label === "Input CSVs");
    assert.equal(input?.detail, "3 files");
    const times = await Promise.all(
      spaces.files.map(async (file) => (await Deno.stat(file)).mtime),
    );
    assert.equal(input?.modifiedMs, Math.max(...times.map((time) => time!.getTime())));
    const clean = overview.freshness.find((item) => item.label === "Clean data")!;
    assert.equal(clean.href, undefined);
    assert.match(clean.detail!, /a dataset of \d+ parquet files \(read it in place/);
    assert.ok(clean.modifiedMs);

    // The pages over the app's handler.
    const { app } = await createApp({
      dataDir: spaces.split,
      lookupsDir: spaces.lookupsDir,
      rebuildBundle: false,
    });
    const anomalies = await app.request(`${ORIGIN}/anomalies`);
    assert.equal(anomalies.status, 200);
    const page = await anomalies.text();
    assert.doesNotMatch(page, /cannot be read|does not exist/);
    assert.ok(page.includes(String(flagged[0].order_id)), "the first flagged row is listed");
    assert.ok(page.includes("read it in place"));
    const rejected = await app.request(`${ORIGIN}/files/rejected/exports_rejected.csv`);
    assert.equal(rejected.status, 200);
    assert.match(await rejected.text(), /source_file/);
    const directory = await app.request(`${ORIGIN}/files/clean/exports`);
    await directory.body?.cancel();
    assert.equal(directory.status, 404);
  });
});

Deno.test("a re-run from the dashboard cleans the same input files into the same dataset", async () => {
  await withWorkspaces(async (spaces) => {
    const { app, context } = await createApp({
      dataDir: spaces.split,
      lookupsDir: spaces.lookupsDir,
      rebuildBundle: false,
    });
    // A map for the region awaiting review, so the re-run changes what it accepts.
    const mapPath = join(spaces.lookupsDir, "region_map.json");
    const map = JSON.parse(await Deno.readTextFile(mapPath));
    await Deno.writeTextFile(mapPath, JSON.stringify({ ...map, "nrth amrca": "North America" }));
    const started = await app.request(`${ORIGIN}/rerun`, {
      method: "POST",
      headers: { origin: ORIGIN, accept: "application/json" },
    });
    assert.equal(started.status, 202, await started.clone().text());
    await started.body?.cancel();
    await context.rerun.settled();
    const done = context.rerun.snapshot;
    assert.equal(done.status, "done", done.error);
    const after = JSON.parse(
      await Deno.readTextFile(join(spaces.split, "reports", "exports_clean_report.json")),
    );
    assert.notEqual(after.run_id, spaces.report.run_id);
    assert.deepEqual(after.inputs, spaces.report.inputs);
    assert.equal(after.output, spaces.report.output);
    assert.equal(after.input_rows, ROWS);
    assert.ok(after.reasons.unknown_region < spaces.report.reasons.unknown_region);
    assert.ok((await listDatasetFiles(spaces.dataset)).length > 3, "still partitioned");
    const overview = await loadOverview(context.workspace);
    assert.deepEqual(overview.warnings, []);
    assert.equal(overview.kpis.orders, after.clean_rows);
  });
});

Deno.test("a directory holding one input file: its time is the file's, not the directory's", async () => {
  const root = await Deno.makeTempDir({ prefix: "dpd-dashboard-one-file-dir-" });
  try {
    const lookupsDir = join(root, "lookups");
    await writeLookups(lookupsDir);
    const [input] = await writeCsvParts(join(root, "input", "exports"), ...headerAndRows(100));
    await cleanData({
      input: join(root, "input", "exports"),
      dataDir: root,
      lookupsDir,
      asOf: AS_OF,
      quiet: true,
      workers: 1,
    });
    const overview = await loadOverview(resolveWorkspace({ dataDir: root, lookupsDir }));
    const item = overview.freshness.find((entry) => entry.label === "Input CSV");
    assert.equal(item?.modifiedMs, (await Deno.stat(input)).mtime!.getTime());
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

/** The fixture's header and `rows` records as the one part `sales.csv`. */
function headerAndRows(rows: number): [string, Record<string, string[]>] {
  const [header, ...records] = dirtyCsv(rows).trimEnd().split("\n");
  return [header, { "sales.csv": records }];
}

Deno.test("the dashboard refuses to re-run one shard of a sharded run, saying how", async () => {
  const root = await Deno.makeTempDir({ prefix: "dpd-dashboard-shard-" });
  try {
    const lookupsDir = join(root, "lookups");
    await writeLookups(lookupsDir);
    const input = join(root, "input", "sales.csv");
    await Deno.mkdir(join(root, "input"));
    await Deno.writeTextFile(input, dirtyCsv(200));
    await cleanData({
      input,
      dataDir: root,
      lookupsDir,
      asOf: AS_OF,
      quiet: true,
      workers: 1,
      shard: { index: 1, count: 2 },
    });
    const { app } = await createApp({ dataDir: root, lookupsDir, rebuildBundle: false });
    const response = await app.request(`${ORIGIN}/rerun`, {
      method: "POST",
      headers: { origin: ORIGIN, accept: "application/json" },
    });
    assert.equal(response.status, 400);
    assert.match((await response.json()).error, /shard 1\/2 of a sharded run: re-run every shard/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a dataset directory's version changes when a file inside a partition is replaced", async () => {
  const root = await Deno.makeTempDir({ prefix: "dpd-dataset-signature-" });
  try {
    const partition = join(root, "sale_month=2026-01");
    await Deno.mkdir(partition);
    const part = join(partition, "part-00000.parquet");
    await Deno.writeTextFile(part, "one");
    const before = await pathSignature(root, await Deno.stat(root));
    const rootBefore = fileSignature(await Deno.stat(root));
    // As a publish does: a new file renamed over the old one, the top directory untouched.
    await Deno.writeTextFile(join(partition, ".tmp"), "other");
    await Deno.rename(join(partition, ".tmp"), part);
    assert.equal(fileSignature(await Deno.stat(root)), rootBefore);
    assert.notEqual(await pathSignature(root, await Deno.stat(root)), before);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
