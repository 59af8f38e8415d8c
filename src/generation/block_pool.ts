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
import { InOrder, OrderedPool } from "../io/ordered_pool.ts";

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
  const finished = new InOrder<BlockDone>();
  const spareBuffers: ArrayBuffer[] = [];
  const pool = new OrderedPool<WorkerSetup | BlockRequest, BlockDone>({
    script: new URL("./generate_worker.ts", import.meta.url),
    name: "generation worker",
    workers: workerCount,
    // Blocks written but not yet consumed.
    maxInFlight: workerCount * QUEUED_PER_WORKER + 2,
    onReply: (done, worker) => {
      pool.release(worker);
      finished.put(done.block, done);
      dispatch();
    },
  });
  const setup: WorkerSetup = {
    type: "setup",
    seed: options.seed,
    dirty: options.dirty,
    asOf: options.asOf,
    idShape: options.idShape ?? "ord",
    compress: options.compress,
  };
  for (let worker = 0; worker < workerCount; worker++) pool.post(worker, setup);

  function dispatch(): void {
    while (pool.begun < blockCount && pool.hasRoom) {
      const worker = pool.assign();
      if (pool.assigned(worker) > QUEUED_PER_WORKER) {
        pool.release(worker);
        return;
      }
      const block = pool.beginNow();
      const buffer = spareBuffers.pop();
      const request: BlockRequest = {
        type: "block",
        block,
        rowCount: rowsInBlock(options.rows, block),
        buffer,
      };
      pool.post(worker, request, buffer ? [buffer] : []);
    }
  }

  try {
    dispatch();
    while (finished.next < blockCount) {
      const block = finished.next;
      const done = await pool.waitFor(() => finished.take());
      await options.consume({
        bytes: new Uint8Array(done.buffer, 0, done.length),
        rows: rowsInBlock(options.rows, block),
        csvBytes: done.csvBytes,
        crc32: done.crc32,
      });
      spareBuffers.push(done.buffer);
      pool.complete();
      dispatch();
    }
  } finally {
    pool.terminate();
  }
}
