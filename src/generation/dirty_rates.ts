/**
 * How often dirty mode damages each field: docs/generation.md's dirty-mode table as numbers (shares of all rows).
 * Within a field the defects are mutually exclusive; fields are damaged independently.
 */
export const DIRTY_RATES = {
  orderId: { duplicate: 0.01, blank: 0.001 },
  productName: { typo: 0.05, blank: 0.001 },
  /** `typo` is 20% of the 90% not mislabelled. */
  category: { mislabelled: 0.10, typo: 0.18, junk: 0.01 },
  quantity: { zero: 0.01, negative: 0.01, oversized: 0.005, nonNumeric: 0.01 },
  unitPrice: { invalid: 0.003 },
  discount: { extreme: 0.005, bad: 0.01 },
  region: { variant: 0.15, unknown: 0.01 },
  saleDate: { blank: 0.03, otherFormat: 0.10, junk: 0.01, outOfRange: 0.005 },
  /** `capitals` applies to the emails that are neither blank nor malformed. */
  customerEmail: { blank: 0.15, malformed: 0.05, capitals: 0.10 },
} as const;

/** How far back a duplicate order ID reaches: one of the last this many IDs issued. */
export const DUPLICATE_WINDOW = 1000;

/** Sale dates fall in the this many days ending on the as-of day (both ends included). */
export const SALE_DATE_WINDOW_DAYS = 730;
