/**
 * The anomaly-flagged rows of a clean parquet (DESIGN §4: `anomaly_flag` is set, e.g.
 * `heavy_discount`): found in one pass over that single column per file version, then read a page
 * at a time by row range.
 */
import { openParquet } from "../../src/io/parquet_read.ts";
import { FileDerivedCache } from "./file_cache.ts";

export interface AnomalyIndex {
  path: string;
  /** Rows of the file. */
  rowCount: number;
  /** Flag → rows. */
  flagCounts: Map<string, number>;
  /** Row numbers of flagged rows, ascending. */
  rows: Float64Array;
  /** Flag of each entry of `rows`. */
  flags: string[];
}

const indexes = new FileDerivedCache<AnomalyIndex>(4);

/** The flagged rows of the current version of a clean parquet. */
export function anomalyIndex(path: string): Promise<AnomalyIndex> {
  return indexes.get(path, buildIndex);
}

async function buildIndex(path: string): Promise<AnomalyIndex> {
  using file = await openParquet(path);
  const flagCounts = new Map<string, number>();
  let rows = new Float64Array(1024);
  const flags: string[] = [];
  if (!file.column("anomaly_flag")) {
    return { path, rowCount: file.rowCount, flagCounts, rows: rows.subarray(0, 0), flags };
  }
  for (const group of file.rowGroups) {
    const batch = await file.readRowGroup(group.index, ["anomaly_flag"]);
    const values = batch.columns.anomaly_flag as (string | null)[];
    for (let offset = 0; offset < values.length; offset++) {
      const flag = values[offset];
      if (flag === null || flag === undefined) continue;
      if (flags.length === rows.length) {
        const grown = new Float64Array(rows.length * 2);
        grown.set(rows);
        rows = grown;
      }
      rows[flags.length] = group.rowStart + offset;
      flags.push(flag);
      flagCounts.set(flag, (flagCounts.get(flag) ?? 0) + 1);
    }
  }
  return { path, rowCount: file.rowCount, flagCounts, rows: rows.slice(0, flags.length), flags };
}

/** Flagged rows as column → value, for one page. */
export interface AnomalyPage {
  columns: string[];
  rows: Record<string, unknown>[];
  total: number;
  page: number;
  pageCount: number;
  first: number;
}

/**
 * Reads one page of flagged rows: each run of the page's rows that falls in one row group is read
 * as one row range, so a page costs about one row group's worth of decoding.
 */
export async function readAnomalyPage(
  path: string,
  options: { flag?: string; page: number; pageSize: number },
): Promise<AnomalyPage> {
  const index = await anomalyIndex(path);
  let selected: number[] | Float64Array = index.rows;
  if (options.flag !== undefined) {
    selected = [];
    for (let entry = 0; entry < index.flags.length; entry++) {
      if (index.flags[entry] === options.flag) selected.push(index.rows[entry]);
    }
  }
  const total = selected.length;
  const pageCount = Math.max(1, Math.ceil(total / options.pageSize));
  const page = Math.min(Math.max(1, options.page), pageCount);
  const first = (page - 1) * options.pageSize;
  const wanted = Array.from(selected.slice(first, first + options.pageSize));
  using file = await openParquet(path);
  const columns = file.columns.map((column) => column.name);
  const rows: Record<string, unknown>[] = [];
  let cursor = 0;
  while (cursor < wanted.length) {
    const group = file.rowGroups.find((candidate) =>
      wanted[cursor] >= candidate.rowStart && wanted[cursor] < candidate.rowEnd
    );
    if (!group) break; // the file changed under us; the next request re-indexes
    let end = cursor;
    while (end < wanted.length && wanted[end] < group.rowEnd) end++;
    const batch = await file.readRows({ rowStart: wanted[cursor], rowEnd: wanted[end - 1] + 1 });
    for (let at = cursor; at < end; at++) {
      const offset = wanted[at] - batch.rowStart;
      rows.push(Object.fromEntries(columns.map((name) => [name, batch.columns[name][offset]])));
    }
    cursor = end;
  }
  return { columns, rows, total, page, pageCount, first };
}
