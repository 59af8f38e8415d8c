/// <reference lib="deno.worker" />
/**
 * A generation worker: builds the row tables once, then writes whichever blocks the main thread
 * asks for into buffers it transfers back (no copy). Blocks depend only on their number, so which
 * worker writes which block never changes the file. For a `.gz` output it also compresses each
 * block, so compression runs on every core too.
 */
import { deflateBlock } from "./_gzip.ts";
import { writeBlock } from "./block_writer.ts";
import { buildRowTables, type RowTables } from "./row_tables.ts";
import type { OrderIdShape } from "./order_ids.ts";
import { workerFaultCheckpoint } from "../io/worker_fault.ts";
import { reply, serveRequests } from "../io/pool_worker.ts";

/** The first message: what every block of this file shares. */
export interface WorkerSetup {
  type: "setup";
  seed: number;
  dirty: boolean;
  asOf: string;
  /** How order IDs are written (`generate-data --id-shape`). */
  idShape: OrderIdShape;
  /** Compress each block (raw deflate, see `_gzip.ts`) before handing it back. */
  compress: boolean;
}

/** Write block `block` (`rowCount` rows), into `buffer` when it is large enough. */
export interface BlockRequest {
  type: "block";
  block: number;
  rowCount: number;
  buffer?: ArrayBuffer;
}

/** A written block: its bytes (CSV, or deflated CSV) are `buffer[0 .. length)`. */
export interface BlockDone {
  type: "block";
  block: number;
  buffer: ArrayBuffer;
  length: number;
  /** Bytes of CSV in the block, before any compression. */
  csvBytes: number;
  /** CRC-32 of the block's CSV, when compressed. */
  crc32?: number;
}

let setup: WorkerSetup | undefined;
let tables: RowTables | undefined;

serveRequests<WorkerSetup | BlockRequest>((message) => {
  if (message.type === "setup") {
    setup = message;
    tables = buildRowTables(message.asOf);
    return;
  }
  if (!setup || !tables) throw new Error("generation worker got a block before its setup");
  workerFaultCheckpoint("generate", message.block);
  const capacity = message.rowCount * tables.maxRowBytes;
  const buffer = message.buffer && message.buffer.byteLength >= capacity
    ? message.buffer
    : new ArrayBuffer(capacity);
  const csvBytes = writeBlock(
    tables,
    {
      seed: setup.seed,
      dirty: setup.dirty,
      block: message.block,
      rowCount: message.rowCount,
      idShape: setup.idShape,
    },
    new Uint8Array(buffer),
  );
  if (!setup.compress) {
    const done: BlockDone = {
      type: "block",
      block: message.block,
      buffer,
      length: csvBytes,
      csvBytes,
    };
    reply(done, [buffer]);
    return;
  }
  const { deflated, crc32 } = deflateBlock(new Uint8Array(buffer, 0, csvBytes));
  // The CSV is no longer needed: the same buffer carries the compressed bytes back.
  const carrier = deflated.length <= buffer.byteLength ? buffer : new ArrayBuffer(deflated.length);
  new Uint8Array(carrier).set(deflated);
  const done: BlockDone = {
    type: "block",
    block: message.block,
    buffer: carrier,
    length: deflated.length,
    csvBytes,
    crc32,
  };
  reply(done, [carrier]);
});
