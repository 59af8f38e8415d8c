/**
 * A user's own export (tests/fixtures/retail_export/, documented line by line in its .md): its own
 * column names mapped by dpd.json or `--column`, order lines sharing an order ID, no e-mail or
 * revenue column, extra columns, CRLF line ends and a BOM.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetMetadata, parquetReadObjects, parquetSchema } from "hyparquet";
import { buildAggregations } from "../../src/aggregations/build_aggregations.ts";
import { loadDpdConfig } from "../../src/cli/dpd_config.ts";
import { UserError } from "../../src/io/errors.ts";
import { cleanData, type CleanDataOptions } from "../../src/cleaning/clean_data.ts";
import { CLEAN_COLUMNS } from "../../src/cleaning/clean_schema.ts";
import type { ColumnMapping } from "../../src/io/column_roles.ts";
import { readAnomalyPage } from "../../dashboard/lib/anomaly_index.ts";
import { latestCleanReport } from "../../dashboard/lib/clean_report.ts";
import { PIPELINE_RERUN_STEPS } from "../../dashboard/lib/rerun_steps.ts";
import { type DpdRun, runDpd } from "../_dpd.ts";

const FIXTURE_DIR = join(import.meta.dirname!, "..", "fixtures", "retail_export");
const EXPORT = join(FIXTURE_DIR, "retail_export.csv");
const AS_OF = "2026-11-28";
const EXTRA_COLUMNS = [
  "Row ID",
  "Ship Date",
  "Customer ID",
  "City",
  "Product ID",
  "Sub-Category",
  "Sales",
  "Profit",
];
/** The fixture's mapping as `--column` and `--dedup-key` flags: what its dpd.json says. */
const MAPPING_FLAGS = [
  "--column",
  "sale_date=Order Date",
  "--column",
  "discount_percent=Discount",
  "--dedup-key",
  "Order ID,Product ID",
];

interface Space {
  directory: string;
  lookupsDir: string;
  dataDir: string;
}

async function workspace(): Promise<Space> {
  const directory = await Deno.makeTempDir({ prefix: "dpd-export-" });
  const lookupsDir = join(directory, "lookups");
  await Deno.mkdir(lookupsDir);
  const write = (name: string, value: unknown) =>
    Deno.writeTextFile(join(lookupsDir, name), `${JSON.stringify(value, null, 2)}\n`);
  await write("common_categories.json", ["Books", "Electronics", "Home & Kitchen", "Toys & Games"]);
  await write("common_regions.json", ["Asia", "Europe", "North America", "South America"]);
  await write("region_map.json", { "eu": "Europe", "mars": "UNKNOWN" });
  return { directory, lookupsDir, dataDir: join(directory, "data") };
}

async function fixtureMapping(): Promise<ColumnMapping> {
  return (await loadDpdConfig(join(FIXTURE_DIR, "dpd.json"), true))!;
}

function cleanExport(space: Space, options: Partial<CleanDataOptions> = {}) {
  return cleanData({
    input: EXPORT,
    dataDir: space.dataDir,
    lookupsDir: space.lookupsDir,
    asOf: AS_OF,
    quiet: true,
    workers: 2,
    ...options,
  });
}

async function readParquet(path: string) {
  const file = (await Deno.readFile(path)).buffer;
  const schema = parquetSchema(parquetMetadata(file)).children.map((child) => ({
    name: child.element.name,
    type: child.element.type,
    repetition: child.element.repetition_type,
  }));
  return { schema, rows: await parquetReadObjects({ file }) };
}

function nonZero(reasons: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(reasons).filter(([, rows]) => rows > 0));
}

Deno.test("the export with its dpd.json: every line accounted for as its .md says", async () => {
  const space = await workspace();
  const { report } = await cleanExport(space, { columns: await fixtureMapping() });
  assert.equal(report.input_rows, 15);
  assert.equal(report.clean_rows, 9);
  assert.deepEqual(nonZero(report.reasons), {
    missing_order_id: 1,
    duplicate_order_id: 2,
    invalid_quantity: 1,
    unknown_region: 1,
    invalid_sale_date: 1,
  });
  assert.deepEqual(report.anomalies, { heavy_discount: 1 });
  assert.deepEqual(report.columns, {
    order_id: "Order ID",
    product_name: "Product Name",
    category: "Category",
    quantity: "Quantity",
    unit_price: "Unit Price",
    discount_percent: "Discount",
    region: "Region",
    sale_date: "Order Date",
    customer_email: null,
    revenue: null,
  });
  assert.deepEqual(report.dedup_key, ["Order ID", "Product ID"]);
  assert.deepEqual(report.extra_columns, EXTRA_COLUMNS);

  const rejected = (await Deno.readTextFile(report.rejected!)).trimEnd().split("\n");
  assert.deepEqual(rejected.map((line) => line.split(",").slice(-2).join(",")), [
    "rejection_reason,source_line",
    "duplicate_order_id,6",
    "invalid_quantity,8",
    "duplicate_order_id,9",
    "unknown_region,13",
    "missing_order_id,15",
    "invalid_sale_date,16",
  ]);
});

Deno.test("a composite dedup key on order lines rejects only true repeats", async (t) => {
  const cases: [string, string[] | undefined, number, string[]][] = [
    // Lines 6 and 9 repeat (order, product) pairs: line 9's pair was claimed by line 8, which a
    // later rule rejected. Lines 11 and 12 lack a product ID, so they claim nothing.
    ["order and product", ["Order ID", "Product ID"], 2, ["5", "8"]],
    ["the same key by role and header name", ["order_id", "Product ID"], 2, ["5", "8"]],
    // order_id alone, as before column mapping: every order's later lines are "duplicates".
    ["order_id alone (the default)", undefined, 7, ["2", "3", "5", "7", "8", "10", "11"]],
    ["off", [], 0, []],
    // One column that is not order_id: every Row ID is distinct.
    ["Row ID alone", ["Row ID"], 0, []],
    // A key that does not identify a line: same order and sub-category are "duplicates".
    ["Order ID and Sub-Category", ["Order ID", "Sub-Category"], 5, ["2", "5", "8", "10", "11"]],
  ];
  for (const [name, dedupKey, duplicates, rowIds] of cases) {
    await t.step(name, async () => {
      const space = await workspace();
      const mapping = await fixtureMapping();
      const { report } = await cleanExport(space, { columns: { ...mapping, dedupKey } });
      assert.equal(report.reasons.duplicate_order_id, duplicates);
      const duplicateRowIds = (await Deno.readTextFile(report.rejected!)).split("\n")
        .filter((line) => line.includes(",duplicate_order_id,"))
        .map((line) => line.split(",")[0]);
      assert.deepEqual(duplicateRowIds, rowIds);
      assert.equal(report.clean_rows + report.rejected_rows, 15);
    });
  }
});

Deno.test("extra columns round-trip: parquet after the contract columns, rejected CSV as read", async () => {
  const space = await workspace();
  const { report } = await cleanExport(space, { columns: await fixtureMapping() });
  const { schema, rows } = await readParquet(report.output!);
  assert.deepEqual(schema.map((column) => column.name), [
    ...CLEAN_COLUMNS.map((column) => column.name),
    ...EXTRA_COLUMNS,
  ]);
  for (const column of schema.slice(CLEAN_COLUMNS.length)) {
    assert.deepEqual(column, { name: column.name, type: "BYTE_ARRAY", repetition: "OPTIONAL" });
  }
  assert.deepEqual(rows.map((row) => row["Row ID"]), [
    "1",
    "2",
    "3",
    "4",
    "6",
    "9",
    "10",
    "11",
    "13",
  ]);
  const byRowId = new Map(rows.map((row) => [row["Row ID"], row]));
  // Trimmed (line 5 has "  Lyon  "), non-ASCII kept, blank → null.
  assert.equal(byRowId.get("4")!.City, "Lyon");
  assert.equal(byRowId.get("6")!.City, "São Paulo");
  assert.equal(byRowId.get("10")!["Product ID"], null);
  assert.deepEqual(
    { ...byRowId.get("1") },
    {
      order_id: "CA-2026-1001",
      product_name: "Wireless Mouse",
      category: "Electronics",
      quantity: 2n,
      unit_price: 24.99,
      discount_percent: 0,
      region: "North America",
      sale_date: BigInt(Date.UTC(2026, 10, 8) / 1000),
      customer_email: null,
      revenue: 49.98,
      anomaly_flag: null,
      "Row ID": "1",
      "Ship Date": "11/11/2026",
      "Customer ID": "CG-12520",
      City: "Toronto",
      "Product ID": "EL-1001",
      "Sub-Category": "Accessories",
      Sales: "49.98",
      Profit: "12.40",
    },
  );

  // The rejected CSV: the header and fields exactly as read (BOM and CRLF gone), then reason/line.
  const source = (await Deno.readTextFile(EXPORT)).replace(/^\uFEFF/, "").split("\r\n");
  const rejected = (await Deno.readTextFile(report.rejected!)).trimEnd().split("\n");
  assert.equal(rejected[0], `${source[0]},rejection_reason,source_line`);
  assert.equal(rejected[2], `${source[7]},invalid_quantity,8`);
});

Deno.test("optional columns absent: no discount is 0, no e-mail is null, no revenue is fine", async () => {
  const space = await workspace();
  const input = join(space.directory, "minimal.csv");
  await Deno.writeTextFile(
    input,
    "Order ID,Product Name,Category,Quantity,Unit Price,Region,Sale Date\n" +
      "A-1,Kettle,Home & Kitchen,2,10.005,Europe,2026-01-02\n",
  );
  const { report } = await cleanData({
    input,
    dataDir: space.dataDir,
    lookupsDir: space.lookupsDir,
    asOf: AS_OF,
    quiet: true,
  });
  assert.equal(report.clean_rows, 1);
  const { schema, rows } = await readParquet(report.output!);
  assert.equal(schema.length, CLEAN_COLUMNS.length);
  assert.equal(rows[0].discount_percent, 0);
  assert.equal(rows[0].customer_email, null);
  assert.equal(rows[0].revenue, 20.01);
  assert.deepEqual(report.columns.discount_percent, null);
});

Deno.test("--drop-extra-columns leaves them out; an extra named like a contract column is refused", async () => {
  const space = await workspace();
  const mapping = await fixtureMapping();
  const { report } = await cleanExport(space, { columns: { ...mapping, dropExtraColumns: true } });
  const { schema } = await readParquet(report.output!);
  assert.deepEqual(schema.map((column) => column.name), CLEAN_COLUMNS.map((column) => column.name));
  assert.deepEqual(report.extra_columns, []);
  // The rejected CSV still has every column as read.
  assert.match(await Deno.readTextFile(report.rejected!), /^Row ID,Order ID,.*,Profit,rejection/);

  const input = join(space.directory, "clash.csv");
  await Deno.writeTextFile(
    input,
    "order_id,product_name,category,quantity,unit_price,region,sale_date,Anomaly_Flag\n",
  );
  const options = {
    input,
    dataDir: join(space.directory, "clash"),
    lookupsDir: space.lookupsDir,
    asOf: AS_OF,
    quiet: true,
  };
  await assert.rejects(
    () => cleanData(options),
    (error) =>
      error instanceof UserError &&
      /extra column 8 \("Anomaly_Flag"\) would be written to the clean parquet under the same name as the contract column "Anomaly_Flag"\..*--drop-extra-columns/
        .test(error.message),
  );
  const dropped = await cleanData({ ...options, columns: { dropExtraColumns: true } });
  assert.equal(dropped.report.input_rows, 0);
});

Deno.test("build-aggregations and the dashboard read a clean parquet with extra columns", async () => {
  const space = await workspace();
  const { report } = await cleanExport(space, { columns: await fixtureMapping() });
  const aggregations = await buildAggregations({
    cleaned: report.output!,
    dataDir: space.dataDir,
    quiet: true,
  });
  assert.equal(aggregations.rows, 9);
  const page = await readAnomalyPage(report.output!, { page: 1, pageSize: 10 });
  assert.equal(page.total, 1);
  assert.equal(page.rows[0].City, "Berlin");
  assert.equal(page.rows[0].anomaly_flag, "heavy_discount");

  // The dashboard's re-run reads the input the way the report recorded, whatever dpd.json says.
  const recorded = await latestCleanReport({
    dataDir: space.dataDir,
    lookupsDir: space.lookupsDir,
  });
  assert.ok(recorded && !("problem" in recorded));
  const counts = await PIPELINE_RERUN_STEPS.clean({
    input: EXPORT,
    dataDir: space.dataDir,
    lookupsDir: space.lookupsDir,
    asOf: recorded.asOf,
    output: report.output!,
    saveRejected: true,
    keepZeroQuantity: false,
    rejectedDir: join(space.dataDir, "rejected"),
    columns: recorded.columns,
    onProgress: () => {},
  });
  assert.equal(counts.cleanRows, 9);
  assert.equal(counts.reasons.duplicate_order_id, 2);
  assert.deepEqual(
    (await readParquet(report.output!)).schema.slice(-EXTRA_COLUMNS.length).map((c) => c.name),
    EXTRA_COLUMNS,
  );
});

async function runClean(cwd: string, dataDir: string, lookupsDir: string, flags: string[] = []) {
  return await runDpd([
    "clean-data",
    "--input",
    EXPORT,
    "--data-dir",
    dataDir,
    "--lookups-dir",
    lookupsDir,
    "--as-of",
    AS_OF,
    "--json",
    ...flags,
  ], { cwd });
}

Deno.test("--column flags and the dpd.json in the working directory give byte-identical outputs", async () => {
  const space = await workspace();
  const withConfig = join(space.directory, "with_config");
  const withFlags = join(space.directory, "with_flags");
  await Deno.mkdir(withConfig);
  await Deno.mkdir(withFlags);
  await Deno.copyFile(join(FIXTURE_DIR, "dpd.json"), join(withConfig, "dpd.json"));
  const runs = [
    await runClean(withConfig, join(withConfig, "data"), space.lookupsDir),
    await runClean(withFlags, join(withFlags, "data"), space.lookupsDir, MAPPING_FLAGS),
  ];
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  const files = ["clean/retail_export_clean.parquet", "rejected/retail_export_rejected.csv"];
  // Each run has its own id, in the parquet's footer: the bytes are compared without it.
  const withoutRunId = async (directory: string, file: string, run: DpdRun) =>
    new TextDecoder("latin1").decode(await Deno.readFile(join(directory, "data", file)))
      .replaceAll(JSON.parse(run.stdout).run_id, "<run id>");
  for (const file of files) {
    assert.equal(
      await withoutRunId(withConfig, file, runs[0]),
      await withoutRunId(withFlags, file, runs[1]),
      file,
    );
  }
  const [fromConfig, fromFlags] = runs.map((run) => {
    const {
      duration_s: _d,
      rows_per_s: _r,
      peak_rss_bytes: _p,
      output: _o,
      rejected: _j,
      report: _t,
      run_id: _i,
      ...rest
    } = JSON.parse(run.stdout);
    return rest;
  });
  assert.deepEqual(fromConfig, fromFlags);
  assert.equal(fromConfig.clean_rows, 9);
});

Deno.test("flags win over dpd.json; --config names another file", async () => {
  const space = await workspace();
  // The file maps sale_date to the wrong column and turns dedup off; the flags correct both.
  await Deno.writeTextFile(
    join(space.directory, "dpd.json"),
    JSON.stringify({
      columns: { sale_date: "Ship Date", discount_percent: "Discount" },
      dedup_key: "none",
    }),
  );
  const run = await runClean(space.directory, space.dataDir, space.lookupsDir, MAPPING_FLAGS);
  assert.equal(run.code, 0, run.stderr);
  const summary = JSON.parse(run.stdout);
  assert.equal(summary.columns.sale_date, "Order Date");
  assert.equal(summary.reasons.duplicate_order_id, 2);

  const elsewhere = join(space.directory, "elsewhere.json");
  await Deno.copyFile(join(FIXTURE_DIR, "dpd.json"), elsewhere);
  const other = await runClean(space.directory, space.dataDir, space.lookupsDir, [
    "--config",
    elsewhere,
  ]);
  assert.equal(other.code, 0, other.stderr);
  assert.equal(JSON.parse(other.stdout).columns.sale_date, "Order Date");
});

Deno.test("an unmapped export or a bad dpd.json: exit 1, one line, nothing written", async (t) => {
  const cases: [string, string | undefined, RegExp][] = [
    [
      "no mapping",
      undefined,
      /^error: .*retail_export\.csv: no column for the required role sale_date\. Header: "Row ID", "Order ID", "Order Date", .* --column "sale_date=Order Date" or in dpd\.json: \{"columns": \{"sale_date": "Order Date"\}\}/,
    ],
    [
      "a syntax error in dpd.json",
      '{\n  "columns": { "sale_date": "Order Date" },\n  "dedup_key": ["Order ID" "Product ID"]\n}\n',
      /^error: dpd\.json:3:28: Expected .,. or .\]. after array element/,
    ],
    [
      "an unknown role in dpd.json",
      '{\n  "columns": {\n    "sale_date": "Order Date",\n    "discount": "Discount"\n  }\n}\n',
      /^error: dpd\.json:4:5: unknown role "discount"; the roles are order_id, .*discount_percent/,
    ],
  ];
  for (const [name, config, message] of cases) {
    await t.step(name, async () => {
      const space = await workspace();
      if (config !== undefined) await Deno.writeTextFile(join(space.directory, "dpd.json"), config);
      const run = await runClean(space.directory, space.dataDir, space.lookupsDir);
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
      assert.match(run.stderr, message);
      await assert.rejects(() => Deno.stat(space.dataDir), Deno.errors.NotFound);
    });
  }
});

Deno.test("a Discount column read as no discount column gets a note saying how to map it", async () => {
  const space = await workspace();
  const run = await runClean(space.directory, space.dataDir, space.lookupsDir, [
    "--column",
    "sale_date=Order Date",
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout).notes, [
    'no discount_percent column, so every discount is 0; if "Discount" is it, add ' +
    '--column "discount_percent=Discount" (or map it in dpd.json)',
  ]);
});
