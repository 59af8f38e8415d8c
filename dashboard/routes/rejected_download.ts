/**
 * `/anomalies/rejected.csv`: the rejected rows a person is looking at (the same reason, search,
 * column filters and sort as the page, all pages) as CSV, with the rejected file's header.
 *
 * Values are written as read, except that a value starting with `=` `+` `-` `@` (or a tab or
 * carriage return) gets a leading `'`: a spreadsheet would otherwise run it as a formula, and
 * rejected rows are exactly the untrusted values someone typed. docs/cleaning.md says so too.
 */
import type { Context } from "hono";
import { csvLine } from "../../src/io/csv_write.ts";
import { loadOverview } from "../lib/overview.ts";
import { rejectedIndex, streamRejectedRows } from "../lib/rejected_index.ts";
import { parseRejectedQuery, spreadsheetSafe } from "../lib/rejected_query.ts";
import type { DashboardContext } from "./_context.ts";

export async function rejectedCsvDownload(c: Context, context: DashboardContext) {
  const { report } = await loadOverview(context.workspace);
  if (!report) return c.text("No clean run yet: there are no rejected rows.\n", 404);
  let header: string[];
  try {
    header = (await rejectedIndex(report.rejectedCsvPaths, report.columns)).header;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return c.text("The rejected rows were not saved (clean-data --no-save-rejected).\n", 404);
    }
    throw error;
  }
  const query = parseRejectedQuery(new URL(c.req.url).searchParams, header);
  const encoder = new TextEncoder();
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>(
    undefined,
    undefined,
    { highWaterMark: 4 },
  );
  const writer = writable.getWriter();
  (async () => {
    try {
      await writer.write(encoder.encode(csvLine(header)));
      await streamRejectedRows(report.rejectedCsvPaths, query, async (rows) => {
        let text = "";
        for (const row of rows) text += csvLine(row.map(spreadsheetSafe));
        await writer.ready;
        await writer.write(encoder.encode(text));
      }, report.columns);
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => {});
    }
  })();
  const name = `${report.stem}_rejected${query.reason ? `_${query.reason}` : ""}${
    query.search || query.filters.length > 0 ? "_filtered" : ""
  }.csv`.replace(/[^\w.-]+/g, "_");
  return c.body(readable, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${name}"`,
    "cache-control": "no-store",
  });
}
