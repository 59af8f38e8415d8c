/**
 * The worker pools' paths that real runs reach only on a bug or by chance, forced with the
 * `DPD_TEST_WORKER_FAULT` hook (src/io/worker_fault.ts): a worker that throws or dies mid-run in
 * clean-data, generate-data and build-aggregations (a clear error, exit 2, no output left behind,
 * not even a temporary file), and replies that arrive out of order (the same bytes as in order).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import { generateData } from "../../src/generation/generate_data.ts";
import { makeCleanWorkspace } from "../aggregations/_clean_fixture.ts";
import { PROJECT_ROOT, runDpd } from "../_dpd.ts";

const GOLDEN = join(PROJECT_ROOT, "tests", "fixtures", "golden");
const GOLDEN_CSV = join(GOLDEN, "sales.csv");
const GOLDEN_LOOKUPS = join(GOLDEN, "lookups");
const AS_OF = "2026-11-28";
const FAULT = "DPD_TEST_WORKER_FAULT";

/** Every file under `directory`, relative, temporary ones included; none when it is missing. */
async function filesUnder(directory: string): Promise<string[]> {
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(directory)) {
      if (!entry.isDirectory) found.push(entry.name);
      else {found.push(...(await filesUnder(join(directory, entry.name))).map((name) =>
          `${entry.name}/${name}`
        ));}
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found.sort();
}

/** Runs `body` with the fault hook set in this process (its workers read it), then unsets it. */
async function withFault<T>(fault: string | undefined, body: () => Promise<T>): Promise<T> {
  if (fault) Deno.env.set(FAULT, fault);
  try {
    return await body();
  } finally {
    Deno.env.delete(FAULT);
  }
}

/**
 * What dpd itself printed on stderr: its two-line internal error. A thrown error is caught in the
 * worker (src/io/pool_worker.ts), so stderr is exactly those lines; a worker's uncaught error
 * (`crash`) is first reported by Deno with a stack, whatever the main thread does with it, so
 * there only the last two lines are dpd's.
 */
function dpdLines(stderr: string, action: string): string {
  if (action === "throw") return stderr.trimEnd();
  return stderr.trimEnd().split("\n").slice(-2).join("\n");
}

const ACTIONS = ["throw", "crash"] as const;

Deno.test("generate-data: a worker failing mid-run is an internal error and leaves no file", async (t) => {
  for (const action of ACTIONS) {
    await t.step(action, async () => {
      const directory = await Deno.makeTempDir({ prefix: "dpd-fault-generate-" });
      // Three blocks: block 1 fails after block 0 was written to the temporary file.
      const run = await runDpd(
        [
          "generate-data",
          "--rows",
          "70000",
          "--workers",
          "2",
          "--quiet",
          "--as-of",
          AS_OF,
          "--output",
          join(directory, "out", "dirty.csv"),
        ],
        { env: { [FAULT]: `generate:${action}:1` } },
      );
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        dpdLines(run.stderr, action),
        new RegExp(
          `^internal error: generation worker failed: .*injected ${action} in generate worker task 1\n  This is a bug in dpd[^\\n]*$`,
        ),
      );
      assert.deepEqual(await filesUnder(directory), []);
      await Deno.remove(directory, { recursive: true });
    });
  }
});

Deno.test("clean-data: a worker failing is an internal error (exit 2) and leaves no file", async (t) => {
  for (const action of ACTIONS) {
    await t.step(action, async () => {
      const directory = await Deno.makeTempDir({ prefix: "dpd-fault-clean-cli-" });
      const run = await runDpd(
        [
          "clean-data",
          "--input",
          GOLDEN_CSV,
          "--data-dir",
          join(directory, "data"),
          "--lookups-dir",
          GOLDEN_LOOKUPS,
          "--as-of",
          AS_OF,
          "--quiet",
        ],
        { env: { [FAULT]: `clean:${action}:0` } },
      );
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        dpdLines(run.stderr, action),
        new RegExp(
          `^internal error: .*injected ${action} in clean worker task 0\n  This is a bug in dpd[^\\n]*$`,
        ),
      );
      assert.deepEqual(await filesUnder(directory), []);
      await Deno.remove(directory, { recursive: true });
    });
  }
});

Deno.test("clean-data: a worker failing mid-run, after blocks were written, removes the temporary files", async (t) => {
  for (const action of ACTIONS) {
    await t.step(action, async () => {
      const directory = await Deno.makeTempDir({ prefix: "dpd-fault-clean-" });
      await withFault(`clean:${action}:5`, async () => {
        await assert.rejects(
          () =>
            cleanData({
              input: GOLDEN_CSV,
              dataDir: join(directory, "data"),
              lookupsDir: GOLDEN_LOOKUPS,
              asOf: AS_OF,
              quiet: true,
              workers: 2,
              blockBytes: 4096,
            }),
          new RegExp(`injected ${action} in clean worker task 5`),
        );
      });
      assert.deepEqual(await filesUnder(directory), []);
      await Deno.remove(directory, { recursive: true });
    });
  }
});

Deno.test("build-aggregations: a scan worker failing is an internal error and writes no table", async (t) => {
  for (const action of ACTIONS) {
    await t.step(action, async () => {
      // Several row groups, so that with two threads a scan worker starts.
      const space = await makeCleanWorkspace({ rows: 3_000, rowGroupSize: 500 });
      const before = await filesUnder(space.dataDir);
      const run = await runDpd(
        ["build-aggregations", "--data-dir", space.dataDir, "--workers", "2", "--quiet"],
        { env: { [FAULT]: `scan:${action}:0` } },
      );
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        dpdLines(run.stderr, action),
        new RegExp(
          `^internal error: .*injected ${action} in scan worker task 0\n  This is a bug in dpd[^\\n]*$`,
        ),
      );
      assert.deepEqual(await filesUnder(space.dataDir), before, "no table, no temporary file");
      await Deno.remove(space.dataDir, { recursive: true });
    });
  }
});

Deno.test("clean-data: replies arriving out of order give the same outputs", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-reorder-clean-" });
  const outputs = async (name: string, fault?: string) => {
    const { report } = await withFault(fault, () =>
      cleanData({
        input: GOLDEN_CSV,
        dataDir: join(directory, name),
        lookupsDir: GOLDEN_LOOKUPS,
        asOf: AS_OF,
        quiet: true,
        workers: 2,
        blockBytes: 4096,
      }));
    return {
      rows: [report.input_rows, report.clean_rows, report.reasons, report.anomalies],
      // Values, not bytes: two runs of the same input have been seen to differ by a few bytes in
      // one compressed page (same values), whichever order the replies came in.
      parquet: await parquetReadObjects({ file: (await Deno.readFile(report.output!)).buffer }),
      rejected: await Deno.readTextFile(report.rejected!),
    };
  };
  const inOrder = await outputs("in_order");
  // Block 0 is held back in both its scan and its finish: blocks 1, 2… reply first.
  const reordered = await outputs("reordered", "clean:delay:0");
  assert.deepEqual(reordered, inOrder);
  await Deno.remove(directory, { recursive: true });
});

Deno.test("generate-data: blocks arriving out of order give the same bytes", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-reorder-generate-" });
  const generate = async (name: string, fault?: string) => {
    const result = await withFault(fault, () =>
      generateData({
        rows: 70_000,
        clean: false,
        seed: 3,
        asOf: AS_OF,
        output: join(directory, name),
        workers: 2,
      }));
    return await Deno.readFile(result.output);
  };
  const inOrder = await generate("in_order.csv");
  const reordered = await generate("reordered.csv", "generate:delay:0");
  assert.ok(reordered.length > 0);
  assert.deepEqual(reordered, inOrder);
  await Deno.remove(directory, { recursive: true });
});
