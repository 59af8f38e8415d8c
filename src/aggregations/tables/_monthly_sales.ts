/** Monthly sales split by one string column: the shape of `monthly_category_sales` and `monthly_region_sales`. */
import { GroupTotals } from "../group_totals.ts";
import { totalsAccumulator } from "./_totals_accumulator.ts";
import type { AggregationTable } from "../table.ts";
import { countColumn, labelColumn, moneyColumn, monthColumn } from "./_columns.ts";

const ORDERS = 0;
const UNITS = 1;
const REVENUE_CENTS = 2;

export function monthlySalesBy(
  name: string,
  column: "category" | "region",
  description: string,
): AggregationTable {
  return {
    name,
    description,
    columns: ["sale_date", column, "quantity", "revenue"],
    createAccumulator(ids) {
      const totals = new GroupTotals(
        [{ name: "month", kind: "number" }, { name: column, kind: "string", column }],
        ["orders", "units", "revenue_cents"],
        ids,
      );
      return totalsAccumulator(name, totals, {
        add(batch) {
          const months = batch.months();
          const values = batch.ids(column);
          const quantity = batch.numbers("quantity");
          const revenueCents = batch.cents("revenue");
          const sums = totals.sums;
          for (let row = 0; row < batch.rowCount; row++) {
            const slot = totals.pairSlot(months[row], values[row]);
            sums[ORDERS][slot] += 1;
            sums[UNITS][slot] += quantity[row];
            sums[REVENUE_CENTS][slot] += revenueCents[row];
          }
        },
        columns: (entries) => [
          monthColumn("month", entries, 0),
          labelColumn(column, entries, 1),
          countColumn("orders", entries, ORDERS),
          countColumn("units", entries, UNITS),
          moneyColumn("revenue", entries, REVENUE_CENTS),
        ],
      });
    },
  };
}
