/**
 * clean-data over several input files: a directory or repeated `--input`, cleaned as one run.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import {
  cleanData,
  type CleanDataOptions,
  type CleanReport,
} from "../../src/cleaning/clean_data.ts";
import { gzip, writeCsvParts } from "../_csv_parts.ts";
import { runDpd } from "../_dpd.ts";

const AS_OF = "2026-11-28";
const EVERY_REASON_CSV = await Deno.readTextFile(
  join(import.meta.dirname!, "..", "fixtures", "every_reason.csv"),
);
const [HEADER, ...DATA] = EVERY_REASON_CSV.trimEnd().split("\n");
/** A clean row whose product name holds a quoted line break (two input lines). */
const QUOTED_BREAK = 'ORD-000000900,"Widget\nDeluxe",Toys,1,1,0,Asia,2026-01-01,,1';

/**
 * The three files: a.csv.gz, b.csv (a quoted line break first, then ORD-000000001 again: a
 * duplicate of a row of a.csv.gz), c.csv. Their data rows in order are the concatenation's.
 */
const PARTS = {
  "a.csv.gz": DATA.slice(0, 2),
  "b.csv": [QUOTED_BREAK, ...DATA.slice(2, 9)],
  "c.csv": DATA.slice(9),
};

/** The lookups of clean_data_test.ts (not imported: that would run its tests here too). */
async function writeTestLookups(directory: string): Promise<string> {
  const lookupsDir = join(directory, "lookups");
  await Deno.mkdir(lookupsDir, { recursive: true });
  const write = (name: string, value: unknown) =>
    Deno.writeTextFile(join(lookupsDir, name), `${JSON.stringify(value, null, 2)}\n`);
  await write("common_categories.json", ["Books", "Electronics", "Home & Kitchen", "Toys"]);
  await write("common_regions.json", ["Asia", "Europe", "North America", "South America"]);
  await write("region_map.json", { "aisa": "Asia", "eu": "Europe", "mars": "UNKNOWN" });
  return lookupsDir;
}

async function setUp() {
  const directory = await Deno.makeTempDir({ prefix: "dpd-inputs-" });
  const lookupsDir = await writeTestLookups(directory);
  const exports = join(directory, "exports");
  await writeCsvParts(exports, HEADER, PARTS);
  const whole = join(directory, "whole.csv");
  await Deno.writeTextFile(whole, [HEADER, ...Object.values(PARTS).flat()].join("\n") + "\n");
  return { directory, lookupsDir, exports, whole, dataDir: join(directory, "data") };
}

type Space = Awaited<ReturnType<typeof setUp>>;

function clean(
  space: Space,
  input: string | string[],
  name?: string,
  more: Partial<CleanDataOptions> = {},
) {
  return cleanData({
    input,
    name,
    dataDir: space.dataDir,
    lookupsDir: space.lookupsDir,
    asOf: AS_OF,
    quiet: true,
    workers: 2,
    blockBytes: 97,
    ...more,
  });
}

async function readClean(path: string) {
  return await parquetReadObjects({ file: (await Deno.readFile(path)).buffer });
}

/** The counts a run must share with the concatenation. */
function counts(report: CleanReport) {
  const { input_rows, clean_rows, rejected_rows, reasons, anomalies } = report;
  return { input_rows, clean_rows, rejected_rows, reasons, anomalies };
}

/** Rejected lines without their trailing `fields` columns (the source position). */
async function rejectedWithout(path: string, fields: number): Promise<string[]> {
  const text = await Deno.readTextFile(path);
  // Every field of these fixtures is unquoted but one product name, so commas split fields; a
  // line that starts a row starts with an ID (ORD- or the UUIDs of uuidParts()), a comma, a quote.
  return text.trimEnd().split(/\n(?=ORD-|00000000-|,|"|order_id)/).map((line) =>
    line.split(",").slice(0, -fields).join(",")
  );
}

async function assertSameAsWhole(space: Space, report: CleanReport, whole: CleanReport) {
  assert.deepEqual(counts(report), counts(whole));
  assert.deepEqual(await readClean(report.output!), await readClean(whole.output!));
  assert.deepEqual(
    await rejectedWithout(report.rejected!, 2),
    await rejectedWithout(whole.rejected!, 1),
  );
  assert.deepEqual(report.inputs.map((input) => [input.file, input.rows]), [
    [join(space.exports, "a.csv.gz"), 2],
    [join(space.exports, "b.csv"), 8],
    [join(space.exports, "c.csv"), 8],
  ]);
}

Deno.test("a directory of three files (one gzipped, one with a quoted line break) equals their concatenation", async () => {
  const space = await setUp();
  const { report: whole } = await clean(space, space.whole);
  const { report, reportPath } = await clean(space, space.exports);
  assert.equal(report.name, "exports");
  assert.equal(report.output, join(space.dataDir, "clean", "exports_clean.parquet"));
  assert.equal(reportPath, join(space.dataDir, "reports", "exports_clean_report.json"));
  await assertSameAsWhole(space, report, whole);

  // Rule 2 spans the files: ORD-000000001 of b.csv (line 4, after the two-line row) repeats a.csv.gz's.
  const rejected = (await Deno.readTextFile(report.rejected!)).trimEnd().split("\n");
  assert.equal(
    rejected[0],
    `${HEADER},rejection_reason,source_line,source_file`,
  );
  assert.ok(
    rejected.includes(
      "ORD-000000001,Widget,Electronics,2,10.00,0.1,Europe,2026-01-15,,1,duplicate_order_id,4,b.csv",
    ),
    rejected.join("\n"),
  );
  // source_line restarts per file: c.csv's last row (its line 9) repeats ORD-000000010.
  assert.ok(rejected.at(-1)!.endsWith(",duplicate_order_id,9,c.csv"), rejected.at(-1));
  // A single file keeps the rejected CSV as it was: no source_file.
  assert.ok((await Deno.readTextFile(whole.rejected!)).startsWith(
    `${HEADER},rejection_reason,source_line\n`,
  ));
});

Deno.test("repeated --input on the command line is the same run as the directory", async () => {
  const space = await setUp();
  const { report: whole } = await clean(space, space.whole);
  const args = ["a.csv.gz", "b.csv", "c.csv"].flatMap((name) => [
    "--input",
    join(space.exports, name),
  ]);
  const run = await runDpd([
    "clean-data",
    ...args,
    "--name",
    "sales",
    "--data-dir",
    space.dataDir,
    "--lookups-dir",
    space.lookupsDir,
    "--as-of",
    AS_OF,
    "--quiet",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const report: CleanReport = JSON.parse(
    await Deno.readTextFile(join(space.dataDir, "reports", "sales_clean_report.json")),
  );
  assert.equal(report.output, join(space.dataDir, "clean", "sales_clean.parquet"));
  await assertSameAsWhole(space, report, whole);
});

Deno.test("several inputs: no --name, a header that differs, or a file named twice is exit 1 naming it", async () => {
  const space = await setUp();
  const a = join(space.exports, "a.csv.gz");
  const b = join(space.exports, "b.csv");
  await assert.rejects(() => clean(space, [a, b]), /--name NAME/);
  await assert.rejects(() => clean(space, [a, a], "twice"), /named twice/);
  const other = join(space.directory, "other.csv");
  await Deno.writeTextFile(
    other,
    `${HEADER},store\nORD-000000777,W,Toys,1,1,0,Asia,2026-01-01,,1,s\n`,
  );
  await assert.rejects(
    () => clean(space, [a, other], "mixed"),
    (error: Error) =>
      error.name === "UserError" && error.message.startsWith(`${other}: its header`),
  );
  // Nothing was published by the refused runs.
  await assert.rejects(() => Deno.stat(join(space.dataDir, "clean", "mixed_clean.parquet")));
  await assert.rejects(() => Deno.stat(join(space.dataDir, "clean", "exports_clean.parquet")));
});

/** The parts with UUID order IDs (one per ORD number, so the same rows repeat a key). */
function uuidParts(): Record<string, string[]> {
  const uuid = (line: string) =>
    line.replace(/ORD-(\d{9})/g, (_, digits: string) => `00000000-0000-4000-8000-000${digits}`);
  return {
    "a.csv.gz": PARTS["a.csv.gz"].map(uuid),
    "b.csv": PARTS["b.csv"].map(uuid),
    // Its last row repeats b.csv's first key (the row with the quoted line break).
    "c.csv": [...PARTS["c.csv"], QUOTED_BREAK.replace("Deluxe", "Again")].map(uuid),
  };
}

Deno.test("keys that need the key census: a directory (one file gzipped, one CR-only) equals the concatenation", async () => {
  const space = await setUp();
  const parts = uuidParts();
  const exports = join(space.directory, "uuid-exports");
  await Deno.mkdir(exports);
  for (const [name, rows] of Object.entries(parts)) {
    // b.csv ends its lines with a lone CR: the census reads each file with its own line end.
    const text = [HEADER, ...rows, ""].join(name === "b.csv" ? "\r" : "\n");
    const path = join(exports, name);
    if (name.endsWith(".gz")) await Deno.writeFile(path, await gzip(text));
    else await Deno.writeTextFile(path, text);
  }
  const whole = join(space.directory, "uuid-whole.csv");
  await Deno.writeTextFile(whole, [HEADER, ...Object.values(parts).flat(), ""].join("\n"));
  // A budget of 1 byte: the in-memory attempt fails at once and the run restarts with the census.
  const census = { dedupBudgetBytes: 1, spillDir: space.directory };
  const { report: wholeReport } = await clean(space, whole, "whole", census);
  const { report } = await clean(space, exports, "census", census);
  const { report: inMemory } = await clean(space, exports, "memory");
  // Rule 2 spans the files: a row of b.csv repeats a.csv.gz's, c.csv's last repeats b.csv's
  // (and one row of c.csv repeats another).
  assert.equal(wholeReport.reasons.duplicate_order_id, 3);
  for (const other of [report, inMemory]) {
    assert.deepEqual(counts(other), counts(wholeReport));
    assert.deepEqual(await readClean(other.output!), await readClean(wholeReport.output!));
    assert.deepEqual(
      await rejectedWithout(other.rejected!, 2),
      await rejectedWithout(wholeReport.rejected!, 1),
    );
  }
  const rejected = (await Deno.readTextFile(report.rejected!)).trimEnd().split("\n");
  assert.ok(rejected.at(-1)!.endsWith(",duplicate_order_id,10,c.csv"), rejected.at(-1));
  // The spill directory is gone.
  const left = [...Deno.readDirSync(space.directory)].filter((entry) =>
    entry.name.startsWith("dpd-dedup-")
  );
  assert.deepEqual(left, []);
});
