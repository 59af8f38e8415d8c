/**
 * One pass over the clean parquet (a file or a dataset directory) feeding every table: each row
 * group is read once, with the union of the columns the tables need, and handed to all of them.
 *
 * With several threads, this one and N − 1 workers each open the files and claim row groups from a
 * shared counter (so a slow core simply takes fewer); the workers' accumulators cross back as
 * states and are merged into this thread's. Every table's totals are exact sums, so the result is the same for any split.
 */
import { OrderedPool } from "../io/ordered_pool.ts";
import type { ParquetDataset } from "../io/parquet_dataset.ts";
import { AggregationBatch, stringIdParsers } from "./aggregation_batch.ts";
import type { ScanReply, ScanRequest } from "./_scan_protocol.ts";
import { StringIdRegistry } from "./string_ids.ts";
import type { AggregationTable, TableAccumulator } from "./table.ts";

export interface ScanOptions {
  tables: readonly AggregationTable[];
  /** Threads reading row groups; 1 scans in this thread. */
  workers: number;
  /** Called as row groups finish, with all rows done so far. */
  onRows?: (rows: number) => void;
}

/**
 * Reads row groups claimed through `claim` (undefined when none is left) into `accumulators`.
 * Used by the main thread alone and by each worker.
 */
export async function scanRowGroups(
  dataset: ParquetDataset,
  columns: readonly string[],
  accumulators: readonly TableAccumulator[],
  ids: StringIdRegistry,
  claim: () => number | undefined,
  onRowGroupDone: (rows: number) => void,
  options: { yieldBetweenRowGroups?: boolean } = {},
): Promise<void> {
  const stringColumns = new Set(
    dataset.columns.filter((column) => column.type === "STRING").map((column) => column.name),
  );
  const parseStrings = stringIdParsers(columns, stringColumns, ids);
  for (let index = claim(); index !== undefined; index = claim()) {
    const rows = await dataset.readRowGroup(dataset.rowGroups[index], columns, { parseStrings });
    const batch = new AggregationBatch(rows, ids);
    for (const accumulator of accumulators) accumulator.add(batch);
    onRowGroupDone(rows.rowCount);
    // The main thread lets workers' progress messages in between row groups.
    if (options.yieldBetweenRowGroups) await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/** Scans `dataset` for `tables`; returns one merged accumulator per table, in order. */
export async function scanForTables(
  dataset: ParquetDataset,
  columns: readonly string[],
  options: ScanOptions,
): Promise<TableAccumulator[]> {
  const ids = new StringIdRegistry();
  const accumulators = options.tables.map((table) => table.createAccumulator(ids));
  const groupCount = dataset.rowGroups.length;
  const workers = Math.min(options.workers, groupCount);
  let rowsDone = 0;
  const countRows = (rows: number) => {
    rowsDone += rows;
    options.onRows?.(rowsDone);
  };
  if (workers <= 1 || columns.length === 0) {
    let next = 0;
    const claim = () => (next < groupCount ? next++ : undefined);
    await scanRowGroups(dataset, columns, accumulators, ids, claim, countRows);
    return accumulators;
  }
  // This thread scans too: with N threads asked for, N − 1 workers start.
  const nextRowGroup = new SharedArrayBuffer(4);
  const counter = new Int32Array(nextRowGroup);
  const request: ScanRequest = {
    type: "scan",
    path: dataset.path,
    paths: [...dataset.paths],
    isDirectory: dataset.isDirectory,
    tableNames: options.tables.map((table) => table.name),
    columns: [...columns],
    nextRowGroup,
  };
  const workerStates: unknown[][] = [];
  const pool = new OrderedPool<ScanRequest, ScanReply>({
    script: new URL("./scan_worker.ts", import.meta.url),
    name: "aggregation worker",
    workers: workers - 1,
    maxInFlight: workers - 1,
    onReply: (reply, worker) => {
      if (reply.type === "progress") return countRows(reply.rows);
      workerStates[worker] = reply.states;
      pool.complete();
    },
  });
  const claim = () => {
    const index = Atomics.add(counter, 0, 1);
    return index < groupCount ? index : undefined;
  };
  try {
    for (let worker = 0; worker < pool.size; worker++) {
      pool.beginNow();
      pool.post(worker, request);
    }
    const ownScan = scanRowGroups(dataset, columns, accumulators, ids, claim, countRows, {
      yieldBetweenRowGroups: true,
    });
    await Promise.all([pool.drained(), ownScan]);
    for (const stateList of workerStates) {
      stateList.forEach((state, index) => accumulators[index].merge(state));
    }
    return accumulators;
  } finally {
    // After a failure anywhere, the other threads' work is moot.
    pool.terminate();
  }
}
