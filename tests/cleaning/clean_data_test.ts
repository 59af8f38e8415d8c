import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetMetadata, parquetReadObjects, parquetSchema } from "hyparquet";
import { cleanData, type CleanDataOptions } from "../../src/cleaning/clean_data.ts";
import { REJECTION_REASONS } from "../../src/cleaning/rules/reasons.ts";
import { runDpd, spawnDpd } from "../_dpd.ts";

const HEADER =
  "order_id,product_name,category,quantity,unit_price,discount_percent,region,sale_date,customer_email,revenue";
const AS_OF = "2026-11-28";

/** A lookups directory with a small, known vocabulary. */
export async function writeTestLookups(directory: string): Promise<string> {
  const lookupsDir = join(directory, "lookups");
  await Deno.mkdir(lookupsDir, { recursive: true });
  const write = (name: string, value: unknown) =>
    Deno.writeTextFile(join(lookupsDir, name), `${JSON.stringify(value, null, 2)}\n`);
  await write("common_categories.json", ["Books", "Electronics", "Home & Kitchen", "Toys"]);
  await write("common_regions.json", ["Asia", "Europe", "North America", "South America"]);
  await write("region_map.json", { "aisa": "Asia", "eu": "Europe", "mars": "UNKNOWN" });
  return lookupsDir;
}

interface Workspace {
  directory: string;
  lookupsDir: string;
  dataDir: string;
}

async function workspace(): Promise<Workspace> {
  const directory = await Deno.makeTempDir({ prefix: "dpd-clean-" });
  return {
    directory,
    lookupsDir: await writeTestLookups(directory),
    dataDir: join(directory, "data"),
  };
}

async function clean(
  space: Workspace,
  csv: string | Uint8Array,
  options: Partial<CleanDataOptions> = {},
  name = "input.csv",
) {
  const input = join(space.directory, name);
  if (typeof csv === "string") await Deno.writeTextFile(input, csv);
  else await Deno.writeFile(input, csv);
  const result = await cleanData({
    input,
    dataDir: space.dataDir,
    lookupsDir: space.lookupsDir,
    asOf: AS_OF,
    quiet: true,
    workers: 2,
    ...options,
  });
  return { ...result, input };
}

async function readRejected(path: string): Promise<string[]> {
  return (await Deno.readTextFile(path)).split("\n").filter((line) => line !== "");
}

async function readClean(path: string) {
  const file = (await Deno.readFile(path)).buffer;
  return await parquetReadObjects({ file });
}

/** One row per outcome of the rules: see tests/fixtures/every_reason.md. */
const EVERY_REASON_CSV = await Deno.readTextFile(
  join(import.meta.dirname!, "..", "fixtures", "every_reason.csv"),
);
const ROWS = EVERY_REASON_CSV.trimEnd().split("\n");

Deno.test("every reason, every row accounted for, and the parquet schema of docs/cleaning.md", async () => {
  const space = await workspace();
  const { report, reportPath, input } = await clean(space, ROWS.join("\n") + "\n");
  assert.equal(report.input_rows, ROWS.length - 1);
  assert.equal(report.clean_rows + report.rejected_rows, report.input_rows);
  assert.deepEqual(Object.keys(report.reasons), [...REJECTION_REASONS]);
  // One row per reason (tests/fixtures/every_reason.md), two for duplicates and zero quantities.
  assert.deepEqual(
    report.reasons,
    Object.fromEntries(
      REJECTION_REASONS.map((reason) => [
        reason,
        reason === "duplicate_order_id" || reason === "zero_quantity" ? 2 : 1,
      ]),
    ),
  );
  assert.equal(report.clean_rows, 3);
  assert.deepEqual(report.anomalies, { heavy_discount: 1 });
  assert.equal(report.as_of, AS_OF);
  assert.deepEqual(
    Object.keys(report.lookups).sort(),
    ["common_categories.json", "common_regions.json", "region_map.json"],
  );
  assert.deepEqual(JSON.parse(await Deno.readTextFile(reportPath!)), report);

  const file = (await Deno.readFile(report.output!)).buffer;
  const metadata = parquetMetadata(file);
  const types = Object.fromEntries(
    parquetSchema(metadata).children.map((
      child,
    ) => [child.element.name, [child.element.type, child.element.repetition_type]]),
  );
  assert.deepEqual(types, {
    order_id: ["BYTE_ARRAY", "REQUIRED"],
    product_name: ["BYTE_ARRAY", "REQUIRED"],
    category: ["BYTE_ARRAY", "REQUIRED"],
    quantity: ["INT64", "REQUIRED"],
    unit_price: ["DOUBLE", "REQUIRED"],
    discount_percent: ["DOUBLE", "REQUIRED"],
    region: ["BYTE_ARRAY", "REQUIRED"],
    sale_date: ["INT64", "REQUIRED"],
    customer_email: ["BYTE_ARRAY", "OPTIONAL"],
    revenue: ["DOUBLE", "REQUIRED"],
    anomaly_flag: ["BYTE_ARRAY", "OPTIONAL"],
  });
  const rows = await readClean(report.output!);
  assert.deepEqual(rows, [
    {
      order_id: "ORD-000000001",
      product_name: "Widget",
      category: "Electronics",
      quantity: 2n,
      unit_price: 10,
      discount_percent: 0.1,
      region: "Europe",
      sale_date: BigInt(Date.UTC(2026, 0, 15) / 1000),
      customer_email: "ann.lee@example.com",
      revenue: 18,
      anomaly_flag: null,
    },
    {
      order_id: "ORD-000000002",
      product_name: "Book A",
      category: "Books",
      quantity: 1n,
      unit_price: 5,
      discount_percent: 0,
      region: "Asia",
      sale_date: BigInt(Date.UTC(2026, 0, 2) / 1000),
      customer_email: null,
      revenue: 5,
      anomaly_flag: null,
    },
    {
      order_id: "ORD-000000014",
      product_name: "Heavy",
      category: "Toys",
      quantity: 2n,
      unit_price: 3,
      discount_percent: 0.95,
      region: "Asia",
      sale_date: BigInt(Date.UTC(2026, 1, 1) / 1000),
      customer_email: null,
      revenue: 0.3,
      anomaly_flag: "heavy_discount",
    },
  ]);

  const rejected = await readRejected(report.rejected!);
  assert.equal(rejected[0], `${HEADER},rejection_reason,source_line`);
  assert.equal(rejected.length - 1, report.rejected_rows);
  assert.equal(rejected[1], `${ROWS[3]},duplicate_order_id,4`);
  assert.equal(
    rejected.find((line) => line.includes("malformed_row")),
    `"${ROWS[14]}",,,,,,,,,,malformed_row,15`,
  );
  assert.ok(input.endsWith("input.csv"));
});

Deno.test("a row claims its ID even when a later rule rejects it; --keep-zero-quantity keeps zeros", async () => {
  const space = await workspace();
  const { report } = await clean(space, ROWS.join("\n"), { keepZeroQuantity: true });
  assert.equal(report.reasons.zero_quantity, 0);
  // ORD-000000005 (quantity 0) and ORD-000000013 (quantity -2 → 0) survive.
  const ids = (await readClean(report.output!)).map((row) => row.order_id);
  assert.deepEqual(ids, [
    "ORD-000000001",
    "ORD-000000002",
    "ORD-000000005",
    "ORD-000000013",
    "ORD-000000014",
  ]);
  assert.equal(report.reasons.duplicate_order_id, 2);
});

Deno.test("block boundaries anywhere give the same outputs, quoted line breaks included", async () => {
  const lines = [HEADER];
  for (let index = 1; index <= 400; index++) {
    const id = `ORD-${String(index % 370).padStart(9, "0")}`;
    const name = index % 7 === 0 ? `"Multi\nline ""quoted"", name ${index}"` : `Item ${index}`;
    const region = index % 11 === 0 ? "Mars" : index % 5 === 0 ? "  Aisa " : "Europe";
    const ragged = index % 53 === 0 ? "" : ",x@y.com,1";
    lines.push(`${id},${name},Toys,${index % 4},2.5,0.${index % 10},${region},2026-03-01${ragged}`);
  }
  const csv = lines.join("\r\n") + "\r\n" + `ORD-999,"unterminated\nquote,Toys`;
  const space = await workspace();
  const reference = await clean(space, csv, { blockBytes: 1 << 20, workers: 1 }, "a.csv");
  const referenceRows = await readClean(reference.report.output!);
  const referenceRejected = await Deno.readTextFile(reference.report.rejected!);
  assert.equal(reference.report.reasons.malformed_row, Math.floor(400 / 53) + 1);
  for (const blockBytes of [64, 97, 256, 1000]) {
    const { report } = await clean(space, csv, { blockBytes, workers: 2 }, `b${blockBytes}.csv`);
    assert.deepEqual(
      {
        ...report,
        duration_s: 0,
        rows_per_s: 0,
        peak_rss_bytes: 0,
        input: "",
        name: "",
        inputs: report.inputs.map((input) => ({ ...input, file: "" })),
        output: "",
        rejected: "",
        run_id: "",
      },
      {
        ...reference.report,
        duration_s: 0,
        rows_per_s: 0,
        peak_rss_bytes: 0,
        input: "",
        name: "",
        inputs: reference.report.inputs.map((input) => ({ ...input, file: "" })),
        output: "",
        rejected: "",
        run_id: "",
      },
    );
    assert.deepEqual(await readClean(report.output!), referenceRows, `blockBytes ${blockBytes}`);
    assert.equal(await Deno.readTextFile(report.rejected!), referenceRejected);
  }
});

async function listFiles(directory: string): Promise<string[]> {
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(directory)) {
      if (entry.isDirectory) {
        found.push(
          ...(await listFiles(join(directory, entry.name))).map((name) => `${entry.name}/${name}`),
        );
      } else found.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found;
}

Deno.test("bad input stops with exit 1, one readable line, and nothing written", async (t) => {
  const cases: [string, string | Uint8Array, RegExp][] = [
    [
      "a missing column",
      HEADER.replace(",region", "") + "\nx\n",
      /no column for the required role region\. Header: "order_id", .*--column "region=HEADER"/,
    ],
    ["an empty file", "", /no header/i],
    ["only blank lines", "\n\r\n\n", /no header/i],
    [
      "binary garbage",
      Uint8Array.from({ length: 4096 }, (_, index) => (index * 7919 + 13) % 256),
      /malformed|missing/i,
    ],
    [
      "a required column named twice",
      `${HEADER},Region\n`,
      /columns 7 \("region"\), 11 \("Region"\) could all be region/,
    ],
  ];
  for (const [name, content, message] of cases) {
    await t.step(name, async () => {
      const space = await workspace();
      const input = join(space.directory, "input.csv");
      if (typeof content === "string") await Deno.writeTextFile(input, content);
      else await Deno.writeFile(input, content);
      const result = await runDpd([
        "clean-data",
        "--input",
        input,
        "--data-dir",
        space.dataDir,
        "--lookups-dir",
        space.lookupsDir,
      ]);
      assert.equal(result.code, 1, result.stderr);
      const lines = result.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0], /^error: /);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
      assert.deepEqual(await listFiles(space.dataDir), []);
    });
  }
});

Deno.test("a header only gives exit 0 and empty outputs", async () => {
  const space = await workspace();
  const { report } = await clean(space, `\uFEFF${HEADER}\r\n`);
  assert.equal(report.input_rows, 0);
  assert.deepEqual(await readClean(report.output!), []);
  assert.deepEqual(await readRejected(report.rejected!), [
    `${HEADER},rejection_reason,source_line`,
  ]);
});

Deno.test("a gzip input cleans like the plain one", async () => {
  const space = await workspace();
  const csv = ROWS.join("\n") + "\n";
  const plain = await clean(space, csv, {}, "same.csv");
  const gzipped = new Uint8Array(
    await new Response(
      new Blob([csv]).stream().pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer(),
  );
  const compressed = await clean(
    space,
    gzipped,
    { dataDir: join(space.directory, "gz") },
    "same.csv.gz",
  );
  assert.deepEqual(compressed.report.reasons, plain.report.reasons);
  assert.ok(compressed.report.output!.endsWith("same_clean.parquet"));
  assert.deepEqual(
    await readClean(compressed.report.output!),
    await readClean(plain.report.output!),
  );
});

Deno.test("killing the process mid-run leaves no file under the final output names", async () => {
  const space = await workspace();
  const input = join(space.directory, "big.csv");
  const row = "ORD-{id},Widget,Electronics,2,10.00,0.1,Europe,2026-01-15,a@b.com,1\n";
  const lines = [HEADER + "\n"];
  for (let index = 0; index < 400_000; index++) {
    lines.push(row.replace("{id}", String(index).padStart(9, "0")));
  }
  await Deno.writeTextFile(input, lines.join(""));
  const child = spawnDpd(
    [
      "clean-data",
      "--input",
      input,
      "--data-dir",
      space.dataDir,
      "--lookups-dir",
      space.lookupsDir,
      "--quiet",
    ],
    "null",
  );
  // Wait until the run has started writing, then kill it without warning.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const files = await listFiles(space.dataDir);
    if (files.some((name) => name.includes(".dpd-tmp-"))) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill("SIGKILL");
  await child.status;
  const files = await listFiles(space.dataDir);
  assert.ok(files.length > 0, "the run had started writing");
  for (const name of files) assert.match(name, /\.dpd-tmp-/, `final name ${name} exists`);
});

/** `count` clean rows numbered from `first`. */
function cleanRows(first: number, count: number): string[] {
  return Array.from(
    { length: count },
    (_, index) =>
      `ORD-${String(first + index).padStart(9, "0")},Widget,Toys,1,1,0,Asia,2026-01-01,,1`,
  );
}

/** The report without the fields that differ between runs. */
function comparable(report: Record<string, unknown>) {
  return {
    ...report,
    duration_s: 0,
    rows_per_s: 0,
    peak_rss_bytes: 0,
    input: "",
    name: "",
    inputs: (report.inputs as { file: string; rows: number }[])
      .map((input) => ({ ...input, file: "" })),
    output: "",
    rejected: "",
    run_id: "",
  };
}

const CUT = "…[record cut: longer than 2000 bytes]";

/** The rejected-CSV line of a malformed row: its raw text, nine empty fields, reason, line. */
function malformedLine(raw: string, line: number): string {
  const quoted = /[,"\r\n]/.test(raw) ? `"${raw.replaceAll('"', '""')}"` : raw;
  return `${quoted}${",".repeat(10)}malformed_row,${line}`;
}

Deno.test("an unclosed quote past the record limit becomes one malformed_row with its raw text cut, and the run goes on", async () => {
  const space = await workspace();
  const open = `ORD-000000002,"Widget never closed,Toys,1,1,0,Asia,2026-01-01,,1`;
  const csv = [HEADER, ...cleanRows(1, 1), open, ...cleanRows(3, 197)].join("\n") + "\n";
  for (const blockBytes of [256, 1000, 1 << 20]) {
    const { report } = await clean(space, csv, { blockBytes, maxRecordBytes: 2000 }, "q.csv");
    // The quote swallows the rest of the file: one record from line 3 to the end.
    assert.equal(report.input_rows, 2);
    assert.equal(report.clean_rows, 1);
    assert.equal(report.reasons.malformed_row, 1);
    const raw = csv.slice(csv.indexOf(open), csv.indexOf(open) + 2000);
    assert.equal(
      await Deno.readTextFile(report.rejected!),
      `${HEADER},rejection_reason,source_line\n${malformedLine(raw + CUT, 3)}\n`,
      `blockBytes ${blockBytes}`,
    );
  }
});

Deno.test("a 1.1 GB unquoted field, in small: a field past the record limit is one malformed_row with its raw text cut, and the rows after it are cleaned", async () => {
  const space = await workspace();
  const long = `ORD-000000003,${"x".repeat(9000)},Toys,1,1,0,Asia,2026-01-01,,1`;
  const quoted = `ORD-000000004,"two\nlines",Toys,1,1,0,Asia,2026-01-01,,1`;
  const lines = [HEADER, ...cleanRows(1, 2), long, quoted, ...cleanRows(5, 40), "ORD-1,short"];
  const csv = lines.join("\n") + "\n";
  const reference = await clean(space, csv, { maxRecordBytes: 2000, workers: 1 }, "ref.csv");
  assert.equal(reference.report.input_rows, 45);
  assert.equal(reference.report.clean_rows, 43);
  assert.equal(reference.report.reasons.malformed_row, 2);
  const rejected = await readRejected(reference.report.rejected!);
  assert.deepEqual(rejected.slice(1), [
    malformedLine(long.slice(0, 2000) + CUT, 4),
    malformedLine("ORD-1,short", 47),
  ]);
  const rows = await readClean(reference.report.output!);
  assert.deepEqual(rows.map((row) => row.order_id).slice(0, 4), [
    "ORD-000000001",
    "ORD-000000002",
    "ORD-000000004",
    "ORD-000000005",
  ]);
  const referenceRejected = await Deno.readTextFile(reference.report.rejected!);
  for (const blockBytes of [64, 256, 1000, 3000]) {
    const { report } = await clean(
      space,
      csv,
      { blockBytes, maxRecordBytes: 2000, workers: 2 },
      `b${blockBytes}.csv`,
    );
    assert.deepEqual(comparable({ ...report }), comparable({ ...reference.report }));
    assert.deepEqual(await readClean(report.output!), rows, `blockBytes ${blockBytes}`);
    assert.equal(await Deno.readTextFile(report.rejected!), referenceRejected);
  }
});

Deno.test("a quoted field past the record limit that does close: one malformed_row, its line breaks still counted", async () => {
  const space = await workspace();
  const long = `ORD-000000002,"${"many\nlines\n".repeat(300)}",Toys,1,1,0,Asia,2026-01-01,,1`;
  const csv = [HEADER, ...cleanRows(1, 1), long, ...cleanRows(3, 20)].join("\n") + "\n";
  for (const blockBytes of [100, 1000, 1 << 20]) {
    const { report } = await clean(space, csv, { blockBytes, maxRecordBytes: 2000 }, "c.csv");
    assert.equal(report.input_rows, 22);
    assert.equal(report.clean_rows, 21);
    const rejected = await readRejected(report.rejected!);
    assert.match(rejected.at(-1)!, /…\[record cut: longer than 2000 bytes\]",+malformed_row,3$/);
    // 600 line breaks inside the field: the next row is line 604 (its ID is the check).
    const rows = await readClean(report.output!);
    assert.equal(rows[1].order_id, "ORD-000000003");
  }
  // Line numbers after the long record: a rejected row after it names its real line.
  const withBadRow = csv + "ORD-000000099,Widget,Toys,1,1,0,Mars,2026-01-01,,1\n";
  const { report } = await clean(space, withBadRow, { blockBytes: 100, maxRecordBytes: 2000 });
  const rejected = await readRejected(report.rejected!);
  assert.match(rejected.at(-1)!, /unknown_region,624$/);
});

Deno.test("progress follows rows written: bytes and rows move together and end at the file size", async () => {
  const space = await workspace();
  const row = "ORD-{id},Widget,Electronics,2,10.00,0.1,Europe,2026-01-15,a@b.com,1\n";
  const lines = [HEADER + "\n"];
  const total = 20_000;
  for (let index = 0; index < total; index++) {
    lines.push(row.replace("{id}", String(index).padStart(9, "0")));
  }
  const updates: { rows: number; bytes: number; totalBytes?: number }[] = [];
  await clean(space, lines.join(""), {
    blockBytes: 64 * 1024,
    onProgress: (progress) => updates.push({ ...progress }),
  });
  assert.ok(updates.length > 10);
  const fileSize = updates[0].totalBytes!;
  for (const [index, update] of updates.entries()) {
    if (index > 0) {
      assert.ok(update.rows >= updates[index - 1].rows && update.bytes >= updates[index - 1].bytes);
    }
    // Every row has the same length here, so the two fractions agree to within one row.
    assert.ok(
      Math.abs(update.bytes / fileSize - update.rows / total) < 0.001,
      JSON.stringify(update),
    );
  }
  assert.deepEqual(updates.at(-1), { rows: total, bytes: fileSize, totalBytes: fileSize });
});

/** 400 rows of every kind (quoted line breaks, rejects, ragged rows), lines joined with `eol`. */
function mixedRows(eol: string): string {
  const lines = [HEADER];
  for (let index = 1; index <= 400; index++) {
    const id = `ORD-${String(index % 370).padStart(9, "0")}`;
    const name = index % 7 === 0 ? `"Multi${eol}line ""quoted"", name ${index}"` : `Item ${index}`;
    const region = index % 11 === 0 ? "Mars" : index % 5 === 0 ? "  Aisa " : "Europe";
    const ragged = index % 53 === 0 ? "" : ",x@y.com,1";
    lines.push(`${id},${name},Toys,${index % 4},2.5,0.${index % 10},${region},2026-03-01${ragged}`);
  }
  return lines.join(eol) + eol + `ORD-999,"unterminated${eol}quote,Toys`;
}

Deno.test("a CR-only file gives the same clean rows, report and rejected rows as its LF twin", async () => {
  const space = await workspace();
  const lf = await clean(space, mixedRows("\n"), {}, "lf.csv");
  const lfRows = await readClean(lf.report.output!);
  const lfRejected = await Deno.readTextFile(lf.report.rejected!);
  // Malformed: the 7 ragged rows (every 53rd of 400) and the unterminated quote at the end.
  assert.equal(lf.report.reasons.malformed_row, 7 + 1);
  assert.ok(lf.report.clean_rows > 200);
  for (const blockBytes of [64, 256, 1 << 20]) {
    const { report } = await clean(space, mixedRows("\r"), { blockBytes }, `cr${blockBytes}.csv`);
    assert.deepEqual(comparable({ ...report }), comparable({ ...lf.report }));
    // Line breaks inside quoted values are read as they are: CR in the CR-only file.
    const rows = (await readClean(report.output!)).map((row) => ({
      ...row,
      product_name: String(row.product_name).replaceAll("\r", "\n"),
    }));
    assert.deepEqual(rows, lfRows, `blockBytes ${blockBytes}`);
    const rejected = await Deno.readTextFile(report.rejected!);
    assert.equal(rejected.replaceAll("\r", "\n"), lfRejected);
  }
});

Deno.test("a 2,000-row CR-only file is cleaned row by row, with a short summary", async () => {
  const space = await workspace();
  const rows = [HEADER, ...cleanRows(1, 1999), "ORD-000000001,dup,Toys,1,1,0,Asia,2026-01-01,,1"];
  const input = join(space.directory, "mac.csv");
  await Deno.writeTextFile(input, rows.join("\r") + "\r");
  const run = await runDpd([
    "clean-data",
    "--input",
    input,
    "--data-dir",
    space.dataDir,
    "--lookups-dir",
    space.lookupsDir,
    "--as-of",
    AS_OF,
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stderr.length + run.stdout.length < 2000, run.stderr + run.stdout);
  const report = JSON.parse(
    await Deno.readTextFile(join(space.dataDir, "reports", "mac_clean_report.json")),
  );
  assert.equal(report.input_rows, 2000);
  assert.equal(report.clean_rows, 1999);
  assert.equal(report.reasons.duplicate_order_id, 1);
  const rejected = await readRejected(join(space.dataDir, "rejected", "mac_rejected.csv"));
  assert.match(rejected[1], /,duplicate_order_id,2001$/);
});

Deno.test("a whole file read as one header gives a short error, not the file", async () => {
  // A header of 3,000 columns that lacks the contract's: the message names 20 and counts the rest.
  const space = await workspace();
  const header = Array.from({ length: 3000 }, (_, index) => `column ${index}`).join(",");
  await assert.rejects(
    () => clean(space, `${header}\n1,2\n`),
    (error) => {
      assert.ok(error instanceof Error && error.message.length < 2000, String(error).length + "");
      assert.match(error.message, /"column 19" and 2980 more/);
      return true;
    },
  );
});
