/**
 * The columns of a sales CSV (docs/generation.md), in the generator's file order: the contract between
 * whatever writes sales CSVs (`generate-data`, an export) and whatever reads them (`clean-data`,
 * the lookup builders). Readers find them by name, in any order.
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

export type SalesCsvColumn = typeof SALES_CSV_COLUMNS[number];
