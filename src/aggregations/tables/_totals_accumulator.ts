/**
 * The accumulator of a table that sums into one {@linkcode GroupTotals}: what every such table does
 * besides its own `add` loop and columns, written once.
 */
import type { ParquetTableColumn } from "../../io/parquet_write.ts";
import type { AggregationBatch } from "../aggregation_batch.ts";
import type { GroupEntry, GroupTotals, GroupTotalsState } from "../group_totals.ts";
import type { TableAccumulator } from "../table.ts";
import { byLabels } from "./_sorting.ts";

/** A table's own parts: its loop over the rows, its row order and its columns. */
export interface TotalsTableParts {
  /** Adds a batch's rows into the totals (the hot loop). */
  add(batch: AggregationBatch): void;
  /** The groups that become rows, in row order. Default: all, ordered by their labels. */
  order?: (entries: GroupEntry[]) => GroupEntry[];
  /** The table's columns from its ordered groups. */
  columns(entries: GroupEntry[]): ParquetTableColumn[];
}

/**
 * An accumulator whose state is the totals' state, whose merge adds them, and whose result checks
 * that every sum stayed exact (named after `table` when one did not) before building the columns.
 */
export function totalsAccumulator(
  table: string,
  totals: GroupTotals,
  parts: TotalsTableParts,
): TableAccumulator {
  const order = parts.order ?? ((entries: GroupEntry[]) => entries.sort(byLabels));
  return {
    add: parts.add,
    state: () => totals.toState(),
    merge: (state) => totals.mergeState(state as GroupTotalsState),
    result() {
      totals.assertExact(table);
      return parts.columns(order(totals.entries()));
    },
  };
}
