/** `monthly_region_sales`: one row per month × region. */
import { monthlySalesBy } from "./_monthly_sales.ts";

export const monthlyRegionSales = monthlySalesBy(
  "monthly_region_sales",
  "region",
  "per month and region: orders, units, revenue",
);
