/** `product_performance`: one row per product name × category, best sellers first. */
import { GroupTotals, type GroupTotalsState } from "../group_totals.ts";
import type { AggregationTable } from "../table.ts";
import { compareText } from "./_sorting.ts";
import { countColumn, labelColumn, meanMoneyColumn, moneyColumn } from "./_columns.ts";

const ORDERS = 0;
const UNITS = 1;
const REVENUE_CENTS = 2;
const PRICE_CENTS = 3;
const DISCOUNT_HIGH = 4;
const DISCOUNT_LOW = 5;

/**
 * Discounts (in [0, 1]) are summed as two whole numbers, so the mean does not depend on the order
 * of the rows: `high` counts units of 2^-23 and `low` units of 2^-52 (a discount's last bits).
 */
const HIGH_SCALE = 2 ** 23;
const LOW_SCALE = 2 ** 29;
/** Rows between carries of `low` into `high`: 2^20 × 2^29 stays far below 2^53. */
const CARRY_EVERY_ROWS = 1 << 20;

export const productPerformance: AggregationTable = {
  name: "product_performance",
  description:
    "per product name and category: orders, units, revenue, average unit price and discount",
  columns: ["product_name", "category", "quantity", "unit_price", "discount_percent", "revenue"],
  createAccumulator(ids) {
    const totals = new GroupTotals(
      [
        { name: "product_name", kind: "string", column: "product_name" },
        { name: "category", kind: "string", column: "category" },
      ],
      ["orders", "units", "revenue_cents", "price_cents", "discount_high", "discount_low"],
      ids,
    );
    return {
      add(batch) {
        const products = batch.ids("product_name");
        const categories = batch.ids("category");
        const quantity = batch.numbers("quantity");
        const priceCents = batch.cents("unit_price");
        const revenueCents = batch.cents("revenue");
        const discount = batch.numbers("discount_percent");
        const sums = totals.sums;
        for (let start = 0; start < batch.rowCount; start += CARRY_EVERY_ROWS) {
          const end = Math.min(batch.rowCount, start + CARRY_EVERY_ROWS);
          for (let row = start; row < end; row++) {
            const slot = totals.pairSlot(products[row], categories[row]);
            const scaled = discount[row] * HIGH_SCALE;
            const high = Math.floor(scaled);
            sums[ORDERS][slot] += 1;
            sums[UNITS][slot] += quantity[row];
            sums[REVENUE_CENTS][slot] += revenueCents[row];
            sums[PRICE_CENTS][slot] += priceCents[row];
            sums[DISCOUNT_HIGH][slot] += high;
            sums[DISCOUNT_LOW][slot] += Math.round((scaled - high) * LOW_SCALE);
          }
          totals.carry(DISCOUNT_LOW, DISCOUNT_HIGH, LOW_SCALE);
        }
      },
      state: () => totals.toState(),
      merge(state) {
        totals.mergeState(state as GroupTotalsState);
        totals.carry(DISCOUNT_LOW, DISCOUNT_HIGH, LOW_SCALE);
      },
      result() {
        totals.assertExact("product_performance");
        const entries = totals.entries().sort((left, right) =>
          right.sums[REVENUE_CENTS] - left.sums[REVENUE_CENTS] ||
          compareText(left.labels[0] as string, right.labels[0] as string) ||
          compareText(left.labels[1] as string, right.labels[1] as string)
        );
        return [
          labelColumn("product_name", entries, 0),
          labelColumn("category", entries, 1),
          countColumn("orders", entries, ORDERS),
          countColumn("units", entries, UNITS),
          moneyColumn("revenue", entries, REVENUE_CENTS),
          meanMoneyColumn("avg_unit_price", entries, PRICE_CENTS, ORDERS),
          {
            name: "avg_discount",
            type: "DOUBLE",
            values: entries.map((entry) =>
              (entry.sums[DISCOUNT_HIGH] + entry.sums[DISCOUNT_LOW] / LOW_SCALE) / HIGH_SCALE /
              entry.sums[ORDERS]
            ),
          },
        ];
      },
    };
  },
};
