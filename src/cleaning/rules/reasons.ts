/**
 * The names a row can be rejected or flagged under (docs/cleaning.md). They appear verbatim in the
 * rejected CSV's `rejection_reason` column, the report's `reasons` and `anomalies` objects and the
 * dashboard, so they are part of the contract: add, never rename.
 */

/**
 * Every rejection reason, in rule order: `malformed_row` is checked first, and the first rule a row
 * fails names it. The report lists all of them in this order, zeros included.
 */
export const REJECTION_REASONS = [
  "malformed_row",
  "missing_order_id",
  "missing_product_name",
  "duplicate_order_id",
  "invalid_quantity",
  "zero_quantity",
  "invalid_unit_price",
  "unknown_category",
  "unknown_region",
  "invalid_sale_date",
  "sale_date_out_of_range",
  "invalid_calculated_revenue",
] as const;

/** One rejection reason: the name in `rejection_reason` and the report. */
export type RejectionReason = typeof REJECTION_REASONS[number];

/** Flags a clean row can carry in `anomaly_flag`; the report counts each, zeros included. */
export const ANOMALY_FLAGS = ["heavy_discount"] as const;

export type AnomalyFlag = typeof ANOMALY_FLAGS[number];
