/**
 * Every metric table `build-aggregations` writes, in the order they are listed and written. This is
 * the only list: the scan reads the union of their columns, workers build the same accumulators.
 */
import type { AggregationTable } from "./table.ts";
import { dailySales } from "./tables/daily_sales.ts";
import { monthlyCategorySales } from "./tables/monthly_category_sales.ts";
import { monthlyRegionSales } from "./tables/monthly_region_sales.ts";
import { productPerformance } from "./tables/product_performance.ts";
import { categoryRegionRevenue } from "./tables/category_region_revenue.ts";
import { discountBands } from "./tables/discount_bands.ts";
import { anomalySummary } from "./tables/anomaly_summary.ts";
import { rejectionSummary } from "./tables/rejection_summary.ts";

export const AGGREGATION_TABLES: readonly AggregationTable[] = [
  dailySales,
  monthlyCategorySales,
  monthlyRegionSales,
  productPerformance,
  categoryRegionRevenue,
  discountBands,
  anomalySummary,
  rejectionSummary,
];

/** The tables with these names, in the order given; an unknown name is a bug in the caller. */
export function tablesNamed(names: readonly string[]): AggregationTable[] {
  return names.map((name) => {
    const table = AGGREGATION_TABLES.find((candidate) => candidate.name === name);
    if (!table) throw new Error(`no aggregation table named ${name}`);
    return table;
  });
}
