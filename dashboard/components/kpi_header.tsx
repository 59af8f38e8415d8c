/** The KPI strip on every page: revenue, orders, units, average order value, rejection rate. */
import { formatCount, formatValue } from "../shared/format.ts";
import type { Kpis } from "../lib/overview.ts";

const COMPACT_MONEY = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  notation: "compact",
  maximumFractionDigits: 2,
});
const COMPACT = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 2 });

function Kpi(
  { label, value, detail, id, tone }: {
    label: string;
    value: string;
    detail?: string;
    id: string;
    tone?: "warn";
  },
) {
  return (
    <div class={`kpi${tone ? ` ${tone}` : ""}`} id={`kpi-${id}`}>
      <dt class="kpi-label">{label}</dt>
      <dd class="kpi-value">{value}</dd>
      {detail && <dd class="kpi-detail">{detail}</dd>}
    </div>
  );
}

export function KpiHeader({ kpis }: { kpis: Kpis }) {
  const missing = "—";
  const rate = kpis.rejectionRate;
  return (
    <dl class="kpis" aria-label="Key figures">
      <Kpi
        id="revenue"
        label="Revenue"
        value={kpis.revenue === undefined ? missing : COMPACT_MONEY.format(kpis.revenue)}
        detail={kpis.revenue === undefined ? undefined : `$${formatValue(kpis.revenue, "money")}`}
      />
      <Kpi
        id="orders"
        label="Orders"
        value={kpis.orders === undefined ? missing : COMPACT.format(kpis.orders)}
        detail={kpis.orders === undefined ? undefined : formatCount(kpis.orders)}
      />
      <Kpi
        id="units"
        label="Units"
        value={kpis.units === undefined ? missing : COMPACT.format(kpis.units)}
        detail={kpis.units === undefined ? undefined : formatCount(kpis.units)}
      />
      <Kpi
        id="aov"
        label="Avg order value"
        value={kpis.averageOrderValue === undefined
          ? missing
          : `$${formatValue(kpis.averageOrderValue, "money")}`}
        detail="revenue ÷ orders"
      />
      <Kpi
        id="rejection-rate"
        label="Rejection rate"
        value={rate === undefined ? missing : formatValue(rate, "percent")}
        detail={kpis.rejectedRows === undefined || kpis.inputRows === undefined
          ? undefined
          : `${formatCount(kpis.rejectedRows)} of ${formatCount(kpis.inputRows)} rows`}
        tone={rate !== undefined && rate > 0.1 ? "warn" : undefined}
      />
    </dl>
  );
}
