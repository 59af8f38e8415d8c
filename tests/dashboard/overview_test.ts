/**
 * The header's freshness on a real workspace: only the tables build-aggregations writes say when
 * it ran, so a parquet a person copies into the aggregations directory changes neither the
 * "aggregated" time nor the staleness warning.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import { loadOverview } from "../../dashboard/lib/overview.ts";
import { resolveDownload, resolveWorkspace } from "../../dashboard/lib/workspace.ts";
import { AS_OF, buildFixtureWorkspace } from "./_fixture_workspace.ts";

Deno.test("a parquet dropped into aggregations neither warns nor claims a fresh build", async () => {
  const workspace = await buildFixtureWorkspace(300);
  try {
    const dir = join(workspace.dataDir, "aggregations");
    const where = resolveWorkspace(workspace);
    const before = await loadOverview(where);
    const aggregated = before.freshness.find((item) => item.label === "Aggregations")!;
    assert.deepEqual(before.warnings, []);
    // An old export copied with its time kept, and one written just now (a minute after the build).
    const daily = await Deno.readFile(join(dir, "daily_sales.parquet"));
    await Deno.writeFile(join(dir, "old export.parquet"), daily);
    await Deno.utime(join(dir, "old export.parquet"), new Date(2001, 0, 1), new Date(2001, 0, 1));
    await Deno.writeFile(join(dir, "new export.parquet"), daily);
    const later = new Date(aggregated.modifiedMs! + 60_000);
    await Deno.utime(join(dir, "new export.parquet"), later, later);

    const after = await loadOverview(where);
    assert.deepEqual(after.warnings, []);
    const item = after.freshness.find((entry) => entry.label === "Aggregations")!;
    assert.equal(item.modifiedMs, aggregated.modifiedMs);
    assert.equal(item.detail, "8 built tables, 2 other files");
    assert.equal(after.aggregations.length, 10, "the dropped files are still listed");
  } finally {
    await Deno.remove(workspace.root, { recursive: true });
  }
});

Deno.test("after clean-data --output the download links name the files the run wrote", async () => {
  const workspace = await buildFixtureWorkspace(200);
  try {
    const output = join(workspace.dataDir, "clean", "x.parquet");
    await cleanData({
      input: workspace.input,
      output,
      dataDir: workspace.dataDir,
      lookupsDir: workspace.lookupsDir,
      asOf: AS_OF,
      quiet: true,
      workers: 1,
    });
    const where = resolveWorkspace(workspace);
    const { freshness } = await loadOverview(where);
    const hrefs = Object.fromEntries(freshness.map((item) => [item.label, item.href]));
    assert.deepEqual(
      [hrefs["Clean data"], hrefs["Rejected rows"], hrefs["Clean report"]],
      [
        "/files/clean/x.parquet",
        "/files/rejected/dirty_fixture_rejected.csv",
        "/files/reports/dirty_fixture_clean_report.json",
      ],
    );
    // Each link downloads the file the report names.
    const clean = await resolveDownload(where, "clean", "x.parquet");
    assert.equal(clean?.path, await Deno.realPath(output));
  } finally {
    await Deno.remove(workspace.root, { recursive: true });
  }
});
