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

Deno.test("every reason, every row accounted for, and the parquet schema of DESIGN §4", async () => {
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
        output: "",
        rejected: "",
      },
      {
        ...reference.report,
        duration_s: 0,
        rows_per_s: 0,
        peak_rss_bytes: 0,
        input: "",
        output: "",
        rejected: "",
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
    ["a missing column", HEADER.replace(",region", "") + "\nx\n", /lacks required column "region"/],
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
      /"region" \(columns 7, 11\) more than once/,
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

Deno.test("a quote that never closes stops the run at its line instead of eating memory", async () => {
  const space = await workspace();
  const lines = [HEADER, "ORD-000000001,Widget,Toys,1,1,0,Asia,2026-01-01,,1"];
  lines.push(`ORD-000000002,"Widget never closed,Toys,1,1,0,Asia,2026-01-01,,1`);
  for (let index = 3; index < 200; index++) {
    lines.push(`ORD-${String(index).padStart(9, "0")},Widget,Toys,1,1,0,Asia,2026-01-01,,1`);
  }
  const csv = lines.join("\n") + "\n";
  await assert.rejects(
    () => clean(space, csv, { blockBytes: 256, maxRecordBytes: 2000 }),
    /input\.csv:3: the record starting at line 3 runs past .* Check the quotes on that line/,
  );
  // Not even the directories the run made for its outputs are left behind.
  await assert.rejects(() => Deno.stat(space.dataDir), Deno.errors.NotFound);
  // Within the limit the same file is cleaned, the open record being one malformed row (§10).
  const { report } = await clean(space, csv, { blockBytes: 256 });
  assert.equal(report.input_rows, 2);
  assert.equal(report.reasons.malformed_row, 1);
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
