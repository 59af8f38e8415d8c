/**
 * Anomalies & Rejections: rejections by reason (chart and counts), the rejected rows (paged;
 * searched, filtered by reason and column, sorted, downloadable as CSV), and the anomaly-flagged
 * clean rows.
 */
import { errorMessage } from "../../src/io/errors.ts";
import type { Hono } from "hono";
import { basename } from "node:path";
import { DataTable, type TableColumnSpec } from "../components/data_table.tsx";
import { Island } from "../components/island.tsx";
import { Layout } from "../components/layout.tsx";
import { Pager } from "../components/pager.tsx";
import { linkWith, segment } from "../components/url.ts";
import { openParquetDataset } from "../../src/io/parquet_dataset.ts";
import { ShareBar } from "../components/share_bar.tsx";
import { readAnomalyPage } from "../lib/anomaly_index.ts";
import { buildChart } from "../lib/chart_data.ts";
import { type LatestReport, shardProgressText } from "../lib/clean_report.ts";
import { loadOverview, type Overview } from "../lib/overview.ts";
import { readDataTable } from "../lib/parquet_table.ts";
import {
  readRejectedPage,
  type RejectedIndex,
  rejectedIndex,
  type RejectedPage,
} from "../lib/rejected_index.ts";
import {
  MAX_QUERY_TEXT,
  parseRejectedQuery,
  queryParams,
  type RejectedQuery,
  ruleOrder,
} from "../lib/rejected_query.ts";
import { RejectedTable } from "../components/rejected_table.tsx";
import { rejectedCsvDownload } from "./rejected_download.ts";
import { filterRows, PAGE_SIZES, tableShape } from "../lib/table_query.ts";
import type { ChartSpec } from "../shared/chart_spec.ts";
import { formatCount, formatValue, type ValueFormat } from "../shared/format.ts";
import { type DashboardContext, renderPage } from "./_context.ts";

/** What each reason means, in the words of docs/cleaning.md. */
export const REASON_HELP: Record<string, string> = {
  malformed_row:
    "Wrong field count, a broken quote or invalid UTF-8: the row has no fields, its whole text is under “raw line”.",
  missing_order_id: "order_id is blank.",
  missing_product_name: "product_name is blank.",
  duplicate_order_id: "The order_id was already used earlier in the file.",
  invalid_quantity: "quantity is not a whole number.",
  zero_quantity: "quantity is 0 or negative (a negative quantity counts as 0).",
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

function ReasonsSection({ report }: { report: LatestReport }) {
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

/** The filters a person has set, each with a link that removes it. */
function ActiveFilters(
  { query, params }: { query: RejectedQuery; params: URLSearchParams },
) {
  const without = (change: (next: RejectedQuery) => void) => {
    const next: RejectedQuery = { ...query, filters: [...query.filters] };
    change(next);
    const kept = queryParams(next);
    if (params.has("size")) kept.set("size", params.get("size")!);
    return `/anomalies${kept.size ? `?${kept}` : ""}#rejected`;
  };
  const chips = [
    ...(query.reason
      ? [{ text: `reason = ${query.reason}`, href: without((next) => next.reason = undefined) }]
      : []),
    ...(query.search
      ? [{ text: `contains “${query.search}”`, href: without((next) => next.search = undefined) }]
      : []),
    ...query.filters.map((filter, at) => ({
      text: `${filter.column} = ${filter.value === "" ? "(blank)" : `“${filter.value}”`}`,
      href: without((next) => next.filters.splice(at, 1)),
    })),
  ];
  if (chips.length === 0) return null;
  return (
    <ul class="active-filters" aria-label="Filters in use">
      {chips.map((chip) => (
        <li>
          <span>{chip.text}</span>{" "}
          <a href={chip.href} aria-label={`Remove filter ${chip.text}`}>✕</a>
        </li>
      ))}
      <li>
        <a href="/anomalies#rejected">Clear all</a>
      </li>
    </ul>
  );
}

function RejectedFilters(
  { query, index, params }: {
    query: RejectedQuery;
    index?: RejectedIndex;
    params: URLSearchParams;
  },
) {
  const header = index?.header ?? [];
  const fieldColumns = header.filter((name) => name !== "rejection_reason");
  const reasons = index
    ? [...index.reasonCounts.entries()].sort((a, b) => ruleOrder(a[0]) - ruleOrder(b[0]))
    : [];
  return (
    <form method="get" action="/anomalies#rejected" class="filters rejected-filters" role="search">
      <label class="field">
        <span class="field-label">Search</span>
        <input
          type="search"
          name="q"
          value={query.search ?? ""}
          placeholder="order_id or any value"
          maxLength={MAX_QUERY_TEXT}
        />
      </label>
      <label class="field">
        <span class="field-label">Reason</span>
        <select name="reason">
          <option value="">All reasons ({formatCount(index?.rows ?? 0)})</option>
          {reasons.map(([name, count]) => (
            <option value={name} selected={name === query.reason}>
              {name} ({formatCount(count)})
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span class="field-label">Column</span>
        <select name="wcol">
          <option value="">(add a column filter)</option>
          {fieldColumns.map((name) => <option key={name} value={name}>{name}</option>)}
        </select>
      </label>
      <label class="field">
        <span class="field-label">equals</span>
        <input type="text" name="wval" value="" maxLength={MAX_QUERY_TEXT} placeholder="Atlantis" />
      </label>
      {query.filters.map((filter) => (
        <input type="hidden" name="where" value={`${filter.column}=${filter.value}`} />
      ))}
      {query.sort && <input type="hidden" name="sort" value={query.sort} />}
      {query.sort && <input type="hidden" name="dir" value={query.direction} />}
      {params.has("size") && <input type="hidden" name="size" value={params.get("size")!} />}
      <div class="filter-actions">
        <button type="submit" class="button primary">Apply</button>
      </div>
    </form>
  );
}

function RejectedSection(
  { params, query, index, page, missing, problem }: {
    params: URLSearchParams;
    query: RejectedQuery;
    index?: RejectedIndex;
    page?: RejectedPage;
    missing: boolean;
    problem?: string;
  },
) {
  const download = queryParams(query);
  const filtered = query.reason !== undefined || query.search !== undefined ||
    query.filters.length > 0;
  return (
    <section class="panel" id="rejected" aria-labelledby="rejected-title">
      <header class="panel-head">
        <h2 id="rejected-title">Rejected rows</h2>
        {index && (
          <a
            class="button"
            id="download-rejected"
            href={`/anomalies/rejected.csv${download.size ? `?${download}` : ""}`}
            download
          >
            Download {filtered ? "these" : "all"} rows (CSV)
          </a>
        )}
      </header>
      {index && <RejectedFilters query={query} index={index} params={params} />}
      <ActiveFilters query={query} params={params} />
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
          {query.reason && REASON_HELP[query.reason] && (
            <p class="muted">{REASON_HELP[query.reason]}</p>
          )}
          <p class="muted small">
            The field a row failed on is marked. Downloads guard against spreadsheet formulas: a
            value starting with = + - or @ is written with a leading '.
          </p>
          <RejectedTable
            header={index.header}
            rows={page.rows}
            query={query}
            params={params}
            path="/anomalies"
            anchor="rejected"
            empty={filtered ? "No rejected row matches these filters." : "No rows were rejected."}
          />
          <Pager
            path="/anomalies"
            params={params}
            slice={page}
            total={page.total}
            anchor="rejected"
            noun="rejected rows"
          />
        </>
      )}
    </section>
  );
}

/** The clean parquet's column names (sortable columns of the flagged rows). */
async function cleanColumnNames(path: string): Promise<string[]> {
  using file = await openParquetDataset(path);
  return file.columns.map((column) => column.name);
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
    report: LatestReport;
    params: URLSearchParams;
    overview: Overview;
  },
) {
  const flagged = report.anomalies.reduce((sum, [, rows]) => sum + rows, 0);
  const percentParam = (name: string) => {
    const text = params.get(name)?.trim();
    const value = text ? Number(text) : NaN;
    return Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : undefined;
  };
  const minDiscountPercent = percentParam("dmin");
  const maxDiscountPercent = percentParam("dmax");
  let body;
  try {
    const columnNames = await cleanColumnNames(report.cleanParquetPath);
    const sort = params.get("asort") ?? undefined;
    const direction = params.get("adir") === "desc" ? "desc" : "asc";
    const page = await readAnomalyPage(report.cleanParquetPath, {
      page: pageFrom(params, "apage"),
      pageSize: pageSizeFrom(params),
      minDiscountPercent,
      maxDiscountPercent,
      sort: sort !== undefined && columnNames.includes(sort) ? sort : undefined,
      direction,
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
    const filteredByDiscount = minDiscountPercent !== undefined ||
      maxDiscountPercent !== undefined;
    body = (
      <>
        <form method="get" action="/anomalies#anomalies" class="filters inline anomaly-filters">
          <label class="field">
            <span class="field-label">Discount from (%)</span>
            <input
              type="number"
              name="dmin"
              min="0"
              max="100"
              step="any"
              value={minDiscountPercent ?? ""}
              placeholder="80"
            />
          </label>
          <label class="field">
            <span class="field-label">to (%)</span>
            <input
              type="number"
              name="dmax"
              min="0"
              max="100"
              step="any"
              value={maxDiscountPercent ?? ""}
              placeholder="100"
            />
          </label>
          {["asort", "adir", "size", "reason", "q", "sort", "dir"].map((name) =>
            params.has(name) && (
              <input key={name} type="hidden" name={name} value={params.get(name)!} />
            )
          )}
          {params.getAll("where").map((value) => (
            <input type="hidden" name="where" value={value} />
          ))}
          <div class="filter-actions">
            <button type="submit" class="button">Filter</button>
            {filteredByDiscount && (
              <a
                class="button ghost"
                href={linkWith("/anomalies", params, {
                  dmin: undefined,
                  dmax: undefined,
                  apage: undefined,
                }) + "#anomalies"}
              >
                Clear
              </a>
            )}
            <a
              class="button ghost"
              href={linkWith("/anomalies", params, {
                dmin: 100,
                dmax: undefined,
                apage: undefined,
              }) + "#anomalies"}
            >
              Only 100% discounts
            </a>
          </div>
        </form>
        <DataTable
          id="anomaly-rows"
          label="Table of anomaly-flagged rows"
          columns={columns}
          rows={rows}
          sort={{
            column: sort,
            direction,
            link: (column, dir) =>
              linkWith("/anomalies", params, { asort: column, adir: dir, apage: undefined }) +
              "#anomalies",
          }}
          empty={filteredByDiscount
            ? "No flagged row has a discount in this range."
            : "No clean row carries an anomaly flag."}
          cellClass={(column) =>
            column.name === "anomaly_flag" ? "flag" : undefined}
        />
        <Pager
          path="/anomalies"
          params={params}
          slice={page}
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
          The clean parquet cannot be read: {errorMessage(error)}
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
  app.get("/anomalies/rejected.csv", (c) => rejectedCsvDownload(c, context));
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
    let index: RejectedIndex | undefined;
    let query: RejectedQuery = parseRejectedQuery(params, []);
    let page: RejectedPage | undefined;
    let missing = false;
    let problem: string | undefined;
    try {
      query = parseRejectedQuery(
        params,
        (await rejectedIndex(report.rejectedCsvPaths, report.columns)).header,
      );
      if (params.has("wcol")) {
        // The no-JavaScript form's "add a filter" fields become a `where` in a clean URL.
        const clean = queryParams(query);
        if (params.has("size")) clean.set("size", params.get("size")!);
        return c.redirect(`/anomalies${clean.size ? `?${clean}` : ""}#rejected`, 303);
      }
      ({ index, page } = await readRejectedPage(report.rejectedCsvPaths, {
        query,
        page: pageFrom(params, "page"),
        pageSize: pageSizeFrom(params),
        columns: report.columns,
      }));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) missing = true;
      else problem = errorMessage(error);
    }
    return renderPage(
      c,
      <Layout {...layout}>
        <div class="page-head">
          <h1>Anomalies &amp; Rejections</h1>
          <p class="muted">
            Dataset <strong>{report.stem}</strong>
            {report.shards && <>{" · "}{shardProgressText(report.shards)}</>}
            {report.asOf && <>{" · "}as of {report.asOf}</>}
            {" · "}
            <a href={`/files/reports/${segment(basename(report.path))}`} download>
              {report.shards ? `clean report of shard ${report.shard?.index}` : "clean report"}
            </a>
          </p>
        </div>
        <ReasonsSection report={report} />
        <RejectedSection
          params={params}
          query={query}
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
