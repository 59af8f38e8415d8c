/**
 * What a metric table is (docs/schemas.md): a self-contained module with a name, the clean columns it
 * reads, and an accumulator. Adding a metric means adding one module under `tables/` and its line
 * in `registry.ts`; the scan, the workers and the writing need no change.
 */
import type { CleanColumnName } from "../cleaning/clean_schema.ts";
import type { ParquetTableColumn } from "../io/parquet_write.ts";
import type { AggregationBatch } from "./aggregation_batch.ts";
import type { CleanReportSummary } from "./clean_report.ts";
import type { StringIdRegistry } from "./string_ids.ts";

/** What a table may use besides its rows when it produces its result. */
export interface ResultContext {
  /** The clean report written next to the clean parquet. */
  report: CleanReportSummary;
}

/**
 * Sums over rows, built in several threads at once: each thread `add`s its row groups, hands its
 * `state()` (structured-clone friendly, no thread-local ids) to the main thread, which `merge`s
 * them into one accumulator and asks for the `result`. The result must not depend on how rows
 * were split between threads.
 */
export interface TableAccumulator {
  add(batch: AggregationBatch): void;
  state(): unknown;
  merge(state: unknown): void;
  /** The table's columns, in order, sorted as documented in docs/schemas.md. */
  result(context: ResultContext): ParquetTableColumn[];
}

export interface AggregationTable {
  /** The file name without `.parquet`. */
  name: string;
  /** One line for people: the grain and what it answers. */
  description: string;
  /** The clean columns it reads; empty for a table built from the clean report alone. */
  columns: readonly CleanColumnName[];
  createAccumulator(ids: StringIdRegistry): TableAccumulator;
}
