/**
 * A clean parquet for the aggregation tests, written straight with hyparquet-writer (not dpd's own
 * writer) in the schema of `CLEAN_COLUMNS`, plus its clean report, in a temporary workspace.
 *
 * Rows are kept in memory as plain objects so the tests can compute every table row by row.
 * They include the edges the tables must get right: discounts of exactly 0, 0.1, 0.3, 0.8, 0.9
 * and 1 and just below 0.9, heavy discounts, revenue on half cents, null emails, sale days before 1970, a product
 * name with a comma and a quote, and several row groups of several pages each.
 */
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { CLEAN_COLUMNS } from "../../src/cleaning/clean_schema.ts";
import { seededRandom } from "../_seeded_random.ts";

export interface CleanRow {
  order_id: string;
  product_name: string;
  category: string;
  quantity: number;
  unit_price: number;
  discount_percent: number;
  region: string;
  /** Epoch seconds at UTC midnight. */
  sale_date: number;
  customer_email: string | null;
  revenue: number;
  anomaly_flag: string | null;
}

const PRODUCTS = [
  ["Laptop Pro 14", "Electronics"],
  ["Laptop Pro 41", "Electronics"],
  ['Monitor 27", matte', "Electronics"],
  ["Trail Shoes", "Sports"],
  ["Yoga Mat", "Sports"],
  ["Café Crème Mug", "Home & Garden"],
  ["Garden Hose", "Home & Garden"],
  ["Novel", "Books"],
] as const;
const CATEGORIES = ["Electronics", "Sports", "Home & Garden", "Books"];
const REGIONS = ["Europe", "Asia", "North America"];
/** 0.8999999999999999 is the one double where `floor(d × 10)` and comparing with 0.9 disagree. */
const EDGE_DISCOUNTS = [0, 0.1, 0.3, 0.8, 0.85, 0.9, 1, 0.05, 0.8999999999999999, 0.7];
/** Revenues on and around half cents: the per-row rounding must happen before summing. */
const EDGE_REVENUES = [0.005, 0.015, 1.005, 2.675, 0.125, 10.115, 0];

/** `count` clean rows with the edge values spread through them. */
export function makeCleanRows(count: number, seed = 7): CleanRow[] {
  const random = seededRandom(seed);
  const firstDay = Math.floor(Date.UTC(1969, 10, 20) / 86_400_000);
  const rows: CleanRow[] = [];
  for (let index = 0; index < count; index++) {
    const [product, productCategory] = PRODUCTS[Math.floor(random() * PRODUCTS.length)];
    // One row in eight carries a mislabelled category, as clean data does.
    const category = index % 8 === 5 ? CATEGORIES[index % CATEGORIES.length] : productCategory;
    const quantity = index % 97 === 0 ? 100_000 : 1 + Math.floor(random() * 9);
    const unitPrice = index % 13 === 0
      ? 0.005 * (1 + (index % 5))
      : Math.round(random() * 500_00) / 100;
    const discount = index % 3 === 0
      ? EDGE_DISCOUNTS[index % EDGE_DISCOUNTS.length]
      : Math.round(random() * 1000) / 1000;
    const day = firstDay + Math.floor(random() * 500);
    const revenue = index % 11 === 0
      ? EDGE_REVENUES[index % EDGE_REVENUES.length]
      : Math.round(quantity * unitPrice * (1 - discount) * 100) / 100;
    rows.push({
      order_id: `ORD-${String(index + 1).padStart(9, "0")}`,
      product_name: product,
      category,
      quantity,
      unit_price: unitPrice,
      discount_percent: discount,
      region: REGIONS[Math.floor(random() * REGIONS.length)],
      sale_date: day * 86_400,
      customer_email: index % 4 === 0 ? null : `buyer${index}@example.com`,
      revenue,
      anomaly_flag: discount > 0.8 ? "heavy_discount" : null,
    });
  }
  return rows;
}

/** The parquet bytes of `rows` in the clean schema, in row groups of `rowGroupSize`. */
export function cleanParquetBytes(
  rows: readonly CleanRow[],
  rowGroupSize: number,
  pageSize = 4_096,
): ArrayBuffer {
  const columnData = CLEAN_COLUMNS.map((column) => {
    const values = rows.map((row) => row[column.name]);
    const data = column.type === "INT64"
      ? BigInt64Array.from(values as number[], (value) => BigInt(value))
      : column.type === "DOUBLE"
      ? Float64Array.from(values as number[])
      : values;
    return { name: column.name, type: column.type, nullable: column.nullable, data };
  });
  return parquetWriteBuffer({ columnData, rowGroupSize, pageSize });
}

export interface CleanWorkspace {
  dataDir: string;
  parquetPath: string;
  reportPath: string;
  rows: CleanRow[];
  /** Rejected rows by reason, as written in the report. */
  reasons: Record<string, number>;
  inputRows: number;
}

/**
 * A temporary workspace holding `<dataDir>/clean/<stem>_clean.parquet` and
 * `<dataDir>/reports/<stem>_clean_report.json`.
 */
export async function makeCleanWorkspace(
  options: { rows?: number; rowGroupSize?: number; stem?: string } = {},
): Promise<CleanWorkspace> {
  const rows = makeCleanRows(options.rows ?? 5_000);
  const stem = options.stem ?? "dirty_test";
  const dataDir = await Deno.makeTempDir({ prefix: "dpd_aggregations_" });
  await Deno.mkdir(join(dataDir, "clean"));
  await Deno.mkdir(join(dataDir, "reports"));
  const parquetPath = join(dataDir, "clean", `${stem}_clean.parquet`);
  await Deno.writeFile(
    parquetPath,
    new Uint8Array(cleanParquetBytes(rows, options.rowGroupSize ?? 1_200)),
  );
  const reasons: Record<string, number> = {
    malformed_row: 2,
    missing_order_id: 0,
    missing_product_name: 1,
    duplicate_order_id: 40,
    invalid_quantity: 17,
    zero_quantity: 0,
    invalid_unit_price: 3,
    unknown_category: 25,
    unknown_region: 9,
    invalid_sale_date: 30,
    sale_date_out_of_range: 4,
    invalid_calculated_revenue: 0,
  };
  const rejectedRows = Object.values(reasons).reduce((sum, value) => sum + value, 0);
  const inputRows = rows.length + rejectedRows;
  const reportPath = join(dataDir, "reports", `${stem}_clean_report.json`);
  const report = {
    input_rows: inputRows,
    clean_rows: rows.length,
    rejected_rows: rejectedRows,
    reasons,
    anomalies: { heavy_discount: rows.filter((row) => row.anomaly_flag).length },
    lookups: {},
    as_of: "1971-06-30",
    duration_s: 0.1,
    rows_per_s: 50_000,
    peak_rss_bytes: 1,
    input: `data/input/${stem}.csv`,
    output: parquetPath,
    rejected: `data/rejected/${stem}_rejected.csv`,
  };
  await Deno.writeTextFile(reportPath, JSON.stringify(report, null, 2));
  return { dataDir, parquetPath, reportPath, rows, reasons, inputRows };
}
