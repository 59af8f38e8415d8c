/**
 * The columns of a sales CSV, in the generator's file order: the contract between whatever writes
 * sales CSVs (`generate-data`, an export) and whatever reads them (`clean-data`, the lookup
 * builders). To readers they are roles that an export's columns play, found by name or by an
 * explicit mapping, in any order (`column_roles.ts`).
 *
 * @example Write a sales CSV header
 * ```ts
 * import { csvLine } from "./csv_write.ts";
 *
 * await Deno.writeTextFile("sales.csv", csvLine(SALES_CSV_COLUMNS));
 * const role: SalesCsvColumn = "revenue";
 * console.log(SALES_CSV_COLUMNS.indexOf(role)); // 9
 * ```
 */
export const SALES_CSV_COLUMNS = [
  "order_id",
  "product_name",
  "category",
  "quantity",
  "unit_price",
  "discount_percent",
  "region",
  "sale_date",
  "customer_email",
  "revenue",
] as const;

/** The name of one sales CSV column. */
export type SalesCsvColumn = typeof SALES_CSV_COLUMNS[number];
