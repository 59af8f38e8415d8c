/**
 * Messages between clean-data's main thread and its workers. A request that throws is answered by
 * the pool's `failed` reply instead (src/io/ordered_pool.ts).
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
  | { type: "finish"; chunkId: number; duplicates: Uint8Array; firstLine: number }
  // The key census (dedup/key_census.ts): scan for claims only, spill them, resolve partitions.
  | { type: "census-open"; directory: string; writer: string; bufferBytes: number }
  | {
    type: "census-scan";
    chunkId: number;
    buffer: SharedArrayBuffer;
    begin: number;
    end: number;
    final: boolean;
  }
  | { type: "census-discard"; chunkId: number }
  | { type: "census-spill"; chunkId: number; firstOrdinal: number }
  | { type: "census-close" }
  | { type: "resolve"; paths: string[]; budgetBytes: number; directory: string };

export type WorkerReply =
  | { type: "scanned"; chunkId: number; scan: ChunkScan }
  | { type: "finished"; chunkId: number; output: ChunkOutput };

/** Replies to the key census's requests. */
export type CensusReply =
  | {
    type: "census-scanned";
    chunkId: number;
    consumed: number;
    lineFeeds: number;
    records: number;
    claims: number;
  }
  | { type: "census-spilled"; chunkId: number }
  | { type: "census-closed"; bytes: number }
  | { type: "resolved"; duplicates: Uint32Array };

/** A run's clean parquet schema: the contract columns, then its extra columns. */
export function cleanSchema(extras: readonly ExtraColumn[] = []): SchemaElement[] {
  return schemaFor(cleanColumnsWith(extras).map((column) => ({ ...column })));
}
