/**
 * The aggregation tables computed the plainest way, row by row with string keys and BigInt money,
 * straight from docs/cleaning.md: what `build-aggregations` must equal. Deliberately shares no code with
 * `src/aggregations/`.
 */
import type { CleanRow } from "./_clean_fixture.ts";

export type TableRow = Record<string, string | number>;

const cents = (amount: number) => BigInt(Math.round(amount * 100));
/** round-half-up(numerator / denominator), exactly. */
const roundHalfUp = (numerator: bigint, denominator: bigint) =>
  (2n * numerator + denominator) / (2n * denominator);
const amount = (value: bigint) => Number(value) / 100;
const isoDay = (seconds: number) =>
  new Date(Math.floor(seconds / 86_400) * 86_400_000).toISOString().slice(0, 10);
const isoMonth = (seconds: number) => isoDay(seconds).slice(0, 7);

function band(discount: number): string {
  if (discount === 0) return "none";
  if (discount < 0.1) return "0-10%";
  if (discount < 0.2) return "10-20%";
  if (discount < 0.3) return "20-30%";
  if (discount < 0.4) return "30-40%";
  if (discount < 0.5) return "40-50%";
  if (discount < 0.6) return "50-60%";
  if (discount < 0.7) return "60-70%";
  if (discount < 0.8) return "70-80%";
  if (discount < 0.9) return "80-90%";
  return "90-100%";
}

interface Totals {
  orders: number;
  units: number;
  revenue: bigint;
  priceCents: bigint;
  discountSum: number;
  discounted: number;
  discountGiven: bigint;
}

function groupBy(rows: readonly CleanRow[], key: (row: CleanRow) => string[]) {
  const groups = new Map<string, { labels: string[]; totals: Totals }>();
  for (const row of rows) {
    const labels = key(row);
    const id = JSON.stringify(labels);
    let group = groups.get(id);
    if (!group) {
      group = {
        labels,
        totals: {
          orders: 0,
          units: 0,
          revenue: 0n,
          priceCents: 0n,
          discountSum: 0,
          discounted: 0,
          discountGiven: 0n,
        },
      };
      groups.set(id, group);
    }
    const totals = group.totals;
    totals.orders += 1;
    totals.units += row.quantity;
    totals.revenue += cents(row.revenue);
    totals.priceCents += cents(row.unit_price);
    totals.discountSum += row.discount_percent;
    if (row.discount_percent > 0) totals.discounted += 1;
    totals.discountGiven += BigInt(
      Math.round(row.quantity * row.unit_price * row.discount_percent * 100),
    );
  }
  return [...groups.values()];
}

export function referenceTables(
  rows: readonly CleanRow[],
  report: { inputRows: number; reasons: Record<string, number> },
): Record<string, TableRow[]> {
  return {
    daily_sales: groupBy(rows, (row) => [isoDay(row.sale_date)]).map(({ labels, totals }) => ({
      date: labels[0],
      orders: totals.orders,
      units: totals.units,
      revenue: amount(totals.revenue),
      avg_order_value: amount(roundHalfUp(totals.revenue, BigInt(totals.orders))),
      discounted_orders: totals.discounted,
    })),
    monthly_category_sales: groupBy(rows, (row) => [isoMonth(row.sale_date), row.category]).map((
      { labels, totals },
    ) => ({
      month: labels[0],
      category: labels[1],
      orders: totals.orders,
      units: totals.units,
      revenue: amount(totals.revenue),
    })),
    monthly_region_sales: groupBy(rows, (row) => [isoMonth(row.sale_date), row.region]).map((
      { labels, totals },
    ) => ({
      month: labels[0],
      region: labels[1],
      orders: totals.orders,
      units: totals.units,
      revenue: amount(totals.revenue),
    })),
    product_performance: groupBy(rows, (row) => [row.product_name, row.category]).map((
      { labels, totals },
    ) => ({
      product_name: labels[0],
      category: labels[1],
      orders: totals.orders,
      units: totals.units,
      revenue: amount(totals.revenue),
      avg_unit_price: amount(roundHalfUp(totals.priceCents, BigInt(totals.orders))),
      avg_discount: totals.discountSum / totals.orders,
    })),
    category_region_revenue: groupBy(rows, (row) => [row.category, row.region]).map((
      { labels, totals },
    ) => ({
      category: labels[0],
      region: labels[1],
      orders: totals.orders,
      revenue: amount(totals.revenue),
    })),
    discount_bands: groupBy(rows, (row) => [band(row.discount_percent)]).map((
      { labels, totals },
    ) => ({
      band: labels[0],
      orders: totals.orders,
      revenue: amount(totals.revenue),
      discount_given: amount(totals.discountGiven),
    })),
    anomaly_summary: groupBy(
      rows.filter((row) => row.anomaly_flag !== null),
      (row) => [isoMonth(row.sale_date), row.anomaly_flag!],
    ).map(({ labels, totals }) => ({
      month: labels[0],
      anomaly_flag: labels[1],
      orders: totals.orders,
      revenue: amount(totals.revenue),
    })),
    rejection_summary: Object.entries(report.reasons).filter(([, count]) => count > 0).map((
      [reason, count],
    ) => ({ rejection_reason: reason, rows: count, share: count / report.inputRows })),
  };
}
