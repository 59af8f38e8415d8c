/**
 * Bench stage `build-aggregations`: all metric tables from the clean parquet that the clean stage
 * left in the work directory (`<workDir>/clean/dirty_<label>_clean.parquet`).
 *
 * When that parquet is missing (the stage run alone), `prepare` makes one: with `clean-data` when
 * the generate stage's dirty CSV is there, else a synthetic clean parquet of the same schema and
 * shape (row groups of 200k rows, the value distributions of clean data) with a report of no
 * rejections, so the stage can be measured on its own. The time is the command's `duration_s`.
 */
import { dirname, join } from "node:path";
import { type BenchStage, runDpd, sizeLabel } from "../harness.ts";
import { REJECTION_REASONS } from "../../src/cleaning/rules/reasons.ts";
import { CLEAN_COLUMNS, SECONDS_PER_DAY } from "../../src/cleaning/clean_schema.ts";
import { ParquetStreamWriter } from "../../src/io/parquet_write.ts";

/** Same as the clean stage's, so all stages share one data set. */
const AS_OF = "2026-11-28";

/** Where the clean stage leaves its parquet. */
function cleanParquetPath(workDir: string, rows: number): string {
  return join(workDir, "clean", `dirty_${sizeLabel(rows)}_clean.parquet`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

const CATEGORIES = [
  "Electronics",
  "Clothing",
  "Home & Garden",
  "Sports",
  "Books",
  "Toys",
  "Beauty",
  "Grocery",
];
const REGIONS = [
  "North America",
  "South America",
  "Europe",
  "Asia",
  "Africa",
  "Oceania",
  "Middle East",
];
const DOMAINS = ["example.com", "mail.com", "shop.net", "inbox.org"];

/** A small seeded PRNG (mulberry32): the file depends only on rows and seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A letter swapped, dropped or doubled, as the dirty generator's typos. */
function withTypo(name: string, random: () => number): string {
  const at = 1 + Math.floor(random() * (name.length - 2));
  const kind = Math.floor(random() * 3);
  if (kind === 0) return name.slice(0, at) + name[at + 1] + name[at] + name.slice(at + 2);
  if (kind === 1) return name.slice(0, at) + name.slice(at + 1);
  return name.slice(0, at) + name[at] + name.slice(at);
}

/**
 * Writes a clean parquet with `CLEAN_COLUMNS` and values shaped like `clean-data`'s output:
 * 120 products (5% with typos), 8 categories (10% mislabelled), 7 regions, 730 days, a half of
 * rows discounted, 0.5% heavy discounts, 15% null emails.
 */
export async function writeSyntheticCleanParquet(
  path: string,
  rows: number,
  seed = 42,
  rowGroupSize = 200_000,
): Promise<void> {
  const random = seededRandom(seed);
  const products = CATEGORIES.flatMap((category, categoryIndex) =>
    Array.from({ length: 15 }, (_, index) => ({
      name: `${category.split(" ")[0]} Item ${String.fromCharCode(65 + index)}${categoryIndex}`,
      category,
      basePrice: 5 + categoryIndex * 40 + index * 7,
    }))
  );
  const lastDay = Math.floor(Date.UTC(2025, 5, 30) / 86_400_000);
  const writer = await ParquetStreamWriter.create(path, CLEAN_COLUMNS, { rowGroupSize });
  try {
    for (let groupStart = 0; groupStart < rows; groupStart += rowGroupSize) {
      const count = Math.min(rowGroupSize, rows - groupStart);
      const orderId: string[] = new Array(count);
      const productName: string[] = new Array(count);
      const category: string[] = new Array(count);
      const quantity = new Float64Array(count);
      const unitPrice = new Float64Array(count);
      const discount = new Float64Array(count);
      const region: string[] = new Array(count);
      const saleDate = new Float64Array(count);
      const email: (string | null)[] = new Array(count);
      const revenue = new Float64Array(count);
      const anomaly: (string | null)[] = new Array(count);
      for (let row = 0; row < count; row++) {
        const product = products[Math.floor(random() * products.length)];
        orderId[row] = `ORD-${String(groupStart + row + 1).padStart(9, "0")}`;
        productName[row] = random() < 0.05 ? withTypo(product.name, random) : product.name;
        category[row] = random() < 0.1
          ? CATEGORIES[Math.floor(random() * CATEGORIES.length)]
          : product.category;
        const q = random() < 0.005
          ? 1_000 + Math.floor(random() * 99_000)
          : 1 + Math.floor(random() * random() * 10);
        const p = Math.round(product.basePrice * (0.5 + random()) * 100) / 100;
        const roll = random();
        const d = roll < 0.5
          ? 0
          : roll < 0.99
          ? Math.round(random() * 30) / 100
          : roll < 0.995
          ? Math.round((0.85 + random() * 0.14) * 100) / 100
          : 1;
        quantity[row] = q;
        unitPrice[row] = p;
        discount[row] = d;
        region[row] = REGIONS[Math.floor(random() * REGIONS.length)];
        saleDate[row] = (lastDay - Math.floor(random() * random() * 730)) * SECONDS_PER_DAY;
        email[row] = random() < 0.15
          ? null
          : `user${Math.floor(random() * 100_000)}@${DOMAINS[row % DOMAINS.length]}`;
        revenue[row] = Math.round(q * p * (1 - d) * 100) / 100;
        anomaly[row] = d > 0.8 ? "heavy_discount" : null;
      }
      writer.writeRowGroup({
        order_id: orderId,
        product_name: productName,
        category,
        quantity,
        unit_price: unitPrice,
        discount_percent: discount,
        region,
        sale_date: saleDate,
        customer_email: email,
        revenue,
        anomaly_flag: anomaly,
      });
    }
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** The report `build-aggregations` reads beside a synthetic parquet: no rows were rejected. */
async function writeSyntheticReport(workDir: string, label: string, rows: number): Promise<void> {
  const reasons = Object.fromEntries(REJECTION_REASONS.map((reason) => [reason, 0]));
  const report = {
    input_rows: rows,
    clean_rows: rows,
    rejected_rows: 0,
    reasons,
    anomalies: { heavy_discount: 0 },
    lookups: {},
    as_of: AS_OF,
    duration_s: 0,
    rows_per_s: 0,
    peak_rss_bytes: 0,
    input: "(synthetic)",
    output: cleanParquetPath(workDir, rows),
    rejected: null,
  };
  await Deno.mkdir(join(workDir, "reports"), { recursive: true });
  await Deno.writeTextFile(
    join(workDir, "reports", `dirty_${label}_clean_report.json`),
    `${JSON.stringify(report, null, 2)}\n`,
  );
}

export const aggregateStage: BenchStage = {
  name: "build-aggregations",
  async prepare({ rows, workDir }) {
    const parquet = cleanParquetPath(workDir, rows);
    if (await exists(parquet)) return;
    const label = sizeLabel(rows);
    // The generate stage's dirty file, cleaned as the clean stage does.
    const csv = join(workDir, `dirty_${label}.csv`);
    if (await exists(csv)) {
      try {
        await runDpd(["clean-data", "--input", csv, "--data-dir", workDir, "--as-of", AS_OF]);
        if (await exists(parquet)) return;
      } catch (error) {
        console.error(`  (clean-data failed, so a synthetic parquet is used: ${error})`);
      }
    }
    console.error(`  (no clean parquet: writing a synthetic one of ${label} rows)`);
    await Deno.mkdir(dirname(parquet), { recursive: true });
    await writeSyntheticCleanParquet(parquet, rows);
    await writeSyntheticReport(workDir, label, rows);
  },
  async run({ rows, workDir }) {
    const parquet = cleanParquetPath(workDir, rows);
    const { summary } = await runDpd([
      "build-aggregations",
      "--cleaned",
      parquet,
      "--data-dir",
      workDir,
    ]);
    return {
      seconds: summary.duration_s,
      rows: summary.rows as number,
      bytes: (await Deno.stat(parquet)).size,
      peakRssBytes: summary.peak_rss_bytes,
    };
  },
};
