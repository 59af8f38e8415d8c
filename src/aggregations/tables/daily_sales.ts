/** `daily_sales`: one row per sale day. */
import { GroupTotals } from "../group_totals.ts";
import { totalsAccumulator } from "./_totals_accumulator.ts";
import type { AggregationTable } from "../table.ts";
import { countColumn, meanMoneyColumn, moneyColumn } from "./_columns.ts";

const ORDERS = 0;
const UNITS = 1;
const REVENUE_CENTS = 2;
const DISCOUNTED_ORDERS = 3;

export const dailySales: AggregationTable = {
  name: "daily_sales",
  description: "per sale day: orders, units, revenue, average order value, discounted orders",
  columns: ["sale_date", "quantity", "revenue", "discount_percent"],
  createAccumulator(ids) {
    const totals = new GroupTotals(
      [{ name: "date", kind: "number" }],
      ["orders", "units", "revenue_cents", "discounted_orders"],
      ids,
    );
    return totalsAccumulator("daily_sales", totals, {
      add(batch) {
        const days = batch.days();
        const quantity = batch.numbers("quantity");
        const revenueCents = batch.cents("revenue");
        const discount = batch.numbers("discount_percent");
        const sums = totals.sums;
        for (let row = 0; row < batch.rowCount; row++) {
          const slot = totals.slot(days[row]);
          sums[ORDERS][slot] += 1;
          sums[UNITS][slot] += quantity[row];
          sums[REVENUE_CENTS][slot] += revenueCents[row];
          if (discount[row] > 0) sums[DISCOUNTED_ORDERS][slot] += 1;
        }
      },
      columns: (entries) => [
        { name: "date", type: "DATE", values: entries.map((entry) => entry.labels[0] as number) },
        countColumn("orders", entries, ORDERS),
        countColumn("units", entries, UNITS),
        moneyColumn("revenue", entries, REVENUE_CENTS),
        meanMoneyColumn("avg_order_value", entries, REVENUE_CENTS, ORDERS),
        countColumn("discounted_orders", entries, DISCOUNTED_ORDERS),
      ],
    });
  },
};
