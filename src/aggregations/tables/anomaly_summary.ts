/** `anomaly_summary`: one row per month × anomaly flag, flagged rows only. */
import { GroupTotals } from "../group_totals.ts";
import { totalsAccumulator } from "./_totals_accumulator.ts";
import type { AggregationTable } from "../table.ts";
import { countColumn, labelColumn, moneyColumn, monthColumn } from "./_columns.ts";

const ORDERS = 0;
const REVENUE_CENTS = 1;

export const anomalySummary: AggregationTable = {
  name: "anomaly_summary",
  description: "per month and anomaly flag (flagged rows only): orders, revenue",
  columns: ["sale_date", "anomaly_flag", "revenue"],
  createAccumulator(ids) {
    const totals = new GroupTotals(
      [
        { name: "month", kind: "number" },
        { name: "anomaly_flag", kind: "string", column: "anomaly_flag" },
      ],
      ["orders", "revenue_cents"],
      ids,
    );
    return totalsAccumulator("anomaly_summary", totals, {
      add(batch) {
        const flags = batch.ids("anomaly_flag");
        const months = batch.months();
        const revenueCents = batch.cents("revenue");
        const sums = totals.sums;
        for (let row = 0; row < batch.rowCount; row++) {
          if (flags[row] < 0) continue;
          const slot = totals.pairSlot(months[row], flags[row]);
          sums[ORDERS][slot] += 1;
          sums[REVENUE_CENTS][slot] += revenueCents[row];
        }
      },
      columns: (entries) => [
        monthColumn("month", entries, 0),
        labelColumn("anomaly_flag", entries, 1),
        countColumn("orders", entries, ORDERS),
        moneyColumn("revenue", entries, REVENUE_CENTS),
      ],
    });
  },
};
