/**
 * Messages between clean-data's main thread and its workers.
 */
import type { ChunkOutput, ChunkScan, CleanerSetup } from "./chunk_cleaner.ts";
import { cleanColumnsWith, type ExtraColumn } from "./clean_schema.ts";
import { type SchemaElement, schemaFor } from "../io/row_group_encoder.ts";

export type WorkerRequest =
  | { type: "setup"; setup: CleanerSetup }
  | {
    type: "scan";
    chunkId: number;
    /** Shared, so the main thread keeps the bytes for a re-scan without copying them back. */
    buffer: SharedArrayBuffer;
    begin: number;
    end: number;
    final: boolean;
    /** Set when the chunk starts inside a record over the limit that is being skipped. */
    skipState?: number;
  }
  | { type: "discard"; chunkId: number }
  | { type: "finish"; chunkId: number; duplicates: Uint8Array; firstLine: number };

export type WorkerReply =
  | { type: "scanned"; chunkId: number; scan: ChunkScan }
  | { type: "finished"; chunkId: number; output: ChunkOutput }
  | { type: "failed"; message: string; stack?: string; userError: boolean };

/** A run's clean parquet schema: the contract columns, then its extra columns. */
export function cleanSchema(extras: readonly ExtraColumn[] = []): SchemaElement[] {
  return schemaFor(cleanColumnsWith(extras).map((column) => ({ ...column })));
}
