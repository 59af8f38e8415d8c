/**
 * Blocks written by a pool of workers and handed over in file order.
 *
 * Workers take blocks as they become free (so a slow worker never holds the others back), at most
 * two queued each so none waits for work; the main thread consumes them strictly in order. The
 * number of blocks written but not yet consumed is capped, which bounds memory whatever the file
 * size, and consumed buffers go back to the workers instead of being reallocated.
 */
import { BLOCK_ROWS } from "./block_writer.ts";
import type { BlockDone, BlockRequest, WorkerSetup } from "./generate_worker.ts";
import type { OrderIdShape } from "./order_ids.ts";

export interface BlockPoolOptions {
  rows: number;
  workers: number;
  seed: number;
  dirty: boolean;
  asOf: string;
  /** How order IDs are written; default `ord`. */
  idShape?: OrderIdShape;
  /** Hand back each block deflated (see `_gzip.ts`) instead of as CSV. */
  compress: boolean;
  /** Receives each block in file order; its bytes are reused once it resolves. */
  consume: (block: FinishedBlock) => Promise<void> | void;
}

export interface FinishedBlock {
  /** CSV, or deflated CSV when compressing. */
  bytes: Uint8Array<ArrayBuffer>;
  rows: number;
  csvBytes: number;
  /** CRC-32 of the CSV, when compressing. */
  crc32?: number;
}

const QUEUED_PER_WORKER = 2;

/** Rows in block `block` of a file of `rows` rows. */
export function rowsInBlock(rows: number, block: number): number {
  return Math.min(BLOCK_ROWS, rows - block * BLOCK_ROWS);
}

export async function produceBlocksInOrder(options: BlockPoolOptions): Promise<void> {
  const blockCount = Math.ceil(options.rows / BLOCK_ROWS);
  const workerCount = Math.max(1, Math.min(options.workers, blockCount));
  const maxUnconsumed = workerCount * QUEUED_PER_WORKER + 2;
  const finished = new Map<number, BlockDone>();
  const spareBuffers: ArrayBuffer[] = [];
  const queued = new Array<number>(workerCount).fill(0);
  let nextToDispatch = 0;
  let nextToConsume = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;

  const workers = Array.from({ length: workerCount }, (_, index) => {
    const worker = new Worker(new URL("./generate_worker.ts", import.meta.url), {
      type: "module",
    });
    worker.onmessage = (event: MessageEvent<BlockDone>) => {
      queued[index]--;
      finished.set(event.data.block, event.data);
      dispatch();
      wake?.();
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      failure ??= new Error(`generation worker failed: ${event.message}`);
      wake?.();
    };
    const setup: WorkerSetup = {
      type: "setup",
      seed: options.seed,
      dirty: options.dirty,
      asOf: options.asOf,
      idShape: options.idShape ?? "ord",
      compress: options.compress,
    };
    worker.postMessage(setup);
    return worker;
  });

  function dispatch(): void {
    for (let round = 0; round < QUEUED_PER_WORKER; round++) {
      for (let index = 0; index < workerCount; index++) {
        if (nextToDispatch >= blockCount) return;
        if (nextToDispatch - nextToConsume >= maxUnconsumed) return;
        if (queued[index] > round) continue;
        const block = nextToDispatch++;
        const buffer = spareBuffers.pop();
        const request: BlockRequest = {
          type: "block",
          block,
          rowCount: rowsInBlock(options.rows, block),
          buffer,
        };
        workers[index].postMessage(request, buffer ? [buffer] : []);
        queued[index]++;
      }
    }
  }

  try {
    dispatch();
    while (nextToConsume < blockCount) {
      if (failure) throw failure;
      const done = finished.get(nextToConsume);
      if (!done) {
        await new Promise<void>((resolve) => wake = resolve);
        wake = undefined;
        continue;
      }
      finished.delete(nextToConsume);
      await options.consume({
        bytes: new Uint8Array(done.buffer, 0, done.length),
        rows: rowsInBlock(options.rows, nextToConsume),
        csvBytes: done.csvBytes,
        crc32: done.crc32,
      });
      spareBuffers.push(done.buffer);
      nextToConsume++;
      dispatch();
    }
  } finally {
    for (const worker of workers) worker.terminate();
  }
}
