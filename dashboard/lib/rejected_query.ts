/**
 * What the URL asks of the rejected rows: a reason, a search, column filters and a sort order; and
 * the pure functions that apply them to one row. Unknown columns and values are dropped, not
 * trusted.
 *
 * URL parameters (all optional, all kept by paging, sorting and the CSV download):
 * - `reason`: one rejection reason;
 * - `q`: text searched in every field (order_id or any value), ignoring case;
 * - `where=COLUMN=VALUE` (repeatable): the column's value equals VALUE, ignoring case and the
 *   spaces around it (`region=Atlantis`; `region=` is a blank region);
 * - `sort=COLUMN` and `dir=asc|desc`: numbers first (by value), then text (natural order), then
 *   blanks, in either direction; without `sort` rows keep the file's order.
 */
import { REJECTION_REASONS } from "../../src/cleaning/rules/reasons.ts";

export interface ColumnFilter {
  column: string;
  value: string;
}

export interface RejectedQuery {
  reason?: string;
  search?: string;
  filters: ColumnFilter[];
  sort?: string;
  direction: "asc" | "desc";
}

/** Longest search or filter value read from a URL; longer text is cut (a URL is no database). */
export const MAX_QUERY_TEXT = 200;
/** Column filters read from one URL. */
export const MAX_FILTERS = 8;

/** Reads a query from URL parameters; `header` is the rejected CSV's header. */
export function parseRejectedQuery(
  params: URLSearchParams,
  header: readonly string[],
): RejectedQuery {
  const columns = new Set(header);
  const filters: ColumnFilter[] = [];
  const pairs = params.getAll("where").map((text) => {
    const at = text.indexOf("=");
    return at < 0 ? undefined : { column: text.slice(0, at), value: text.slice(at + 1) };
  });
  // The no-JavaScript form's "add a filter" fields, folded into the same list.
  if (params.get("wcol")) {
    pairs.push({ column: params.get("wcol")!, value: params.get("wval") ?? "" });
  }
  for (const pair of pairs) {
    if (!pair || !columns.has(pair.column) || filters.length >= MAX_FILTERS) continue;
    const value = pair.value.trim().slice(0, MAX_QUERY_TEXT);
    if (filters.some((filter) => filter.column === pair.column && filter.value === value)) continue;
    filters.push({ column: pair.column, value });
  }
  const search = params.get("q")?.trim().slice(0, MAX_QUERY_TEXT) || undefined;
  const sort = params.get("sort") ?? undefined;
  return {
    reason: params.get("reason") || undefined,
    search,
    filters,
    sort: sort !== undefined && columns.has(sort) ? sort : undefined,
    direction: params.get("dir") === "desc" ? "desc" : "asc",
  };
}

/** The URL parameters of a query (the canonical form: `wcol`/`wval` become a `where`). */
export function queryParams(query: RejectedQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.reason) params.set("reason", query.reason);
  if (query.search) params.set("q", query.search);
  for (const filter of query.filters) params.append("where", `${filter.column}=${filter.value}`);
  if (query.sort) {
    params.set("sort", query.sort);
    params.set("dir", query.direction);
  }
  return params;
}

/** True when only a reason (or nothing) is asked: the index answers without reading rows. */
export function isIndexedQuery(query: RejectedQuery): boolean {
  return !query.search && query.filters.length === 0 && !query.sort;
}

/** A key naming the set and order of rows a query selects (paging aside). */
export function queryKey(query: RejectedQuery): string {
  return JSON.stringify([query.reason, query.search, query.filters, query.sort, query.direction]);
}

/** Fold for comparing text: trimmed and lower-cased, as people type it. */
function fold(text: string): string {
  return text.trim().toLowerCase();
}

/**
 * The test a row must pass, given the header: the reason, every column filter and the search.
 * `reasonColumn` is where the reason is (the last `rejection_reason` column).
 */
export function rowMatcher(
  query: RejectedQuery,
  header: readonly string[],
): (row: readonly string[]) => boolean {
  const reasonColumn = header.lastIndexOf("rejection_reason");
  const filters = query.filters.map((filter) => ({
    column: header.indexOf(filter.column),
    value: fold(filter.value),
  }));
  const needle = query.search?.toLowerCase();
  return (row) => {
    if (query.reason !== undefined && row[reasonColumn] !== query.reason) return false;
    for (const filter of filters) if (fold(row[filter.column] ?? "") !== filter.value) return false;
    if (needle !== undefined && !row.some((field) => field.toLowerCase().includes(needle))) {
      return false;
    }
    return true;
  };
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A cell's sort key: a number when it reads as one, else its text; blank is `undefined`. */
export function sortKey(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return NUMBER.test(trimmed) ? Number(trimmed) : trimmed;
}

/**
 * Ascending order of two sort keys: numbers before text, numbers by value, text in natural order
 * (`ORD-9` before `ORD-10`). Blanks are handled by the caller (last either way).
 */
export function compareSortKeys(a: number | string, b: number | string): number {
  if (typeof a === "number") return typeof b === "number" ? a - b : -1;
  if (typeof b === "number") return 1;
  return collator.compare(a, b);
}

/** Reason → its place in rule order (unknown reasons after every known one). */
export function ruleOrder(reason: string): number {
  const at = (REJECTION_REASONS as readonly string[]).indexOf(reason);
  return at < 0 ? REJECTION_REASONS.length : at;
}

/**
 * The input fields each rule looks at, by role, so a page can mark where a row failed.
 * `invalid_calculated_revenue` is computed from three fields; `malformed_row` has no field.
 */
export const FAILING_FIELDS: Readonly<Record<string, readonly string[]>> = {
  missing_order_id: ["order_id"],
  duplicate_order_id: ["order_id"],
  missing_product_name: ["product_name"],
  invalid_quantity: ["quantity"],
  zero_quantity: ["quantity"],
  invalid_unit_price: ["unit_price"],
  unknown_category: ["category"],
  unknown_region: ["region"],
  invalid_sale_date: ["sale_date"],
  sale_date_out_of_range: ["sale_date"],
  invalid_calculated_revenue: ["quantity", "unit_price", "discount_percent"],
};

/** A header name as a role: lower case, runs of other characters as `_` ("Order ID" → order_id). */
export function roleOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}

/** The header columns a reason points at (by role), for highlighting. */
export function failingColumns(header: readonly string[], reason: string): Set<number> {
  const roles = FAILING_FIELDS[reason] ?? [];
  const columns = new Set<number>();
  header.forEach((name, column) => {
    if (roles.includes(roleOf(name))) columns.add(column);
  });
  return columns;
}

/** Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A value made safe to open in a spreadsheet: one that starts with `=` `+` `-` `@`, a tab or a
 * carriage return gets a leading `'`, so Excel, LibreOffice and Sheets show it as text instead of
 * running it as a formula. A negative number such as `-8` becomes `'-8` as well.
 */
export function spreadsheetSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
