/**
 * The anomaly-flagged rows of a clean parquet (`anomaly_flag` is set, e.g. `heavy_discount`):
 * found in one pass over that single column per file version; pages are read from the row groups
 * they fall in, whose flagged records are kept, and sorts and discount filters read only the
 * column they need. The clean parquet may be one file or a dataset directory (`clean-data
 * --partition-by`, shards): its row groups, file after file, are numbered as one sequence of rows.
 */
import {
  type DatasetRowGroup,
  openParquetDataset,
  type ParquetDataset,
} from "../../src/io/parquet_dataset.ts";
import { FileDerivedCache } from "./file_cache.ts";

/** A row group of the dataset with its rows in the dataset's numbering. */
interface NumberedGroup extends DatasetRowGroup {
  /** Its position in the dataset's row groups. */
  position: number;
  rowStart: number;
  rowEnd: number;
}

/** The dataset's row groups, numbered file after file. */
function numberedGroups(dataset: ParquetDataset): NumberedGroup[] {
  let rowStart = 0;
  return dataset.rowGroups.map((group, position) => {
    const numbered = { ...group, position, rowStart, rowEnd: rowStart + group.rows };
    rowStart = numbered.rowEnd;
    return numbered;
  });
}

export interface AnomalyIndex {
  path: string;
  /** Rows of the file or dataset. */
  rowCount: number;
  /** Flag → rows. */
  flagCounts: Map<string, number>;
  /** Row numbers of flagged rows, ascending. */
  rows: Float64Array;
  /** Flag of each entry of `rows`. */
  flags: string[];
  /** Column → its values at `rows`, read when a sort or filter first needs them. */
  columnValues: Map<string, Promise<unknown[]>>;
  /**
   * Row group (its position in the dataset) → the full records of its flagged rows, by row number: a parquet is read a whole
   * column chunk at a time, so a page reads each row group it touches once and keeps every
   * flagged row of it (few: flagged rows are rare), and later pages and sorts reuse them.
   */
  groupRecords: Map<number, Promise<Map<number, Record<string, unknown>>>>;
}

const indexes = new FileDerivedCache<AnomalyIndex>(4);
/** Flagged rows whose full records are kept once read (beyond it, row groups are read again). */
const MAX_KEPT_RECORDS = 200_000;

/** The flagged rows of the current version of a clean parquet. */
export function anomalyIndex(path: string): Promise<AnomalyIndex> {
  return indexes.get(path, buildIndex);
}

async function buildIndex(path: string): Promise<AnomalyIndex> {
  using file = await openParquetDataset(path);
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
      groupRecords: new Map(),
    };
  }
  for (const group of numberedGroups(file)) {
    const batch = await file.readRowGroup(group, ["anomaly_flag"]);
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
    groupRecords: new Map(),
  };
}

/** The full records of `rows` (flagged rows), reading each row group they fall in at most once. */
async function flaggedRecords(
  index: AnomalyIndex,
  file: ParquetDataset,
  rows: readonly number[],
): Promise<Map<number, Record<string, unknown>>> {
  const keep = index.rows.length <= MAX_KEPT_RECORDS;
  const found = new Map<number, Record<string, unknown>>();
  const allGroups = numberedGroups(file);
  const groups = new Set<NumberedGroup>();
  for (const row of rows) {
    const group = allGroups.find((candidate) =>
      row >= candidate.rowStart && row < candidate.rowEnd
    );
    if (group) groups.add(group); // none: the file changed; the next request re-indexes
  }
  for (const group of groups) {
    let records = keep ? index.groupRecords.get(group.position) : undefined;
    if (!records) {
      records = readGroupRecords(index, file, group);
      if (keep) {
        index.groupRecords.set(group.position, records);
        records.catch(() => index.groupRecords.delete(group.position));
      }
    }
    for (const [row, record] of await records) found.set(row, record);
  }
  return found;
}

async function readGroupRecords(
  index: AnomalyIndex,
  file: ParquetDataset,
  group: NumberedGroup,
): Promise<Map<number, Record<string, unknown>>> {
  const batch = await file.readRowGroup(group);
  const columns = file.columns.map((column) => column.name);
  const records = new Map<number, Record<string, unknown>>();
  // The flagged rows of this group: a binary search for the first, then in order.
  let low = 0;
  let high = index.rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (index.rows[middle] < group.rowStart) low = middle + 1;
    else high = middle;
  }
  for (let entry = low; entry < index.rows.length && index.rows[entry] < group.rowEnd; entry++) {
    const offset = index.rows[entry] - group.rowStart;
    records.set(
      index.rows[entry],
      Object.fromEntries(columns.map((name) => [name, batch.columns[name][offset]])),
    );
  }
  return records;
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
  using file = await openParquetDataset(index.path);
  const values: unknown[] = new Array(index.rows.length);
  let entry = 0;
  for (const group of numberedGroups(file)) {
    if (entry >= index.rows.length) break;
    if (index.rows[entry] >= group.rowEnd) continue;
    const batch = await file.readRowGroup(group, [column]);
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
  const pageRows = selected.slice(first, first + options.pageSize);
  using file = await openParquetDataset(path);
  const columns = file.columns.map((column) => column.name);
  const byRow = await flaggedRecords(index, file, pageRows);
  const rows: Record<string, unknown>[] = [];
  for (const row of pageRows) {
    const values = byRow.get(row);
    if (values) rows.push(values);
  }
  return { columns, rows, total, page, pageCount, first };
}
