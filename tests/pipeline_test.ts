import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { writeCsvParts } from "./_csv_parts.ts";
import { PROJECT_ROOT, runDpd } from "./_dpd.ts";

async function copyDirectory(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isFile) await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

/** The flags of a pipeline run in a test's own workspace, with a JSON summary. */
function workspaceArgs(dataDir: string, lookupsDir: string): string[] {
  return ["--as-of", "2026-11-28", "--data-dir", dataDir, "--lookups-dir", lookupsDir, "--json"];
}

Deno.test("pipeline runs every stage end to end and its summary reconciles", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-pipeline-" });
  const dataDir = join(directory, "data");
  const lookupsDir = join(directory, "lookups");
  await copyDirectory(join(PROJECT_ROOT, "lookups"), lookupsDir);
  // --rows 30k also guards against a parser taking commander's default (100k) as a minimum.
  const pipeline = () =>
    runDpd(["pipeline", "--rows", "30k", ...workspaceArgs(dataDir, lookupsDir)]);

  const first = await pipeline();
  assert.equal(first.code, 0, first.stderr);
  const summary = JSON.parse(first.stdout);
  assert.equal(summary.command, "pipeline");
  assert.deepEqual(
    summary.stages.map((stage: { stage: string }) => stage.stage),
    ["generate-data", "update-lookups", "clean-data", "build-aggregations"],
  );
  assert.equal(summary.input, join(dataDir, "input", "dirty_30k.csv"));
  const clean = summary.clean;
  assert.equal(clean.input_rows, 30_000);
  assert.equal(clean.clean_rows + clean.rejected_rows, clean.input_rows);
  const parquet = (await Deno.readFile(clean.output)).buffer;
  assert.equal(Number(parquetMetadata(parquet).num_rows), clean.clean_rows);
  assert.equal(summary.stages[3].rows, clean.clean_rows);
  const tables = [];
  for await (const entry of Deno.readDir(join(dataDir, "aggregations"))) tables.push(entry.name);
  assert.equal(tables.filter((name) => name.endsWith(".parquet")).length, 8);

  // A second run finds the input and does not regenerate it.
  const second = await pipeline();
  assert.equal(second.code, 0, second.stderr);
  const again = JSON.parse(second.stdout);
  assert.equal(again.stages[0].skipped, "input exists");
  assert.deepEqual(again.clean.reasons, clean.reasons);
});

Deno.test("pipeline reads a user's export the way the dpd.json beside it says", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-pipeline-export-" });
  const fixture = join(PROJECT_ROOT, "tests", "fixtures", "retail_export");
  await copyDirectory(fixture, directory);
  await copyDirectory(join(PROJECT_ROOT, "lookups"), join(directory, "lookups"));
  const result = await runDpd([
    "pipeline",
    "--input",
    "retail_export.csv",
    "--as-of",
    "2026-11-28",
    "--json",
  ], { cwd: directory });
  assert.equal(result.code, 0, result.stderr);
  const clean = JSON.parse(result.stdout).clean;
  assert.equal(clean.input_rows, 15);
  assert.equal(clean.columns.sale_date, "Order Date");
  assert.deepEqual(clean.dedup_key, ["Order ID", "Product ID"]);
  assert.equal(clean.reasons.duplicate_order_id, 2);
  assert.equal(clean.extra_columns.length, 8);
});

/** Every aggregation table's rows, by file name. */
async function aggregationRows(dataDir: string): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for await (const entry of Deno.readDir(join(dataDir, "aggregations"))) {
    if (!entry.name.endsWith(".parquet")) continue;
    const file = (await Deno.readFile(join(dataDir, "aggregations", entry.name))).buffer;
    tables[entry.name] = await parquetReadObjects({ file });
  }
  return tables;
}

Deno.test("pipeline over a directory of exports equals the pipeline over their concatenation", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-pipeline-dir-" });
  try {
    const text = await Deno.readTextFile(
      join(PROJECT_ROOT, "tests", "fixtures", "dirty_1k_uuid.csv"),
    );
    const [header, ...records] = text.trimEnd().split("\n");
    const exports = join(directory, "exports");
    const parts = {
      "a.csv.gz": records.slice(0, 300),
      "b.csv": records.slice(300, 650),
      "c.csv": records.slice(650),
    };
    await writeCsvParts(exports, header, parts);
    const whole = join(directory, "whole.csv");
    await Deno.writeTextFile(whole, text);
    const run = async (input: string, name: string) => {
      const dataDir = join(directory, `${name}_data`);
      const lookupsDir = join(directory, `${name}_lookups`);
      await copyDirectory(join(PROJECT_ROOT, "lookups"), lookupsDir);
      const result = await runDpd([
        "pipeline",
        "--input",
        input,
        ...workspaceArgs(dataDir, lookupsDir),
      ]);
      assert.equal(result.code, 0, result.stderr);
      const lookups: Record<string, string> = {};
      for await (const entry of Deno.readDir(lookupsDir)) {
        lookups[entry.name] = await Deno.readTextFile(join(lookupsDir, entry.name));
      }
      return { summary: JSON.parse(result.stdout), dataDir, lookups };
    };
    const one = await run(whole, "whole");
    const many = await run(exports, "exports");
    assert.equal(many.summary.stages[0].skipped, "input exists");
    assert.equal(many.summary.stages[1].rows, one.summary.stages[1].rows);
    assert.deepEqual(many.lookups, one.lookups);
    const clean = many.summary.clean;
    assert.equal(clean.name, "exports");
    assert.equal(clean.output, join(many.dataDir, "clean", "exports_clean.parquet"));
    assert.deepEqual(
      clean.inputs.map(({ file, rows }: { file: string; rows: number }) => [file, rows]),
      Object.entries(parts).map(([name, part]) => [join(exports, name), part.length]),
    );
    for (const key of ["input_rows", "clean_rows", "rejected_rows", "reasons", "anomalies"]) {
      assert.deepEqual(clean[key], one.summary.clean[key], key);
    }
    const tables = await aggregationRows(many.dataDir);
    assert.equal(Object.keys(tables).length, 8);
    assert.deepEqual(tables, await aggregationRows(one.dataDir));
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("pipeline refuses an --input that is no CSV or directory, and several without --name", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-pipeline-inputs-" });
  try {
    const lookupsDir = join(directory, "lookups");
    await copyDirectory(join(PROJECT_ROOT, "lookups"), lookupsDir);
    const before = await Deno.readTextFile(join(lookupsDir, "region_map.json"));
    const notes = join(directory, "notes.txt");
    await Deno.writeTextFile(notes, "not sales\n");
    const workspace = workspaceArgs(join(directory, "data"), lookupsDir);
    const text = await runDpd(["pipeline", "--input", notes, ...workspace]);
    assert.equal(text.code, 1);
    assert.match(text.stderr, /--input must name a \.csv or \.csv\.gz file or a directory of them/);

    const [a, b] = await writeCsvParts(join(directory, "exports"), "order_id", {
      "a.csv": [],
      "b.csv": [],
    });
    const unnamed = await runDpd(["pipeline", "--input", a, "--input", b, ...workspace]);
    assert.equal(unnamed.code, 1);
    assert.match(unnamed.stderr, /2 --input values given: name the run's outputs with --name NAME/);
    // Refused before any stage: the lookups are as they were.
    assert.equal(await Deno.readTextFile(join(lookupsDir, "region_map.json")), before);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});
