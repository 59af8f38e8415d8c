/** `category_region_revenue`: one row per category × region. */
import { GroupTotals, type GroupTotalsState } from "../group_totals.ts";
import { amountFromCents } from "../money.ts";
import type { AggregationTable } from "../table.ts";
import { byLabels } from "./_sorting.ts";

const ORDERS = 0;
const REVENUE_CENTS = 1;

export const categoryRegionRevenue: AggregationTable = {
  name: "category_region_revenue",
  description: "per category and region: orders, revenue",
  columns: ["category", "region", "revenue"],
  createAccumulator(ids) {
    const totals = new GroupTotals(
      [
        { name: "category", kind: "string", column: "category" },
        { name: "region", kind: "string", column: "region" },
      ],
      ["orders", "revenue_cents"],
      ids,
    );
    return {
      add(batch) {
        const categories = batch.ids("category");
        const regions = batch.ids("region");
        const revenueCents = batch.cents("revenue");
        const sums = totals.sums;
        for (let row = 0; row < batch.rowCount; row++) {
          const slot = totals.pairSlot(categories[row], regions[row]);
          sums[ORDERS][slot] += 1;
          sums[REVENUE_CENTS][slot] += revenueCents[row];
        }
      },
      state: () => totals.toState(),
      merge: (state) => totals.mergeState(state as GroupTotalsState),
      result() {
        totals.assertExact("category_region_revenue");
        const entries = totals.entries().sort(byLabels);
        return [
          {
            name: "category",
            type: "STRING",
            values: entries.map((entry) => entry.labels[0] as string),
          },
          {
            name: "region",
            type: "STRING",
            values: entries.map((entry) => entry.labels[1] as string),
          },
          { name: "orders", type: "INT64", values: entries.map((entry) => entry.sums[ORDERS]) },
          {
            name: "revenue",
            type: "DOUBLE",
            values: entries.map((entry) => amountFromCents(entry.sums[REVENUE_CENTS])),
          },
        ];
      },
    };
  },
};
