/**
 * The explorer's view of a table: which column is time, which are dimensions and measures, and
 * how the URL's filters, sort order and page select rows. Pure functions over a {@linkcode DataTable}.
 */
import { isNumericKind } from "../shared/columns.ts";
import { daysFromIsoDate, isoDateFromDays } from "../shared/format.ts";
import type { DataTable, TableColumn } from "./parquet_table.ts";
import { searchTest } from "./text_search.ts";

/** The roles of a table's columns. */
export interface TableShape {
  /** The `date` or `month` column, when there is one. */
  time?: TableColumn;
  /** A `category` column (filterable). */
  category?: TableColumn;
  /** A `region` column (filterable). */
  region?: TableColumn;
  /** Text columns other than time, in table order (the search looks in these). */
  dimensions: TableColumn[];
  /** Numeric columns, in table order. */
  measures: TableColumn[];
}

export function tableShape(table: DataTable): TableShape {
  const time = table.columns.find((column) => column.kind === "date") ??
    table.columns.find((column) => column.kind === "month");
  const textColumn = (name: string) =>
    table.columns.find((column) => column.name === name && column.kind === "text");
  return {
    time,
    category: textColumn("category"),
    region: textColumn("region"),
    dimensions: table.columns.filter((column) => column.kind === "text"),
    measures: table.columns.filter((column) => isNumericKind(column.kind)),
  };
}

/** Page sizes offered; anything else in the URL falls back to the default. */
export const PAGE_SIZES = [25, 50, 100, 250] as const;
export const DEFAULT_PAGE_SIZE = 50;

/** What the URL asks of a table, after validation (unknown values are dropped, not trusted). */
export interface TableQuery {
  /** Inclusive `YYYY-MM-DD` bounds on the time column. */
  from?: string;
  to?: string;
  /** Words searched for in the text columns (`q`). */
  search?: string;
  /** Categories kept (`category`, repeated); none or empty keeps all. */
  category?: string[];
  /** Regions kept (`region`, repeated); none or empty keeps all. */
  region?: string[];
  sort?: string;
  direction: "asc" | "desc";
  /** 1-based. */
  page: number;
  pageSize: number;
  /** The measure charted. */
  measure?: string;
}

/** Whether the query keeps only some rows (a date range, a choice, a search). */
export function isFiltered(query: TableQuery): boolean {
  return Boolean(
    query.from || query.to || query.search || query.category?.length || query.region?.length,
  );
}

/** Reads a table query from URL parameters; values that do not fit the table are ignored. */
export function parseTableQuery(params: URLSearchParams, table: DataTable): TableQuery {
  const shape = tableShape(table);
  const columnNames = new Set(table.columns.map((column) => column.name));
  const date = (name: string) => {
    const value = params.get(name)?.trim();
    return value && daysFromIsoDate(value) !== undefined ? value : undefined;
  };
  const chosen = (name: string) => [...new Set(params.getAll(name).filter((value) => value))];
  const search = params.get("q")?.trim().slice(0, 200);
  const sort = params.get("sort") ?? undefined;
  const pageSize = Number(params.get("size"));
  const page = Number(params.get("page"));
  const measure = params.get("measure") ?? undefined;
  let from = shape.time ? date("from") : undefined;
  let to = shape.time ? date("to") : undefined;
  if (from && to && from > to) [from, to] = [to, from];
  return {
    from,
    to,
    search: search && shape.dimensions.length > 0 ? search : undefined,
    category: shape.category ? chosen("category") : [],
    region: shape.region ? chosen("region") : [],
    sort: sort && columnNames.has(sort) ? sort : undefined,
    direction: params.get("dir") === "desc" ? "desc" : "asc",
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
    measure: shape.measures.some((column) => column.name === measure) ? measure : undefined,
  };
}

/** The row indices that pass the query's filters, in table order. */
export function filterRows(table: DataTable, shape: TableShape, query: TableQuery): Uint32Array {
  const tests: ((row: number) => boolean)[] = [];
  if (shape.time && (query.from || query.to)) {
    const values = shape.time.values;
    if (shape.time.kind === "date") {
      const from = query.from ? daysFromIsoDate(query.from)! : -Infinity;
      const to = query.to ? daysFromIsoDate(query.to)! : Infinity;
      tests.push((row) => {
        const day = values[row] as number | null;
        return day !== null && day >= from && day <= to;
      });
    } else {
      const from = query.from?.slice(0, 7) ?? "";
      const to = query.to?.slice(0, 7) ?? "\uffff";
      tests.push((row) => {
        const month = values[row] as string | null;
        return month !== null && month >= from && month <= to;
      });
    }
  }
  const choices: [TableColumn | undefined, string[] | undefined][] = [
    [shape.category, query.category],
    [shape.region, query.region],
  ];
  for (const [column, wanted] of choices) {
    if (!column || !wanted || wanted.length === 0) continue;
    const values = column.values;
    const kept = new Set(wanted);
    tests.push((row) => kept.has(values[row] as string));
  }
  const search = searchTest(table, query.search);
  if (search) tests.push(search);
  const kept = new Uint32Array(table.rowCount);
  let count = 0;
  rows: for (let row = 0; row < table.rowCount; row++) {
    for (const test of tests) if (!test(row)) continue rows;
    kept[count++] = row;
  }
  return kept.slice(0, count);
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** Sorts row indices by a column (stable; missing values last in either direction). */
export function sortRows(
  rows: Uint32Array,
  column: TableColumn | undefined,
  direction: "asc" | "desc",
): Uint32Array {
  if (!column) return rows;
  const values = column.values;
  const sign = direction === "asc" ? 1 : -1;
  const numeric = typeof findFirstValue(values) === "number";
  const order = Array.from(rows);
  order.sort((left, right) => {
    const a = values[left];
    const b = values[right];
    if (a === null || b === null) {
      if (a === b) return left - right;
      return a === null ? 1 : -1;
    }
    const compared = numeric
      ? (a as number) - (b as number)
      : collator.compare(a as string, b as string);
    return compared !== 0 ? sign * compared : left - right;
  });
  return Uint32Array.from(order);
}

function findFirstValue(values: ArrayLike<unknown>): unknown {
  for (let index = 0; index < values.length; index++) {
    if (values[index] !== null) return values[index];
  }
  return undefined;
}

/** The page's slice of rows, with the page number clamped to the pages that exist. */
export function pageOf(
  rows: Uint32Array,
  page: number,
  pageSize: number,
): { rows: Uint32Array; page: number; pageCount: number; first: number } {
  const pageCount = Math.max(1, Math.ceil(rows.length / pageSize));
  const clamped = Math.min(Math.max(1, page), pageCount);
  const first = (clamped - 1) * pageSize;
  return { rows: rows.subarray(first, first + pageSize), page: clamped, pageCount, first };
}

/** A text column's distinct values, sorted for a filter list. */
export function distinctValues(column: TableColumn): string[] {
  const seen = new Set<string>();
  const values = column.values as ArrayLike<string | null>;
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (value !== null) seen.add(value);
  }
  return [...seen].sort(collator.compare);
}

/** The first and last day covered by the time column, as `YYYY-MM-DD`. */
export function timeBounds(column: TableColumn): { min: string; max: string } | undefined {
  let min: number | string | undefined;
  let max: number | string | undefined;
  const values = column.values;
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (value === null) continue;
    if (min === undefined || value < min) min = value;
    if (max === undefined || value > max) max = value;
  }
  if (min === undefined || max === undefined) return undefined;
  if (column.kind === "date") {
    return { min: isoDateFromDays(min as number), max: isoDateFromDays(max as number) };
  }
  return { min: `${min}-01`, max: lastDayOfMonth(max as string) };
}

function lastDayOfMonth(month: string): string {
  const [year, monthNumber] = month.split("-").map(Number);
  const day = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, "0")}`;
}

export interface DatePreset {
  label: string;
  from?: string;
  to?: string;
}

/**
 * Ranges a person picks in one click, ending at the table's last day (the data stops at the clean
 * run's as-of date, so "last 30 days" of the calendar could be empty): last 30 and 90 days, that
 * day's year, and all time.
 */
export function datePresets(bounds: { min: string; max: string }): DatePreset[] {
  const last = daysFromIsoDate(bounds.max)!;
  const clamp = (day: string) => day < bounds.min ? bounds.min : day;
  return [
    { label: "Last 30 days", from: clamp(isoDateFromDays(last - 29)), to: bounds.max },
    { label: "Last 90 days", from: clamp(isoDateFromDays(last - 89)), to: bounds.max },
    {
      label: `This year (${bounds.max.slice(0, 4)})`,
      from: clamp(`${bounds.max.slice(0, 4)}-01-01`),
      to: bounds.max,
    },
    { label: "All time" },
  ];
}
