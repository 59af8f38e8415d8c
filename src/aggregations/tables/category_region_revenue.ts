/** `category_region_revenue`: one row per category × region. */
import { GroupTotals, type GroupTotalsState } from "../group_totals.ts";
import type { AggregationTable } from "../table.ts";
import { byLabels } from "./_sorting.ts";
import { countColumn, labelColumn, moneyColumn } from "./_columns.ts";

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
          labelColumn("category", entries, 0),
          labelColumn("region", entries, 1),
          countColumn("orders", entries, ORDERS),
          moneyColumn("revenue", entries, REVENUE_CENTS),
        ];
      },
    };
  },
};
