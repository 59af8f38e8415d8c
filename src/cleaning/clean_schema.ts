/**
 * The clean parquet's columns (docs/cleaning.md): the contract between `clean-data` and everything that
 * reads its output (aggregations, the dashboard, people downstream).
 */

export interface CleanColumn {
  name: string;
  /** hyparquet-writer's type name. */
  type: "STRING" | "INT64" | "DOUBLE";
  nullable: boolean;
}

export const CLEAN_COLUMNS = [
  { name: "order_id", type: "STRING", nullable: false },
  { name: "product_name", type: "STRING", nullable: false },
  { name: "category", type: "STRING", nullable: false },
  { name: "quantity", type: "INT64", nullable: false },
  { name: "unit_price", type: "DOUBLE", nullable: false },
  { name: "discount_percent", type: "DOUBLE", nullable: false },
  { name: "region", type: "STRING", nullable: false },
  /** Unix epoch seconds of the sale day at UTC midnight. */
  { name: "sale_date", type: "INT64", nullable: false },
  { name: "customer_email", type: "STRING", nullable: true },
  { name: "revenue", type: "DOUBLE", nullable: false },
  { name: "anomaly_flag", type: "STRING", nullable: true },
] as const satisfies readonly CleanColumn[];

export type CleanColumnName = typeof CLEAN_COLUMNS[number]["name"];

/** Seconds in a day: `sale_date` is days since 1970-01-01 times this. */
export const SECONDS_PER_DAY = 86_400;

/** The clean parquet path for an input: `data/clean/<stem>_clean.parquet`. */
export function inputStem(inputPath: string): string {
  const name = inputPath.split(/[\\/]/).at(-1) ?? inputPath;
  return name.replace(/\.csv\.gz$/i, "").replace(/\.gz$/i, "").replace(/\.csv$/i, "");
}
