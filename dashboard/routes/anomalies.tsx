/**
 * Anomalies & Rejections (DESIGN §6): rejections by reason (chart and counts), the rejected rows
 * paged and filtered by reason, and the anomaly-flagged clean rows.
 */
import type { Hono } from "hono";
import { DataTable, type TableColumnSpec } from "../components/data_table.tsx";
import { Island } from "../components/island.tsx";
import { Layout } from "../components/layout.tsx";
import { Pager } from "../components/pager.tsx";
import { ShareBar } from "../components/share_bar.tsx";
import { readAnomalyPage } from "../lib/anomaly_index.ts";
import { buildChart } from "../lib/chart_data.ts";
import type { CleanReport } from "../lib/clean_report.ts";
import { loadOverview, type Overview } from "../lib/overview.ts";
import { readDataTable } from "../lib/parquet_table.ts";
import { readRejectedPage, type RejectedIndex, type RejectedPage } from "../lib/rejected_index.ts";
import { filterRows, PAGE_SIZES, tableShape } from "../lib/table_query.ts";
import type { ChartSpec } from "../shared/chart_spec.ts";
import { formatCount, formatValue, type ValueFormat } from "../shared/format.ts";
import { type DashboardContext, renderPage } from "./_context.ts";

/** What each reason means, in the words of DESIGN §4. */
export const REASON_HELP: Record<string, string> = {
  malformed_row:
    "Wrong field count, a broken quote or invalid UTF-8; the first column holds the raw line.",
  missing_order_id: "order_id is blank.",
  missing_product_name: "product_name is blank.",
  duplicate_order_id: "The order_id was already used earlier in the file.",
  invalid_quantity: "quantity is not a whole number.",
  zero_quantity: "quantity is 0.",
  invalid_unit_price: "unit_price is not a number, or outside 0–50,000.",
  unknown_category: "More than 2 edits from every canonical category: see the review queue.",
  unknown_region: "Neither a canonical region nor mapped in region_map.json: see the review queue.",
  invalid_sale_date: "sale_date is blank or not a real day in a known format.",
  sale_date_out_of_range: "sale_date is more than 20 years before or 1 year after the as-of date.",
  invalid_calculated_revenue: "quantity × price × (1 − discount) is outside 0–1,000,000.",
};

const REVIEWABLE = new Set(["unknown_region", "unknown_category"]);
const DEFAULT_PAGE_SIZE = 25;

function pageSizeFrom(params: URLSearchParams): number {
  const size = Number(params.get("size"));
  return (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE;
}

function pageFrom(params: URLSearchParams, name: string): number {
  const page = Number(params.get(name));
  return Number.isSafeInteger(page) && page >= 1 ? page : 1;
}

function ReasonsSection({ report }: { report: CleanReport }) {
  const shown = report.reasons.filter(([, rows]) => rows > 0).sort((a, b) => b[1] - a[1]);
  const chart: ChartSpec | undefined = shown.length > 0
    ? {
      kind: "bars",
      title: "Rejected rows by reason",
      xLabel: "Reason",
      labels: shown.map(([reason]) => reason),
      series: [{ label: "Rows", values: shown.map(([, rows]) => rows) }],
      format: "count",
    }
    : undefined;
  const largest = Math.max(1, ...report.reasons.map(([, rows]) => rows));
  return (
    <section class="panel" aria-labelledby="reasons-title">
      <h2 id="reasons-title">Rejections by reason</h2>
      <p class="muted">
        {formatCount(report.rejectedRows)} of {formatCount(report.inputRows)}{" "}
        input rows were rejected ({formatValue(
          report.inputRows ? report.rejectedRows / report.inputRows : 0,
          "percent",
        )}); the first rule a row fails names its reason, in the order below.
      </p>
      <div class="split">
        {chart
          ? <Island name="chart" props={{ spec: chart, height: 260 }} class="chart-island" />
          : <p class="muted">No rows were rejected.</p>}
        <div class="table-wrap">
          <table class="data reasons">
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col" class="num">Rows</th>
                <th scope="col" class="num">Share of input</th>
                <th scope="col">
                  <span class="visually-hidden">Relative size</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {report.reasons.map(([reason, rows]) => (
                <tr class={rows === 0 ? "zero" : undefined}>
                  <th scope="row">
                    {rows > 0
                      ? (
                        <a
                          class="reason-name"
                          href={`/anomalies?reason=${encodeURIComponent(reason)}#rejected`}
                        >
                          {reason}
                        </a>
                      )
                      : <span class="reason-name">{reason}</span>}
                    {REVIEWABLE.has(reason) && rows > 0 && <a class="tag" href="/review">review</a>}
                    <span class="reason-help">{REASON_HELP[reason] ?? ""}</span>
                  </th>
                  <td class="num">{formatCount(rows)}</td>
                  <td class="num">
                    {formatValue(report.inputRows ? rows / report.inputRows : 0, "percent")}
                  </td>
                  <td class="bar-cell">
                    <ShareBar fraction={rows / largest} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

function RejectedSection(
  { params, reason, index, page, missing, problem }: {
    params: URLSearchParams;
    reason?: string;
    index?: RejectedIndex;
    page?: RejectedPage;
    missing: boolean;
    problem?: string;
  },
) {
  const header = index?.header ?? [];
  const reasonColumn = header.lastIndexOf("rejection_reason");
  const lineColumn = header.lastIndexOf("source_line");
  // Line and reason first: they say where and why; the raw fields follow as read.
  const order = [
    lineColumn,
    reasonColumn,
    ...header.map((_, column) => column).filter((column) =>
      column !== lineColumn && column !== reasonColumn
    ),
  ].filter((column) => column >= 0);
  const columns: TableColumnSpec[] = order.map((column) => ({
    name: header[column],
    format: (column === lineColumn ? "count" : "text") as ValueFormat,
    numeric: column === lineColumn,
  }));
  const rows = (page?.rows ?? []).map((row) =>
    order.map((column) => column === lineColumn ? Number(row[column]) : row[column])
  );
  const reasons = index ? [...index.reasonCounts.entries()] : [];
  return (
    <section class="panel" id="rejected" aria-labelledby="rejected-title">
      <header class="panel-head">
        <h2 id="rejected-title">Rejected rows</h2>
        <form method="get" action="/anomalies#rejected" class="filters inline">
          <label class="field">
            <span class="field-label">Reason</span>
            <select name="reason">
              <option value="">All reasons ({formatCount(index?.rows ?? 0)})</option>
              {reasons.map(([name, count]) => (
                <option value={name} selected={name === reason}>
                  {name} ({formatCount(count)})
                </option>
              ))}
            </select>
          </label>
          {params.has("size") && <input type="hidden" name="size" value={params.get("size")!} />}
          <button type="submit" class="button">Show</button>
        </form>
      </header>
      {missing && (
        <p class="notice">
          The rejected rows were not saved (clean-data ran with{" "}
          <code>--no-save-rejected</code>, or the file was removed); the counts above come from the
          clean report.
        </p>
      )}
      {problem && <p class="notice error">The rejected rows cannot be read: {problem}</p>}
      {index && page && (
        <>
          {reason && REASON_HELP[reason] && <p class="muted">{REASON_HELP[reason]}</p>}
          <DataTable
            label="Table of rejected rows"
            columns={columns}
            rows={rows}
            empty={reason ? `No rows were rejected as ${reason}.` : "No rows were rejected."}
            cellClass={(column) => column.name === "rejection_reason" ? "reason" : undefined}
          />
          <Pager
            path="/anomalies"
            params={params}
            page={page.page}
            pageCount={page.pageCount}
            first={page.first}
            shown={page.rows.length}
            total={page.total}
            anchor="rejected"
            noun="rejected rows"
          />
        </>
      )}
    </section>
  );
}

async function anomalyChart(overview: Overview): Promise<ChartSpec | undefined> {
  const file = overview.aggregations.find((candidate) => candidate.name === "anomaly_summary");
  if (!file) return undefined;
  try {
    const table = await readDataTable(file.path);
    const shape = tableShape(table);
    const orders = shape.measures.find((column) => column.name === "orders");
    const rows = filterRows(table, shape, { direction: "asc", page: 1, pageSize: 1 });
    return buildChart(table, shape, rows, orders);
  } catch {
    return undefined;
  }
}

/** An async section (it reads the parquet), called as a function: components render synchronously. */
async function anomaliesSection(
  { report, params, overview }: {
    report: CleanReport;
    params: URLSearchParams;
    overview: Overview;
  },
) {
  const flagged = report.anomalies.reduce((sum, [, rows]) => sum + rows, 0);
  let body;
  try {
    const page = await readAnomalyPage(report.cleanParquetPath, {
      page: pageFrom(params, "apage"),
      pageSize: pageSizeFrom(params),
    });
    const formats: Record<string, ValueFormat> = {
      quantity: "count",
      unit_price: "money",
      revenue: "money",
      discount_percent: "percent",
      sale_date: "date",
    };
    const columns: TableColumnSpec[] = page.columns.map((name) => ({
      name,
      format: formats[name] ?? "text",
      numeric: name in formats && name !== "sale_date",
    }));
    const rows = page.rows.map((row) =>
      page.columns.map((name) =>
        // sale_date is epoch seconds of a UTC midnight; shown as the day.
        name === "sale_date" && typeof row[name] === "number"
          ? (row[name] as number) / 86_400
          : row[name]
      )
    );
    body = (
      <>
        <DataTable
          label="Table of anomaly-flagged rows"
          columns={columns}
          rows={rows}
          empty="No clean row carries an anomaly flag."
          cellClass={(column) => column.name === "anomaly_flag" ? "flag" : undefined}
        />
        <Pager
          path="/anomalies"
          params={params}
          page={page.page}
          pageCount={page.pageCount}
          first={page.first}
          shown={page.rows.length}
          total={page.total}
          pageParam="apage"
          anchor="anomalies"
          noun="flagged rows"
        />
      </>
    );
  } catch (error) {
    body = error instanceof Deno.errors.NotFound
      ? <p class="notice">The clean parquet {report.cleanParquetPath} does not exist.</p>
      : (
        <p class="notice error">
          The clean parquet cannot be read: {error instanceof Error ? error.message : String(error)}
        </p>
      );
  }
  const chart = await anomalyChart(overview);
  return (
    <section class="panel" id="anomalies" aria-labelledby="anomalies-title">
      <h2 id="anomalies-title">Anomaly-flagged rows</h2>
      <p class="muted">
        Clean rows kept but flagged: {report.anomalies.length === 0
          ? "none"
          : report.anomalies.map(([flag, rows]) => `${flag} ${formatCount(rows)}`).join(", ")}{" "}
        ({formatValue(report.cleanRows ? flagged / report.cleanRows : 0, "percent")}{" "}
        of clean rows). A heavy discount is one over 80%.
      </p>
      {chart && <Island name="chart" props={{ spec: chart, height: 220 }} class="chart-island" />}
      {body}
    </section>
  );
}

export function mountAnomalies(app: Hono, context: DashboardContext): void {
  app.get("/anomalies", async (c) => {
    const overview = await loadOverview(context.workspace);
    const params = new URL(c.req.url).searchParams;
    const report = overview.report;
    const layout = {
      overview,
      assets: context.assets,
      version: context.version,
      tab: "anomalies" as const,
      title: "Anomalies & Rejections",
    };
    if (!report) {
      return renderPage(
        c,
        <Layout {...layout}>
          <section class="empty-state">
            <h1>No clean run yet</h1>
            <p>
              This page reads the clean report in{" "}
              <code>{context.workspace.dataDir}/reports</code>. Run{" "}
              <code>deno task clean-data --input FILE.csv</code> (or{" "}
              <code>deno task pipeline</code>).
            </p>
          </section>
        </Layout>,
      );
    }
    const reasonParam = params.get("reason") || undefined;
    let index: RejectedIndex | undefined;
    let page: RejectedPage | undefined;
    let missing = false;
    let problem: string | undefined;
    try {
      ({ index, page } = await readRejectedPage(report.rejectedCsvPath, {
        reason: reasonParam,
        page: pageFrom(params, "page"),
        pageSize: pageSizeFrom(params),
      }));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) missing = true;
      else problem = error instanceof Error ? error.message : String(error);
    }
    return renderPage(
      c,
      <Layout {...layout}>
        <div class="page-head">
          <h1>Anomalies &amp; Rejections</h1>
          <p class="muted">
            Dataset <strong>{report.stem}</strong>
            {report.asOf && <>{" · "}as of {report.asOf}</>}
            {" · "}
            <a href={`/files/reports/${report.stem}_clean_report.json`} download>clean report</a>
          </p>
        </div>
        <ReasonsSection report={report} />
        <RejectedSection
          params={params}
          reason={reasonParam}
          index={index}
          page={page}
          missing={missing}
          problem={problem}
        />
        {await anomaliesSection({ report, params, overview })}
      </Layout>,
    );
  });
}
