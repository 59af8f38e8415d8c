/** `monthly_category_sales`: one row per month × category. */
import { monthlySalesBy } from "./_monthly_sales.ts";

export const monthlyCategorySales = monthlySalesBy(
  "monthly_category_sales",
  "category",
  "per month and category: orders, units, revenue",
);
