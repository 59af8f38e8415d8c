/**
 * The Aggregations Explorer: every parquet in `<data>/aggregations` listed, each shown
 * as a sortable, paged table with a fitting chart, filters for date range, category and region
 * where the columns exist (all kept in the URL), and a CSV download of the filtered rows.
 */
import { errorMessage } from "../../src/io/errors.ts";
import type { Context, Hono } from "hono";
import { Island } from "../components/island.tsx";
import { Layout } from "../components/layout.tsx";
import { DataTable, type TableColumnSpec } from "../components/data_table.tsx";
import { Pager } from "../components/pager.tsx";
import { linkWith, segment } from "../components/url.ts";
import { buildChart, defaultMeasure } from "../lib/chart_data.ts";
import { loadOverview, type Overview } from "../lib/overview.ts";
import { type DataTable as Table, readDataTable } from "../lib/parquet_table.ts";
import {
  datePresets,
  distinctValues,
  filterRows,
  isFiltered,
  PAGE_SIZES,
  pageOf,
  parseTableQuery,
  sortRows,
  type TableQuery,
  tableShape,
  timeBounds,
} from "../lib/table_query.ts";
import { columnTotals } from "../lib/table_totals.ts";
import { type AggregationFile, findAggregation } from "../lib/workspace.ts";
import { isNumericKind } from "../shared/columns.ts";
import { formatBytes, formatCount, humanize } from "../shared/format.ts";
import { csvDownload } from "./explorer_download.ts";
import { type DashboardContext, renderPage } from "./_context.ts";

/** What each table build-aggregations writes holds, in a sentence (columns: docs/schemas.md). */
const DESCRIPTIONS: Record<string, string> = {
  daily_sales: "Orders, units and revenue per day, with the average order value.",
  monthly_category_sales: "Orders, units and revenue per month and category.",
  monthly_region_sales: "Orders, units and revenue per month and region.",
  product_performance:
    "Volume, revenue, average unit price and average discount per product and category.",
  category_region_revenue: "Orders and revenue for each category in each region.",
  discount_bands: "Orders and revenue by discount band; discount given is the money given away.",
  anomaly_summary: "Clean rows carrying an anomaly flag (a discount over 80%), per month.",
  rejection_summary: "Rejected rows per reason, with their share of all input rows.",
};

function TableList(
  { files, current, rows }: {
    files: AggregationFile[];
    current?: string;
    rows: Map<string, number>;
  },
) {
  return (
    <nav class="table-list" aria-label="Aggregation tables">
      <h2 class="side-title">Tables</h2>
      <ul>
        {files.map((file) => (
          <li>
            <a
              href={`/explorer/${segment(file.name)}`}
              aria-current={file.name === current ? "page" : undefined}
            >
              <span class="table-name">{humanize(file.name)}</span>
              <span class="table-meta">
                {rows.has(file.name) ? `${formatCount(rows.get(file.name)!)} rows · ` : ""}
                {formatBytes(file.bytes)}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function EmptyExplorer({ context, overview }: { context: DashboardContext; overview: Overview }) {
  return (
    <Layout
      title="Aggregations Explorer"
      tab="explorer"
      overview={overview}
      assets={context.assets}
      version={context.version}
    >
      <section class="empty-state">
        <h1>No aggregations yet</h1>
        <p>
          The explorer lists every parquet file in{" "}
          <code>{context.workspace.dataDir}/aggregations</code>. Build them with{" "}
          <code>deno task build-aggregations</code> (or the whole pipeline with{" "}
          <code>deno task pipeline</code>); this page shows them as soon as they are written.
        </p>
      </section>
    </Layout>
  );
}

async function tableRowCounts(files: AggregationFile[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  await Promise.all(files.map(async (file) => {
    try {
      counts.set(file.name, (await readDataTable(file.path)).rowCount);
    } catch {
      // An unreadable table still appears in the list; opening it explains the problem.
    }
  }));
  return counts;
}

/** The query parameters that select rows (what the CSV download keeps). */
function rowSelection(query: TableQuery): Record<string, string | string[] | undefined> {
  return {
    from: query.from,
    to: query.to,
    q: query.search,
    category: query.category,
    region: query.region,
    sort: query.sort,
    dir: query.sort ? query.direction : undefined,
  };
}

/** A multiple choice's options and the ones ticked (a value the table lacks is not shown ticked). */
function choices(options: string[], chosen: string[] | undefined) {
  return { options, values: (chosen ?? []).filter((value) => options.includes(value)) };
}

function PageSizes(
  { path, params, current }: { path: string; params: URLSearchParams; current: number },
) {
  return (
    <span class="page-sizes">
      Rows per page: {PAGE_SIZES.map((size) =>
        size === current
          ? <strong key={size} aria-current="true">{size}</strong>
          : <a key={size} href={linkWith(path, params, { size, page: undefined })}>{size}</a>
      )}
    </span>
  );
}

function ExplorerView(
  { file, table, params, files, rowCounts }: {
    file: AggregationFile;
    table: Table;
    params: URLSearchParams;
    files: AggregationFile[];
    rowCounts: Map<string, number>;
  },
) {
  const path = `/explorer/${segment(file.name)}`;
  const shape = tableShape(table);
  const query = parseTableQuery(params, table);
  const filtered = filterRows(table, shape, query);
  const sortColumn = table.columns.find((column) => column.name === query.sort);
  const sorted = sortRows(filtered, sortColumn, query.direction);
  const page = pageOf(sorted, query.page, query.pageSize);
  const measure = shape.measures.find((column) => column.name === query.measure) ??
    defaultMeasure(shape);
  const chart = buildChart(table, shape, filtered, measure);
  const bounds = shape.time ? timeBounds(shape.time) : undefined;
  const columns: TableColumnSpec[] = table.columns.map((column) => ({
    name: column.name,
    format: column.format,
    numeric: isNumericKind(column.kind),
  }));
  const rows = Array.from(page.rows, (row) => table.columns.map((column) => column.values[row]));
  const filtered_ = isFiltered(query);
  const totals = columnTotals(table, filtered);
  const keep: Record<string, string> = {};
  if (query.sort) {
    keep.sort = query.sort;
    keep.dir = query.direction;
  }
  if (params.has("size")) keep.size = String(query.pageSize);
  const downloadHref = linkWith(`${path}/download`, new URLSearchParams(), rowSelection(query));

  return (
    <div class="explorer">
      <TableList files={files} current={file.name} rows={rowCounts} />
      <section class="table-view" aria-labelledby="table-title">
        <header class="view-head">
          <div>
            <h1 id="table-title">{humanize(file.name)}</h1>
            <p class="muted">
              {DESCRIPTIONS[file.name] ?? `${file.fileName} in the aggregations directory.`}{" "}
              <span class="file-name">{file.fileName}</span>
            </p>
          </div>
          <div class="view-actions">
            <a class="button" href={downloadHref} download={`${file.name}.csv`} id="download-csv">
              Download CSV
              <span class="button-detail">{formatCount(filtered.length)} rows</span>
            </a>
            <a class="button ghost" href={`/files/aggregations/${segment(file.fileName)}`} download>
              Parquet
            </a>
          </div>
        </header>
        {(shape.time || shape.dimensions.length > 0 || shape.measures.length > 1) && (
          <Island
            name="filter_form"
            props={{
              action: path,
              search: shape.dimensions.length > 0
                ? { value: query.search, columns: shape.dimensions.map((column) => column.name) }
                : undefined,
              time: shape.time && bounds
                ? {
                  from: query.from,
                  to: query.to,
                  min: bounds.min,
                  max: bounds.max,
                  presets: datePresets(bounds).map((preset) => ({
                    label: preset.label,
                    href: linkWith(path, params, {
                      from: preset.from,
                      to: preset.to,
                      page: undefined,
                    }),
                    current: preset.from === query.from && preset.to === query.to,
                  })),
                }
                : undefined,
              category: shape.category
                ? choices(distinctValues(shape.category), query.category)
                : undefined,
              region: shape.region
                ? choices(distinctValues(shape.region), query.region)
                : undefined,
              measure: {
                options: shape.measures.map((column) => ({
                  name: column.name,
                  label: humanize(column.name),
                })),
                value: measure?.name,
              },
              keep,
              resetHref: linkWith(path, new URLSearchParams(), keep),
              filtered: filtered_,
            }}
          />
        )}
        {chart
          ? (
            <Island
              name="chart"
              props={{ spec: chart, zoomToUrl: chart.kind === "line" }}
              class="chart-island"
            />
          )
          : (
            <p class="muted chart-none">
              {filtered.length === 0
                ? "No rows match the filters."
                : "Nothing to chart in this table."}
            </p>
          )}
        <div class="table-toolbar">
          <PageSizes path={path} params={params} current={query.pageSize} />
        </div>
        <DataTable
          id="rows"
          label={`Table of ${humanize(file.name).toLowerCase()} rows`}
          columns={columns}
          rows={rows}
          empty={filtered_ ? "No rows match the filters." : "This table is empty."}
          totals={filtered.length > 0
            ? {
              label: filtered_
                ? `Total of ${formatCount(filtered.length)} matching rows`
                : `Total of all ${formatCount(filtered.length)} rows`,
              values: totals,
            }
            : undefined}
          sort={{
            column: query.sort,
            direction: query.direction,
            link: (column, direction) =>
              linkWith(path, params, { sort: column, dir: direction, page: undefined }) + "#rows",
          }}
        />
        <Pager
          path={path}
          params={params}
          slice={page}
          total={filtered.length}
          anchor="rows"
        />
      </section>
    </div>
  );
}

async function explorerPage(c: Context, context: DashboardContext, name: string) {
  const overview = await loadOverview(context.workspace);
  const files = overview.aggregations;
  const file = await findAggregation(context.workspace, name);
  const layout = {
    overview,
    assets: context.assets,
    version: context.version,
    tab: "explorer" as const,
  };
  if (!file) {
    return renderPage(
      c,
      <Layout title="Table not found" {...layout}>
        <div class="explorer">
          <TableList files={files} rows={await tableRowCounts(files)} />
          <section class="empty-state">
            <h1>No table called “{name}”</h1>
            <p>
              Pick one of the tables on the left; they are the parquet files in the aggregations
              directory.
            </p>
          </section>
        </div>
      </Layout>,
      404,
    );
  }
  let table: Table;
  try {
    table = await readDataTable(file.path);
  } catch (error) {
    return renderPage(
      c,
      <Layout title={humanize(file.name)} {...layout}>
        <div class="explorer">
          <TableList files={files} current={file.name} rows={await tableRowCounts(files)} />
          <section class="empty-state">
            <h1>{file.fileName} cannot be read</h1>
            <p class="notice error">{errorMessage(error)}</p>
            <p>
              Rebuild it with <code>deno task build-aggregations</code>.
            </p>
          </section>
        </div>
      </Layout>,
      500,
    );
  }
  const params = new URL(c.req.url).searchParams;
  return renderPage(
    c,
    <Layout title={humanize(file.name)} {...layout}>
      <ExplorerView
        file={file}
        table={table}
        params={params}
        files={files}
        rowCounts={await tableRowCounts(files)}
      />
    </Layout>,
  );
}

export function mountExplorer(app: Hono, context: DashboardContext): void {
  app.get("/explorer", async (c) => {
    const overview = await loadOverview(context.workspace);
    const first = overview.aggregations[0];
    if (first) return c.redirect(`/explorer/${segment(first.name)}`, 302);
    return renderPage(c, <EmptyExplorer context={context} overview={overview} />);
  });
  app.get("/explorer/:table", (c) => explorerPage(c, context, c.req.param("table")));
  app.get("/explorer/:table/download", (c) => csvDownload(c, context, c.req.param("table")));
}
