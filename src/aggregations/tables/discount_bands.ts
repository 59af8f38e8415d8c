/** `discount_bands`: one row per discount band that has orders, from `none` to `90-100%`. */
import { GroupTotals } from "../group_totals.ts";
import { totalsAccumulator } from "./_totals_accumulator.ts";
import { amountFromCents } from "../money.ts";
import type { AggregationTable } from "../table.ts";

const ORDERS = 0;
const REVENUE_CENTS = 1;
const DISCOUNT_GIVEN_CENTS = 2;

/** Band 0 is `none` (a discount of exactly 0); band k + 1 is [k/10, (k+1)/10), the last [0.9, 1]. */
export const DISCOUNT_BAND_LABELS = [
  "none",
  "0-10%",
  "10-20%",
  "20-30%",
  "30-40%",
  "40-50%",
  "50-60%",
  "60-70%",
  "70-80%",
  "80-90%",
  "90-100%",
] as const;

/**
 * The lower edges of bands 2 … 10, as the doubles written 0.1 … 0.9 (docs/cleaning.md). Comparing with
 * them keeps 0.8999999999999999 in `80-90%`, where `floor(d × 10)` would say `90-100%` (its
 * product rounds up to exactly 9).
 */
const BAND_EDGES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** The band index of a clamped discount (0 … 1). */
export function discountBand(discount: number): number {
  if (discount === 0) return 0;
  let band = 1;
  while (band <= BAND_EDGES.length && discount >= BAND_EDGES[band - 1]) band++;
  return band;
}

export const discountBands: AggregationTable = {
  name: "discount_bands",
  description: "per discount band: orders, revenue, discount given",
  columns: ["quantity", "unit_price", "discount_percent", "revenue"],
  createAccumulator(ids) {
    const totals = new GroupTotals(
      [{ name: "band", kind: "number" }],
      ["orders", "revenue_cents", "discount_given_cents"],
      ids,
    );
    // Slots 0 … 10 are the bands themselves, so the hot loop indexes without a lookup.
    for (let band = 0; band < DISCOUNT_BAND_LABELS.length; band++) totals.slot(band);
    return totalsAccumulator("discount_bands", totals, {
      add(batch) {
        const quantity = batch.numbers("quantity");
        const price = batch.numbers("unit_price");
        const discount = batch.numbers("discount_percent");
        const revenueCents = batch.cents("revenue");
        const [orders, revenue, discountGiven] = totals.sums;
        for (let row = 0; row < batch.rowCount; row++) {
          const rowDiscount = discount[row];
          const band = discountBand(rowDiscount);
          orders[band] += 1;
          revenue[band] += revenueCents[row];
          if (rowDiscount > 0) {
            discountGiven[band] += Math.round(quantity[row] * price[row] * rowDiscount * 100);
          }
        }
      },
      order: (entries) =>
        entries
          .filter((entry) => entry.sums[ORDERS] > 0)
          .sort((left, right) => (left.labels[0] as number) - (right.labels[0] as number)),
      columns: (entries) => [
        {
          name: "band",
          type: "STRING",
          values: entries.map((entry) => DISCOUNT_BAND_LABELS[entry.labels[0] as number]),
        },
        { name: "orders", type: "INT64", values: entries.map((entry) => entry.sums[ORDERS]) },
        {
          name: "revenue",
          type: "DOUBLE",
          values: entries.map((entry) => amountFromCents(entry.sums[REVENUE_CENTS])),
        },
        {
          name: "discount_given",
          type: "DOUBLE",
          values: entries.map((entry) => amountFromCents(entry.sums[DISCOUNT_GIVEN_CENTS])),
        },
      ],
    });
  },
};
