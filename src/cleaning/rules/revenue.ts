/**
 * Rule 9 (`invalid_calculated_revenue`) of docs/cleaning.md. The input's own `revenue` column is ignored:
 * revenue is always recomputed from the normalised quantity, unit price and discount.
 */

/** The highest valid revenue, inclusive. */
export const MAX_REVENUE = 1_000_000;

/**
 * `round(quantity × unitPrice × (1 − discount), 2)` exactly as docs/cleaning.md fixes it: JS doubles,
 * evaluated left to right, then `Math.round(x × 100) / 100`. Being doubles, `1.005` rounds to `1`
 * (1.005 × 100 is 100.49999…), the same answer every reader of the contract computes.
 */
export function computeRevenue(quantity: number, unitPrice: number, discount: number): number {
  return Math.round(quantity * unitPrice * (1 - discount) * 100) / 100;
}

/** Whether a computed revenue is within 0–1,000,000, inclusive. */
export function isValidRevenue(revenue: number): boolean {
  return revenue >= 0 && revenue <= MAX_REVENUE;
}
