/// <reference lib="deno.worker" />
/**
 * A generation worker: builds the row tables once, then writes whichever blocks the main thread
 * asks for into buffers it transfers back (no copy). Blocks depend only on their number, so which
 * worker writes which block never changes the file.
 */
import { writeBlock } from "./block_writer.ts";
import { buildRowTables, type RowTables } from "./row_tables.ts";

/** The first message: what every block of this file shares. */
export interface WorkerSetup {
  type: "setup";
  seed: number;
  dirty: boolean;
  asOf: string;
}

/** Write block `block` (`rowCount` rows), into `buffer` when it is large enough. */
export interface BlockRequest {
  type: "block";
  block: number;
  rowCount: number;
  buffer?: ArrayBuffer;
}

/** A written block: its CSV bytes are `buffer[0 .. length)`. */
export interface BlockDone {
  type: "block";
  block: number;
  buffer: ArrayBuffer;
  length: number;
}

let setup: WorkerSetup | undefined;
let tables: RowTables | undefined;

self.onmessage = (event: MessageEvent<WorkerSetup | BlockRequest>) => {
  const message = event.data;
  if (message.type === "setup") {
    setup = message;
    tables = buildRowTables(message.asOf);
    return;
  }
  if (!setup || !tables) throw new Error("generation worker got a block before its setup");
  const capacity = message.rowCount * tables.maxRowBytes;
  const buffer = message.buffer && message.buffer.byteLength >= capacity
    ? message.buffer
    : new ArrayBuffer(capacity);
  const length = writeBlock(
    tables,
    { seed: setup.seed, dirty: setup.dirty, block: message.block, rowCount: message.rowCount },
    new Uint8Array(buffer),
  );
  const done: BlockDone = { type: "block", block: message.block, buffer, length };
  self.postMessage(done, [buffer]);
};
