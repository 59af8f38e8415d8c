/** Messages between `build-aggregations` and its scan workers. */

/** Main → worker, once: what to scan. Row groups are claimed from `nextRowGroup` (an Int32 counter). */
export interface ScanRequest {
  type: "scan";
  /** The clean parquet or dataset directory, for messages. */
  path: string;
  /** Its files, in the order the row groups are numbered. */
  paths: string[];
  isDirectory: boolean;
  tableNames: string[];
  columns: string[];
  nextRowGroup: SharedArrayBuffer;
}

/** A scan that throws is answered by the pool's `failed` reply (src/io/ordered_pool.ts). */
export type ScanReply =
  /** A row group is done: `rows` more rows counted. */
  | { type: "progress"; rows: number }
  /** All claimed row groups are done: each table's accumulator state, in `tableNames` order. */
  | { type: "done"; states: unknown[] };
