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
  /** Column → its values at `rows`, read when a sort or filter first needs them. */
  columnValues: Map<string, Promise<unknown[]>>;
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
    return {
      path,
      rowCount: file.rowCount,
      flagCounts,
      rows: rows.subarray(0, 0),
      flags,
      columnValues: new Map(),
    };
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
  return {
    path,
    rowCount: file.rowCount,
    flagCounts,
    rows: rows.slice(0, flags.length),
    flags,
    columnValues: new Map(),
  };
}

/** One column's values at the flagged rows: only the row groups holding flagged rows are read. */
function flaggedValues(index: AnomalyIndex, column: string): Promise<unknown[]> {
  let values = index.columnValues.get(column);
  if (!values) {
    values = readFlaggedValues(index, column);
    values.catch(() => index.columnValues.delete(column));
    index.columnValues.set(column, values);
  }
  return values;
}

async function readFlaggedValues(index: AnomalyIndex, column: string): Promise<unknown[]> {
  using file = await openParquet(index.path);
  const values: unknown[] = new Array(index.rows.length);
  let entry = 0;
  for (const group of file.rowGroups) {
    if (entry >= index.rows.length) break;
    if (index.rows[entry] >= group.rowEnd) continue;
    const batch = await file.readRowGroup(group.index, [column]);
    const columnValues = batch.columns[column];
    for (; entry < index.rows.length && index.rows[entry] < group.rowEnd; entry++) {
      values[entry] = columnValues[index.rows[entry] - group.rowStart];
    }
  }
  return values;
}

/** Options of a page of flagged rows: a flag, a discount range (percent, inclusive), a sort. */
export interface AnomalyPageOptions {
  flag?: string;
  /** Smallest discount, in percent (100 = only 100% discounts). */
  minDiscountPercent?: number;
  /** Largest discount, in percent. */
  maxDiscountPercent?: number;
  sort?: string;
  direction?: "asc" | "desc";
  page: number;
  pageSize: number;
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  return String(a).localeCompare(String(b));
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
  options: AnomalyPageOptions,
): Promise<AnomalyPage> {
  const index = await anomalyIndex(path);
  // Entries of the index (positions in `rows`) that pass the filters, then in the asked order.
  let entries: number[] = Array.from({ length: index.rows.length }, (_, entry) => entry);
  if (options.flag !== undefined) {
    entries = entries.filter((entry) => index.flags[entry] === options.flag);
  }
  const { minDiscountPercent: min, maxDiscountPercent: max } = options;
  if (min !== undefined || max !== undefined) {
    const discounts = await flaggedValues(index, "discount_percent");
    // Percent of a fraction, rounded to hundredths so 0.95 is exactly 95.
    const percent = (entry: number) => Math.round(Number(discounts[entry]) * 10_000) / 100;
    entries = entries.filter((entry) =>
      (min === undefined || percent(entry) >= min) && (max === undefined || percent(entry) <= max)
    );
  }
  if (options.sort !== undefined) {
    const values = await flaggedValues(index, options.sort);
    const sign = options.direction === "desc" ? -1 : 1;
    entries.sort((a, b) => {
      const left = values[a];
      const right = values[b];
      const blankLeft = left === null || left === undefined;
      const blankRight = right === null || right === undefined;
      if (blankLeft || blankRight) return Number(blankLeft) - Number(blankRight) || a - b;
      return sign * compareValues(left, right) || a - b;
    });
  }
  const selected = entries.map((entry) => index.rows[entry]);
  const total = selected.length;
  const pageCount = Math.max(1, Math.ceil(total / options.pageSize));
  const page = Math.min(Math.max(1, options.page), pageCount);
  const first = (page - 1) * options.pageSize;
  // Read in row order (runs within one row group), then put back in the asked order.
  const pageRows = selected.slice(first, first + options.pageSize);
  const wanted = [...pageRows].sort((a, b) => a - b);
  using file = await openParquet(path);
  const columns = file.columns.map((column) => column.name);
  const byRow = new Map<number, Record<string, unknown>>();
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
      byRow.set(
        wanted[at],
        Object.fromEntries(columns.map((name) => [name, batch.columns[name][offset]])),
      );
    }
    cursor = end;
  }
  const rows: Record<string, unknown>[] = [];
  for (const row of pageRows) {
    const values = byRow.get(row);
    if (values) rows.push(values);
  }
  return { columns, rows, total, page, pageCount, first };
}
