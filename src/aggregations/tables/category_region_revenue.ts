/** `category_region_revenue`: one row per category × region. */
import { GroupTotals } from "../group_totals.ts";
import { totalsAccumulator } from "./_totals_accumulator.ts";
import type { AggregationTable } from "../table.ts";
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
    return totalsAccumulator("category_region_revenue", totals, {
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
      columns: (entries) => [
        labelColumn("category", entries, 0),
        labelColumn("region", entries, 1),
        countColumn("orders", entries, ORDERS),
        moneyColumn("revenue", entries, REVENUE_CENTS),
      ],
    });
  },
};
