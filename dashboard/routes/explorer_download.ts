/**
 * `/explorer/:table/download`: the table's rows as CSV, with the same filters and sort order as the
 * page (all pages, not one). Values are written as stored: dates `YYYY-MM-DD`, numbers in full
 * precision without separators, a missing value as an empty field.
 */
import type { Context } from "hono";
import { csvLine } from "../../src/io/csv_write.ts";
import { readDataTable } from "../lib/parquet_table.ts";
import { filterRows, parseTableQuery, sortRows, tableShape } from "../lib/table_query.ts";
import { findAggregation } from "../lib/workspace.ts";
import { isoDateFromDays } from "../shared/format.ts";
import type { DashboardContext } from "./_context.ts";

/** Rows encoded per chunk of the streamed response. */
const ROWS_PER_CHUNK = 5_000;

export async function csvDownload(c: Context, context: DashboardContext, name: string) {
  const file = await findAggregation(context.workspace, name);
  if (!file) return c.text(`No aggregation table called ${JSON.stringify(name)}\n`, 404);
  const table = await readDataTable(file.path);
  const shape = tableShape(table);
  const query = parseTableQuery(new URL(c.req.url).searchParams, table);
  const sortColumn = table.columns.find((column) => column.name === query.sort);
  const rows = sortRows(filterRows(table, shape, query), sortColumn, query.direction);
  const cell = table.columns.map((column) => (row: number): string => {
    const value = column.values[row];
    if (value === null || value === undefined) return "";
    return column.kind === "date" ? isoDateFromDays(value as number) : String(value);
  });
  const encoder = new TextEncoder();
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(table.columns.map((column) => column.name))));
    },
    pull(controller) {
      if (next >= rows.length) {
        controller.close();
        return;
      }
      let text = "";
      const end = Math.min(rows.length, next + ROWS_PER_CHUNK);
      for (; next < end; next++) {
        const row = rows[next];
        text += csvLine(cell.map((format) => format(row)));
      }
      controller.enqueue(encoder.encode(text));
    },
  });
  return c.body(body, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${file.name}.csv"`,
    "cache-control": "no-store",
  });
}
