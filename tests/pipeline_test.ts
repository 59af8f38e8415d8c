import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetMetadata } from "hyparquet";

const MAIN = join(import.meta.dirname!, "..", "main.ts");
const SHIPPED_LOOKUPS = join(import.meta.dirname!, "..", "lookups");

async function copyDirectory(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isFile) await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

Deno.test("pipeline runs every stage end to end and its summary reconciles", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-pipeline-" });
  const dataDir = join(directory, "data");
  const lookupsDir = join(directory, "lookups");
  await copyDirectory(SHIPPED_LOOKUPS, lookupsDir);
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      MAIN,
      "pipeline",
      "--rows",
      "30k",
      "--as-of",
      "2026-11-28",
      "--data-dir",
      dataDir,
      "--lookups-dir",
      lookupsDir,
      "--json",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  const summary = JSON.parse(new TextDecoder().decode(output.stdout));
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
  const again = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      MAIN,
      "pipeline",
      "--rows",
      "30k",
      "--as-of",
      "2026-11-28",
      "--data-dir",
      dataDir,
      "--lookups-dir",
      lookupsDir,
      "--json",
    ],
    stdout: "piped",
    stderr: "null",
  }).output();
  const second = JSON.parse(new TextDecoder().decode(again.stdout));
  assert.equal(second.stages[0].skipped, "input exists");
  assert.deepEqual(second.clean.reasons, clean.reasons);
});
