/**
 * dpd's parquet outputs read by DuckDB, a reader that shares no code with dpd's writers or with
 * hyparquet, on a small generated dirty run (20k rows, several row groups): the clean parquet and
 * every aggregation table.
 *
 * Expectations come from outside the writer: the schemas documented in docs/schemas.md, the input
 * CSV and the rejected CSV (read by DuckDB too), the clean report's counts, and the tables'
 * rules recomputed in SQL. hyparquet's reading of the same bytes must agree row for row.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { buildAggregations } from "../../src/aggregations/build_aggregations.ts";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import { generateData } from "../../src/generation/generate_data.ts";
import { PROJECT_ROOT } from "../_dpd.ts";
import {
  DuckDb,
  parquetRowsOf,
  type ParquetSchemaColumn,
  parquetSchemaOf,
  sqlName,
  sqlString,
} from "../_duckdb.ts";

const AS_OF = "2026-11-28";
const ROWS = 20_000;
/** Small blocks, so the clean parquet has several row groups (one per block). */
const BLOCK_BYTES = 512 * 1024;

interface DocumentedColumn {
  name: string;
  type: "STRING" | "INT64" | "DOUBLE" | "DATE";
  nullable: boolean;
}

/**
 * The column tables of docs/schemas.md: "clean" for the clean parquet's section and each
 * aggregation table's name for its `### \`name\`` section.
 */
async function documentedSchemas(): Promise<Map<string, DocumentedColumn[]>> {
  const lines = (await Deno.readTextFile(join(PROJECT_ROOT, "docs", "schemas.md"))).split("\n");
  const schemas = new Map<string, DocumentedColumn[]>();
  let section: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.startsWith("## Clean parquet")) section = "clean";
    else if (/^### `\w+`/.test(line)) section = line.match(/^### `(\w+)`/)![1];
    else if (line.startsWith("#")) section = undefined;
    if (section === undefined || schemas.has(section) || !line.startsWith("| column")) continue;
    const headings = cells(line);
    const columns: DocumentedColumn[] = [];
    for (index += 2; lines[index]?.startsWith("|"); index++) {
      const row = Object.fromEntries(cells(lines[index]).map((cell, at) => [headings[at], cell]));
      columns.push({
        name: row.column.replaceAll("`", ""),
        type: row.type as DocumentedColumn["type"],
        nullable: row.nullable === "yes",
      });
    }
    schemas.set(section, columns);
  }
  return schemas;
}

function cells(line: string): string[] {
  return line.split("|").slice(1, -1).map((cell) => cell.trim());
}

/** How each documented type must look in the file (docs/schemas.md, "Types"). */
const PARQUET_TYPES: Record<
  DocumentedColumn["type"],
  Pick<ParquetSchemaColumn, "type" | "convertedType" | "duckdbType">
> = {
  STRING: { type: "BYTE_ARRAY", convertedType: "UTF8", duckdbType: "VARCHAR" },
  INT64: { type: "INT64", convertedType: null, duckdbType: "BIGINT" },
  DOUBLE: { type: "DOUBLE", convertedType: null, duckdbType: "DOUBLE" },
  DATE: { type: "INT32", convertedType: "DATE", duckdbType: "DATE" },
};

function assertDocumentedSchema(
  file: string,
  actual: ParquetSchemaColumn[],
  documented: DocumentedColumn[],
): void {
  assert.deepEqual(
    actual.map((column) => column.name),
    documented.map((column) => column.name),
    `${file}: column names`,
  );
  for (const [index, column] of documented.entries()) {
    assert.deepEqual(
      actual[index],
      {
        name: column.name,
        ...PARQUET_TYPES[column.type],
        repetition: column.nullable ? "OPTIONAL" : "REQUIRED",
      },
      `${file}: column ${column.name}`,
    );
  }
}

/** Every column's null count, as DuckDB counts the values it reads. */
async function nullCounts(db: DuckDb, path: string, columns: string[]): Promise<number[]> {
  const row = await db.row(
    `SELECT ${columns.map((name) => `count(*) - count(${sqlName(name)})`).join(", ")}
     FROM read_parquet(${sqlString(path)})`,
  );
  return Object.values(row).map(Number);
}

/**
 * Each row group's written statistics (min, max, null count), where the writer wrote them, equal
 * what DuckDB reads in that group's rows. Returns the columns that carry statistics.
 */
async function assertStatistics(db: DuckDb, path: string): Promise<Set<string>> {
  const chunks = await db.rows(
    `SELECT row_group_id, row_group_num_rows, path_in_schema, stats_min_value, stats_max_value,
       stats_null_count, min_is_exact, max_is_exact
     FROM parquet_metadata(${sqlString(path)}) ORDER BY row_group_id, column_id`,
  );
  const types = new Map((await parquetSchemaOf(db, path)).map((c) => [c.name, c.duckdbType]));
  const withStatistics = new Set<string>();
  const groupStart = new Map<bigint, number>();
  let rows = 0;
  for (const chunk of chunks) {
    const group = chunk.row_group_id as bigint;
    if (!groupStart.has(group)) {
      groupStart.set(group, rows);
      rows += Number(chunk.row_group_num_rows);
    }
    const start = groupStart.get(group)!;
    const end = start + Number(chunk.row_group_num_rows);
    const name = chunk.path_in_schema as string;
    const column = sqlName(name);
    const type = types.get(name)!;
    const where = `file_row_number >= ${start} AND file_row_number < ${end}`;
    // A statistic marked inexact (a long string cut short) need only bound the values.
    const check = (statistic: unknown, exact: unknown, aggregate: "min" | "max") => {
      if (statistic === null) return "true";
      const operator = exact === false ? (aggregate === "min" ? ">=" : "<=") : "=";
      return `${aggregate}(${column}) ${operator} CAST(${
        sqlString(statistic as string)
      } AS ${type})`;
    };
    const actual = await db.row(
      `SELECT min(${column})::VARCHAR AS min, max(${column})::VARCHAR AS max,
         count(*) - count(${column}) AS nulls,
         ${check(chunk.stats_min_value, chunk.min_is_exact, "min")} AS min_ok,
         ${check(chunk.stats_max_value, chunk.max_is_exact, "max")} AS max_ok
       FROM read_parquet(${sqlString(path)}, file_row_number = true) WHERE ${where}`,
    );
    const label = `${path} row group ${group} ${name}`;
    if (chunk.stats_min_value !== null || chunk.stats_max_value !== null) withStatistics.add(name);
    assert.ok(actual.min_ok, `${label}: min ${chunk.stats_min_value} ≠ ${actual.min}`);
    assert.ok(actual.max_ok, `${label}: max ${chunk.stats_max_value} ≠ ${actual.max}`);
    if (chunk.stats_null_count !== null) {
      assert.equal(Number(chunk.stats_null_count), Number(actual.nulls), `${label}: null count`);
    }
  }
  return withStatistics;
}

/** DuckDB and hyparquet read the same values, row for row (INT64 as bigint, DATE as Date). */
async function assertReadersAgree(db: DuckDb, path: string): Promise<number> {
  const duckRows = await parquetRowsOf(db, path);
  const hyparquetRows = await parquetReadObjects({ file: (await Deno.readFile(path)).buffer });
  assert.equal(duckRows.length, hyparquetRows.length, `${path}: rows`);
  for (const [index, duckRow] of duckRows.entries()) {
    assert.deepEqual(hyparquetRows[index], duckRow, `${path}: row ${index}`);
  }
  return duckRows.length;
}

interface Run {
  input: string;
  clean: string;
  rejected: string;
  report: Awaited<ReturnType<typeof cleanData>>["report"];
  tables: Map<string, string>;
}

async function generatedRun(directory: string): Promise<Run> {
  const input = join(directory, "dirty_20k.csv");
  await generateData({ rows: ROWS, clean: false, seed: 7, asOf: AS_OF, output: input, workers: 2 });
  const dataDir = join(directory, "data");
  const { report } = await cleanData({
    input,
    dataDir,
    lookupsDir: join(PROJECT_ROOT, "lookups"),
    asOf: AS_OF,
    quiet: true,
    blockBytes: BLOCK_BYTES,
    workers: 2,
  });
  const aggregations = await buildAggregations({ dataDir, quiet: true, workers: 2 });
  return {
    input,
    clean: report.output!,
    rejected: report.rejected!,
    report,
    tables: new Map(aggregations.tables.map((table) => [table.name, table.path])),
  };
}

Deno.test("DuckDB reads dpd's clean parquet and every aggregation table as documented", async (t) => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-independent-reader-" });
  try {
    await checkRun(t, await generatedRun(directory));
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

async function checkRun(t: Deno.TestContext, run: Run): Promise<void> {
  using db = await DuckDb.open();
  const schemas = await documentedSchemas();
  const { report } = run;
  const clean = sqlString(run.clean);

  await t.step("clean parquet: the documented schema", async () => {
    assertDocumentedSchema(run.clean, await parquetSchemaOf(db, run.clean), schemas.get("clean")!);
    const groups = await db.row(
      `SELECT num_row_groups, num_rows FROM parquet_file_metadata(${clean})`,
    );
    assert.ok(Number(groups.num_row_groups) >= 3, "several row groups");
    assert.equal(Number(groups.num_rows), report.clean_rows);
  });

  await t.step("clean parquet: rows and null counts match the report", async () => {
    assert.equal(report.input_rows, ROWS);
    assert.equal(report.clean_rows + report.rejected_rows, ROWS);
    const names = schemas.get("clean")!.map((column) => column.name);
    const nulls = Object.fromEntries(
      (await nullCounts(db, run.clean, names)).map((count, index) => [names[index], count]),
    );
    for (const column of schemas.get("clean")!) {
      if (!column.nullable) assert.equal(nulls[column.name], 0, `${column.name} has no nulls`);
    }
    const flagged = await db.row(
      `SELECT count(anomaly_flag) AS flagged, count(*) FILTER (anomaly_flag = 'heavy_discount') AS heavy
       FROM read_parquet(${clean})`,
    );
    assert.equal(Number(flagged.flagged), report.anomalies.heavy_discount);
    assert.equal(Number(flagged.heavy), report.anomalies.heavy_discount);
    assert.equal(nulls.anomaly_flag, report.clean_rows - report.anomalies.heavy_discount);
    assert.ok(nulls.customer_email > 0 && nulls.customer_email < report.clean_rows);
  });

  await t.step("clean parquet: hyparquet reads the same values row for row", async () => {
    assert.equal(await assertReadersAgree(db, run.clean), report.clean_rows);
  });

  await t.step("clean parquet: row-group statistics match the values", async () => {
    const withStatistics = await assertStatistics(db, run.clean);
    // dpd's encoder writes min/max for its numeric columns only.
    assert.deepEqual(
      [...withStatistics].sort(),
      ["discount_percent", "quantity", "revenue", "sale_date", "unit_price"],
    );
  });

  await t.step("rejected CSV: one row per rejected input row, per reason as reported", async () => {
    await db.rows(
      `CREATE TABLE input AS SELECT row_number() OVER () + 1 AS line, *
       FROM read_csv(${sqlString(run.input)}, header = true, all_varchar = true, quote = '"',
         escape = '"', strict_mode = true)`,
    );
    await db.rows(
      `CREATE TABLE rejected AS SELECT * FROM read_csv(${sqlString(run.rejected)}, header = true,
         all_varchar = true, quote = '"', escape = '"', strict_mode = true)`,
    );
    assert.equal(Number((await db.row("SELECT count(*) AS n FROM input")).n), report.input_rows);
    const reasons = await db.rows(
      "SELECT rejection_reason, count(*) AS n FROM rejected GROUP BY ALL ORDER BY ALL",
    );
    assert.deepEqual(
      Object.fromEntries(reasons.map((row) => [row.rejection_reason, Number(row.n)])),
      Object.fromEntries(Object.entries(report.reasons).filter(([, rows]) => rows > 0).sort()),
    );
  });

  await t.step("clean parquet: each row is its input row, normalised", async () => {
    // The input rows that were not rejected, in input order, are the clean rows.
    await db.rows(
      `CREATE TABLE kept AS SELECT row_number() OVER (ORDER BY line) - 1 AS row, *
       FROM input WHERE line NOT IN (SELECT source_line::BIGINT FROM rejected)`,
    );
    const mismatches = await db.row(
      `SELECT count(*) AS rows,
         count(*) FILTER (trim(k.order_id) IS DISTINCT FROM c.order_id) AS order_id,
         count(*) FILTER (trim(k.product_name) IS DISTINCT FROM c.product_name) AS product_name,
         count(*) FILTER (TRY_CAST(trim(k.quantity) AS BIGINT) IS DISTINCT FROM c.quantity)
           AS quantity,
         count(*) FILTER (TRY_CAST(trim(k.unit_price) AS DOUBLE) IS DISTINCT FROM c.unit_price)
           AS unit_price,
         count(*) FILTER (
           c.discount_percent IS DISTINCT FROM
             least(greatest(coalesce(TRY_CAST(trim(k.discount_percent) AS DOUBLE), 0), 0), 1)
         ) AS discount_percent,
         count(*) FILTER (
           c.customer_email IS DISTINCT FROM CASE
             WHEN regexp_full_match(lower(trim(coalesce(k.customer_email, ''))),
               '[a-z0-9_%+-]+(\\.[a-z0-9_%+-]+)*@([a-z0-9-]+\\.)+[a-z]{2,}')
             THEN lower(trim(k.customer_email)) END
         ) AS customer_email,
         count(*) FILTER (c.sale_date % 86400 <> 0) AS sale_date,
         count(*) FILTER (
           c.revenue <> round(c.quantity * c.unit_price * (1 - c.discount_percent), 2)
         ) AS revenue,
         count(*) FILTER (
           c.anomaly_flag IS DISTINCT FROM
             CASE WHEN c.discount_percent > 0.8 THEN 'heavy_discount' END
         ) AS anomaly_flag
       FROM kept k JOIN read_parquet(${clean}, file_row_number = true) c
         ON k.row = c.file_row_number`,
    );
    assert.deepEqual(
      Object.fromEntries(Object.entries(mismatches).map(([key, value]) => [key, Number(value)])),
      {
        rows: report.clean_rows,
        order_id: 0,
        product_name: 0,
        quantity: 0,
        unit_price: 0,
        discount_percent: 0,
        customer_email: 0,
        sale_date: 0,
        revenue: 0,
        anomaly_flag: 0,
      },
    );
  });

  for (const [table, path] of run.tables) {
    await t.step(`${table}: documented schema, statistics, hyparquet agrees`, async () => {
      const documented = schemas.get(table);
      assert.ok(documented, `docs/schemas.md documents ${table}`);
      assertDocumentedSchema(path, await parquetSchemaOf(db, path), documented);
      const names = documented.map((column) => column.name);
      assert.deepEqual(await nullCounts(db, path, names), names.map(() => 0));
      await assertStatistics(db, path);
      assert.ok(await assertReadersAgree(db, path) > 0, `${table} has rows`);
    });
  }
  assert.equal(run.tables.size, 8);

  await t.step("aggregation tables: totals equal the clean parquet's", async () => {
    const total = await db.row(
      `SELECT count(*) AS orders, sum(quantity) AS units,
         sum(round(revenue * 100))::BIGINT AS cents,
         count(anomaly_flag) AS flagged,
         sum(round(revenue * 100)) FILTER (anomaly_flag IS NOT NULL)::BIGINT AS flagged_cents
       FROM read_parquet(${clean})`,
    );
    for (
      const table of [
        "daily_sales",
        "monthly_category_sales",
        "monthly_region_sales",
        "product_performance",
        "category_region_revenue",
        "discount_bands",
      ]
    ) {
      const sums = await db.row(
        `SELECT sum(orders) AS orders, sum(round(revenue * 100))::BIGINT AS cents
         FROM read_parquet(${sqlString(run.tables.get(table)!)})`,
      );
      assert.equal(sums.orders, total.orders, `${table}: orders`);
      assert.equal(sums.cents, total.cents, `${table}: revenue`);
    }
    const anomalies = await db.row(
      `SELECT sum(orders) AS orders, sum(round(revenue * 100))::BIGINT AS cents
       FROM read_parquet(${sqlString(run.tables.get("anomaly_summary")!)})`,
    );
    assert.equal(anomalies.orders, total.flagged);
    assert.equal(anomalies.cents, total.flagged_cents);
  });

  await t.step("daily_sales: every row recomputed in SQL from the clean parquet", async () => {
    const expected = await db.rows(
      `WITH days AS (
         SELECT DATE '1970-01-01' + (sale_date // 86400)::INTEGER AS date, quantity,
           round(revenue * 100)::BIGINT AS cents, discount_percent
         FROM read_parquet(${clean}))
       SELECT date, count(*) AS orders, sum(quantity)::BIGINT AS units,
         sum(cents) / 100 AS revenue,
         ((2 * sum(cents) + count(*)) // (2 * count(*))) / 100 AS avg_order_value,
         count(*) FILTER (discount_percent > 0) AS discounted_orders
       FROM days GROUP BY date ORDER BY date`,
    );
    assert.deepEqual(await parquetRowsOf(db, run.tables.get("daily_sales")!), expected);
  });

  await t.step("rejection_summary: the report's reasons and shares", async () => {
    const rows = await parquetRowsOf(db, run.tables.get("rejection_summary")!);
    const expected = Object.entries(report.reasons).filter(([, count]) => count > 0).map((
      [reason, count],
    ) => ({ rejection_reason: reason, rows: BigInt(count), share: count / report.input_rows }));
    assert.deepEqual(rows, expected);
  });
}
