/**
 * A small parquet table (an aggregation) held in memory as columns, decoded once per file version.
 *
 * Aggregation tables are small by construction (days, months × categories, products), so the
 * explorer filters, sorts and pages them in memory; the cache is keyed by the file's signature so a
 * rebuilt table is read again on the next request.
 */
import { openParquet, type ParquetColumnInfo } from "../../src/io/parquet_read.ts";
import { type ColumnKind, formatOfColumn, MONTH_PATTERN } from "../shared/columns.ts";
import type { ValueFormat } from "../shared/format.ts";
import { FileDerivedCache } from "./file_cache.ts";

/** One column: numbers (days for dates) or strings, `null` where the value is missing. */
export interface TableColumn {
  name: string;
  kind: ColumnKind;
  format: ValueFormat;
  values: ArrayLike<number | null> | ArrayLike<string | null>;
}

export interface DataTable {
  path: string;
  rowCount: number;
  columns: TableColumn[];
  /** Last modification of the file, in ms since the epoch. */
  modifiedMs: number;
  bytes: number;
}

/** Tables larger than this are refused: the explorer is for aggregations, not raw data. */
export const MAX_TABLE_ROWS = 5_000_000;

const tables = new FileDerivedCache<DataTable>(64);

/** Reads the current version of a parquet table (decoded at most once per version). */
export function readDataTable(path: string): Promise<DataTable> {
  return tables.get(path, decodeTable);
}

async function decodeTable(path: string, info: Deno.FileInfo): Promise<DataTable> {
  using file = await openParquet(path);
  if (file.rowCount > MAX_TABLE_ROWS) {
    throw new Error(
      `${path} has ${file.rowCount} rows; the explorer shows tables of up to ${MAX_TABLE_ROWS}`,
    );
  }
  const batch = await file.readRows();
  const columns = file.columns.map((info): TableColumn => {
    const raw = batch.columns[info.name];
    const { kind, values } = normaliseColumn(info, raw);
    return { name: info.name, kind, format: formatOfColumn(info.name, kind), values };
  });
  return {
    path,
    rowCount: file.rowCount,
    columns,
    modifiedMs: info.mtime?.getTime() ?? 0,
    bytes: info.size,
  };
}

function normaliseColumn(
  info: ParquetColumnInfo,
  raw: ArrayLike<unknown>,
): Pick<TableColumn, "kind" | "values"> {
  switch (info.type) {
    case "DATE":
      return { kind: "date", values: raw as ArrayLike<number | null> };
    case "INT32":
    case "INT64":
      return { kind: "integer", values: raw as ArrayLike<number | null> };
    case "FLOAT":
    case "DOUBLE":
      return { kind: "number", values: raw as ArrayLike<number | null> };
    case "STRING": {
      const values = raw as ArrayLike<string | null>;
      return { kind: looksLikeMonths(info.name, values) ? "month" : "text", values };
    }
    default:
      return {
        kind: "text",
        values: Array.from(
          raw,
          (value) => value === null || value === undefined ? null : String(value),
        ),
      };
  }
}

/** A `month` column, or any string column whose values are all `YYYY-MM`. */
function looksLikeMonths(name: string, values: ArrayLike<string | null>): boolean {
  let seen = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (value === null) continue;
    if (!MONTH_PATTERN.test(value)) return false;
    seen++;
  }
  return seen > 0 || name === "month";
}
