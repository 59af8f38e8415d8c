/**
 * One row group of the clean parquet as the tables see it: the columns read, plus values derived
 * from them (day, month, cents, string ids), each computed once per row group however many tables
 * use it.
 */
import { CLEAN_COLUMNS, type CleanColumnName } from "../cleaning/clean_schema.ts";
import type { ColumnValues, ParquetRowBatch } from "../io/parquet_read.ts";
import { dayFromEpochSeconds, monthOfDay } from "./calendar.ts";
import { IntSlotIndex } from "./group_totals.ts";
import { centsOf } from "./money.ts";
import type { StringIdRegistry } from "./string_ids.ts";

/** Month numbers of the days seen by this thread (a clean file spans a few thousand days). */
const monthByDay = new IntSlotIndex();

/** Columns the clean contract says never hold null. */
const REQUIRED_COLUMNS: ReadonlySet<string> = new Set(
  CLEAN_COLUMNS.filter((column) => !column.nullable).map((column) => column.name),
);

/** `parseStrings` for reading `columns` (those that are strings) as ids of `ids`. */
export function stringIdParsers(
  columns: readonly string[],
  stringColumns: ReadonlySet<string>,
  ids: StringIdRegistry,
): Record<string, (bytes: Uint8Array) => number> {
  return Object.fromEntries(
    columns.filter((column) => stringColumns.has(column)).map((column) => [
      column,
      ids.for(column).idOfBytes,
    ]),
  );
}

export class AggregationBatch {
  readonly rowCount: number;
  readonly #columns: Record<string, ColumnValues>;
  readonly #ids: StringIdRegistry;
  readonly #derived = new Map<string, unknown>();

  constructor(batch: ParquetRowBatch, ids: StringIdRegistry) {
    this.rowCount = batch.rowCount;
    this.#columns = batch.columns;
    this.#ids = ids;
  }

  /** A required numeric column (INT64 arrives as exact numbers). */
  numbers(column: CleanColumnName): Float64Array {
    const values = this.#column(column);
    if (!(values instanceof Float64Array)) throw new Error(`column ${column} is not numeric`);
    return values;
  }

  /**
   * Thread-local ids of a string column's values (`StringIdRegistry`); −1 for null. The scan reads
   * string columns as ids already (see `stringIdParsers`); plain strings are interned here.
   */
  ids(column: CleanColumnName): ArrayLike<number> {
    return this.#memo(`ids:${column}`, () => {
      const values = this.#column(column) as ArrayLike<number | string | null>;
      // A required column read as ids is already what the tables need.
      if (REQUIRED_COLUMNS.has(column) && typeof values[0] === "number") {
        return values as ArrayLike<number>;
      }
      const ids = this.#ids.for(column);
      const output = new Int32Array(this.rowCount);
      for (let row = 0; row < output.length; row++) {
        const value = values[row];
        output[row] = typeof value === "number" ? value : value === null ? -1 : ids.id(value);
      }
      return output;
    });
  }

  /** Days since 1970-01-01 of each row's `sale_date`. */
  days(): Int32Array {
    return this.#memo("days", () => {
      const seconds = this.numbers("sale_date");
      const output = new Int32Array(this.rowCount);
      for (let row = 0; row < output.length; row++) output[row] = dayFromEpochSeconds(seconds[row]);
      return output;
    });
  }

  /** Month numbers (year × 12 + month − 1) of each row's sale day. */
  months(): Int32Array {
    return this.#memo("months", () => {
      const days = this.days();
      const output = new Int32Array(this.rowCount);
      for (let row = 0; row < output.length; row++) {
        const day = days[row];
        let month = monthByDay.get(day);
        if (month < 0) {
          month = monthOfDay(day);
          monthByDay.set(day, month);
        }
        output[row] = month;
      }
      return output;
    });
  }

  /** A money column in whole cents per row: `round(value × 100)`. */
  cents(column: "revenue" | "unit_price"): Float64Array {
    return this.#memo(`cents:${column}`, () => {
      const amounts = this.numbers(column);
      const output = new Float64Array(this.rowCount);
      for (let row = 0; row < output.length; row++) output[row] = centsOf(amounts[row]);
      return output;
    });
  }

  #column(column: string): ColumnValues {
    const values = this.#columns[column];
    if (!values) throw new Error(`column ${column} was not read for this batch`);
    return values;
  }

  #memo<T>(key: string, compute: () => T): T {
    let value = this.#derived.get(key) as T | undefined;
    if (value === undefined) {
      value = compute();
      this.#derived.set(key, value);
    }
    return value;
  }
}
