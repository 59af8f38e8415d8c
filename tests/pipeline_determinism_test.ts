/**
 * Two clean-data + build-aggregations runs on the same input write the same bytes. The only field
 * that differs by design is the run id (random, in each parquet footer and the clean report) and
 * the report's timings; everything else, including the parquet pages, statistics and
 * dictionaries, must not depend on which worker replies first.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { parquetMetadata } from "hyparquet";
import { footerValue, RUN_ID_KEY, SOURCE_RUN_ID_KEY } from "../src/io/publish.ts";
import { PROJECT_ROOT, runDpd } from "./_dpd.ts";

const AS_OF = "2026-11-28";
/** The report's fields that are measurements of the run, not results of it. */
const TIMINGS = ["duration_s", "rows_per_s", "peak_rss_bytes"];

async function filesBelow(directory: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(directory)) {
    const path = join(directory, entry.name);
    if (entry.isDirectory) found.push(...await filesBelow(path));
    else if (entry.isFile && !entry.name.startsWith(".")) found.push(path);
  }
  return found.sort();
}

/** `bytes` with every occurrence of `id` zeroed, after checking it stands there exactly once. */
function withoutRunId(bytes: Uint8Array, id: string, where: string): Uint8Array<ArrayBuffer> {
  assert.match(id, /^[0-9a-f]{16}$/, `${where}: run id ${id}`);
  const needle = new TextEncoder().encode(id);
  const at: number[] = [];
  for (
    let offset = bytes.indexOf(needle[0]);
    offset >= 0;
    offset = bytes.indexOf(needle[0], offset + 1)
  ) {
    if (needle.every((byte, index) => bytes[offset + index] === byte)) at.push(offset);
  }
  assert.equal(at.length, 1, `${where}: the run id ${id} stands ${at.length} times`);
  const normalised = bytes.slice();
  normalised.fill(0x30, at[0], at[0] + needle.length);
  return normalised;
}

/**
 * Every output of a run in `dataDir`, by path: parquet bytes with the footer's run ids zeroed,
 * CSV bytes as written, the report without its run id and timings.
 */
async function outputs(dataDir: string): Promise<Map<string, Uint8Array | unknown>> {
  const found = new Map<string, Uint8Array | unknown>();
  for (const path of await filesBelow(dataDir)) {
    const name = relative(dataDir, path);
    if (path.endsWith(".json")) {
      const report = JSON.parse(await Deno.readTextFile(path));
      assert.match(report.run_id, /^[0-9a-f]{16}$/);
      for (const key of ["run_id", ...TIMINGS]) delete report[key];
      found.set(name, report);
      continue;
    }
    let bytes = await Deno.readFile(path);
    if (path.endsWith(".parquet")) {
      const metadata = parquetMetadata(bytes.buffer);
      for (const key of [RUN_ID_KEY, SOURCE_RUN_ID_KEY]) {
        const id = footerValue(metadata, key);
        if (id !== undefined) bytes = withoutRunId(bytes, id, `${name} ${key}`);
      }
    }
    found.set(name, bytes);
  }
  return found;
}

Deno.test("two runs on the same 200k rows write the same bytes but for the run id, workers replying in any order", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-determinism-" });
  const input = join(directory, "sales.csv");
  const dataDir = join(directory, "data");
  const lookupsDir = join(PROJECT_ROOT, "lookups");
  const generated = await runDpd([
    "generate-data",
    "--rows",
    "200000",
    "--seed",
    "11",
    "--as-of",
    AS_OF,
    "--output",
    input,
    "--quiet",
  ]);
  assert.equal(generated.code, 0, generated.stderr);
  const run = async (fault?: string) => {
    const env: Record<string, string> = fault ? { DPD_TEST_WORKER_FAULT: fault } : {};
    const common = ["--data-dir", dataDir, "--lookups-dir", lookupsDir, "--workers", "2"];
    const cleaned = await runDpd(
      ["clean-data", "--input", input, "--as-of", AS_OF, "--quiet", ...common],
      { env },
    );
    assert.equal(cleaned.code, 0, cleaned.stderr);
    const aggregated = await runDpd(["build-aggregations", "--quiet", ...common]);
    assert.equal(aggregated.code, 0, aggregated.stderr);
    return await outputs(dataDir);
  };

  const first = await run();
  // The same workspace again (so the report's paths agree), block 0 held back: later blocks reply
  // first, and the clean pass must still write them in input order.
  const second = await run("clean:delay:0");
  assert.deepEqual([...second.keys()], [...first.keys()]);
  assert.equal(
    [...first.keys()].filter((name) => name.endsWith(".parquet")).length,
    9,
    "the clean parquet and eight tables",
  );
  for (const [name, value] of first) {
    const again = second.get(name);
    if (value instanceof Uint8Array && again instanceof Uint8Array) {
      assert.equal(again.length, value.length, `${name}: sizes differ`);
      assert.equal(
        again.findIndex((byte, at) => byte !== value[at]),
        -1,
        `${name}: first differing byte`,
      );
    } else assert.deepEqual(again, value, `${name} differs between two runs`);
  }
  await Deno.remove(directory, { recursive: true });
});
