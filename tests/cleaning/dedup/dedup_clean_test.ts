/**
 * Rule 2 end to end through clean-data, for every way the dedup set can run: in memory, the key
 * census chosen from the first rows, and the census entered by restarting when the in-memory set
 * passes its budget. Tiny budgets and blocks make small inputs take the disk paths.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { cleanData, type CleanDataOptions } from "../../../src/cleaning/clean_data.ts";
import { generateData } from "../../../src/generation/generate_data.ts";
import { countDuplicateOrderIds } from "../_rule2_reference.ts";

const AS_OF = "2026-11-28";
const HEADER =
  "order_id,product_name,category,quantity,unit_price,discount_percent,region,sale_date,customer_email,revenue";
const LOOKUPS = join(import.meta.dirname!, "..", "..", "..", "lookups");

interface Space {
  directory: string;
  spillDir: string;
}

async function space(): Promise<Space> {
  const directory = await Deno.makeTempDir({ prefix: "dpd-dedup-clean-" });
  const spillDir = join(directory, "spill");
  await Deno.mkdir(spillDir);
  return { directory, spillDir };
}

async function clean(
  where: Space,
  input: string,
  name: string,
  options: Partial<CleanDataOptions> = {},
) {
  const { report } = await cleanData({
    input,
    dataDir: join(where.directory, name),
    lookupsDir: LOOKUPS,
    asOf: AS_OF,
    quiet: true,
    workers: 2,
    spillDir: where.spillDir,
    ...options,
  });
  const rows = await parquetReadObjects({ file: (await Deno.readFile(report.output!)).buffer });
  const rejected = (await Deno.readTextFile(report.rejected!)).trimEnd().split("\n");
  return { report, rows, rejected };
}

async function spillLeftovers(where: Space): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(where.spillDir))).map((entry) => entry.name);
}

/** Everything but timings and paths: what two equivalent runs must share. */
function outcome(report: Awaited<ReturnType<typeof clean>>["report"]) {
  const { input_rows, clean_rows, rejected_rows, reasons, anomalies } = report;
  return { input_rows, clean_rows, rejected_rows, reasons, anomalies };
}

Deno.test("a file and its UUID-ID twin: the same counts by reason, the same rows but IDs", async () => {
  const where = await space();
  const generate = (name: string, idShape: "ord" | "uuid") =>
    generateData({
      rows: 20_000,
      clean: false,
      seed: 7,
      asOf: AS_OF,
      output: join(where.directory, name),
      workers: 2,
      idShape,
    });
  const ord = await generate("ord.csv", "ord");
  const uuid = await generate("uuid.csv", "uuid");
  // Blocks of 256 KiB: the UUID file is not one block, so its first rows choose the census.
  const blockBytes = 256 << 10;
  const ordRun = await clean(where, ord.output, "ord", { blockBytes });
  const uuidRun = await clean(where, uuid.output, "uuid", { blockBytes });
  assert.deepEqual(outcome(uuidRun.report), outcome(ordRun.report));
  assert.equal(
    ordRun.report.reasons.duplicate_order_id,
    countDuplicateOrderIds(await Deno.readTextFile(ord.output)),
  );

  const withoutId = (row: Record<string, unknown>) => ({ ...row, order_id: undefined });
  assert.equal(uuidRun.rows.length, ordRun.rows.length);
  uuidRun.rows.forEach((row, index) => {
    assert.deepEqual(withoutId(row), withoutId(ordRun.rows[index]), `clean row ${index}`);
    assert.match(String(row.order_id), /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
  });
  const withoutFirstField = (line: string) => line.slice(line.indexOf(","));
  assert.deepEqual(
    uuidRun.rejected.map(withoutFirstField),
    ordRun.rejected.map(withoutFirstField),
  );
  assert.deepEqual(await spillLeftovers(where), [], "spill files removed after success");
  await Deno.remove(where.directory, { recursive: true });
});

/** Rows with free-text keys, repeats, blank keys, and claims that later rules reject. */
function oddKeyCsv(rows: number): { csv: string; duplicates: number } {
  const lines = [HEADER];
  const seen = new Set<string>();
  let duplicates = 0;
  for (let index = 0; index < rows; index++) {
    const pick = (index * 7919) % Math.max(1, Math.floor(rows * 0.9));
    const key = index % 50 === 0 ? "  " : `customer ${pick % 97} order «${pick}»`;
    const product = index % 61 === 0 ? "" : "Desk Lamp";
    // Every 7th row has a bad quantity: it is rejected, yet still claims its key.
    const quantity = index % 7 === 0 ? "two" : "2";
    lines.push(
      `"${key}",${product},Electronics,${quantity},10.00,0,Europe,2026-01-0${1 + index % 9},,20.00`,
    );
    const trimmed = key.trim();
    if (trimmed === "" || product === "") continue;
    if (seen.has(trimmed)) duplicates++;
    seen.add(trimmed);
  }
  return { csv: lines.join("\n") + "\n", duplicates };
}

Deno.test("odd keys: in memory, census up front and census after a restart agree, exactly", async () => {
  const where = await space();
  const { csv, duplicates } = oddKeyCsv(15_000);
  const input = join(where.directory, "odd.csv");
  await Deno.writeTextFile(input, csv);
  const inMemory = await clean(where, input, "memory");
  // One block holds the file, so memory is tried first; a 1-byte budget makes it restart.
  const restarted = await clean(where, input, "restart", { dedupBudgetBytes: 1 });
  // Small blocks: the first rows' keys choose the census at once; a tiny budget splits partitions.
  const upFront = await clean(where, input, "census", {
    blockBytes: 64 << 10,
    dedupBudgetBytes: 1,
  });
  assert.equal(inMemory.report.reasons.duplicate_order_id, duplicates);
  assert.ok(duplicates > 500);
  for (const run of [restarted, upFront]) {
    assert.deepEqual(outcome(run.report), outcome(inMemory.report));
    assert.deepEqual(run.rows, inMemory.rows);
    assert.deepEqual(run.rejected, inMemory.rejected);
  }
  assert.deepEqual(await spillLeftovers(where), []);
  await Deno.remove(where.directory, { recursive: true });
});

Deno.test("spill files are removed when the run fails, during the census or after it", async () => {
  const where = await space();
  const { csv } = oddKeyCsv(5_000);
  const unclosed = join(where.directory, "unclosed.csv");
  await Deno.writeTextFile(
    unclosed,
    csv + `x,"never closed,Electronics,2,1,0,Europe,2026-01-01,,2\n` +
      `key 1,Lamp,Electronics,2,1,0,Europe,2026-01-01,,2\n`.repeat(1000),
  );
  await assert.rejects(
    // A tiny budget shrinks the spill buffers, so the files exist before the failure.
    clean(where, unclosed, "unclosed", {
      blockBytes: 16 << 10,
      maxRecordBytes: 8 << 10,
      dedupBudgetBytes: 1,
    }),
    /unclosed\.csv:5002: a record longer than 8192 bytes/,
  );
  assert.deepEqual(await spillLeftovers(where), [], "after a failure in the census");

  const input = join(where.directory, "odd.csv");
  await Deno.writeTextFile(input, csv);
  const blocked = join(where.directory, "blocked");
  await Deno.writeTextFile(blocked, "a file where the output directory should be");
  await assert.rejects(
    clean(where, input, "blocked", {
      blockBytes: 16 << 10,
      output: join(blocked, "out.parquet"),
    }),
  );
  assert.deepEqual(await spillLeftovers(where), [], "after a failure in the clean pass");
  await Deno.remove(where.directory, { recursive: true });
});

Deno.test("generator IDs stay in memory: no spill directory is ever made", async () => {
  const where = await space();
  const ord = await generateData({
    rows: 20_000,
    clean: false,
    seed: 3,
    asOf: AS_OF,
    output: join(where.directory, "ord.csv"),
    workers: 2,
  });
  // A spill directory under a regular file cannot be made: the run would fail if it tried.
  const file = join(where.directory, "not-a-directory");
  await Deno.writeTextFile(file, "");
  const { report } = await clean(where, ord.output, "ord", {
    blockBytes: 64 << 10,
    spillDir: join(file, "spill"),
  });
  assert.equal(report.input_rows, 20_000);
  assert.equal(
    report.reasons.duplicate_order_id,
    countDuplicateOrderIds(await Deno.readTextFile(ord.output)),
  );
  await Deno.remove(where.directory, { recursive: true });
});
