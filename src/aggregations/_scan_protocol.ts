/** Messages between `build-aggregations` and its scan workers. */

/** Main → worker, once: what to scan. Row groups are claimed from `nextRowGroup` (an Int32 counter). */
export interface ScanRequest {
  /** The clean parquet or dataset directory, for messages. */
  path: string;
  /** Its files, in the order the row groups are numbered. */
  paths: string[];
  isDirectory: boolean;
  tableNames: string[];
  columns: string[];
  nextRowGroup: SharedArrayBuffer;
}

export type ScanReply =
  /** A row group is done: `rows` more rows counted. */
  | { kind: "progress"; rows: number }
  /** All claimed row groups are done: each table's accumulator state, in `tableNames` order. */
  | { kind: "done"; states: unknown[] }
  | { kind: "error"; message: string; userError: boolean };
