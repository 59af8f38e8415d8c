/**
 * A test hook for the worker pools' failure and reordering paths, which real runs reach only on a
 * bug or by chance. Unset (always, outside the tests) it costs one environment lookup per worker.
 *
 * `DPD_TEST_WORKER_FAULT=<pool>:<action>:<task>` where
 * - `<pool>` is `clean` (clean-data), `generate` (generate-data) or `scan` (build-aggregations);
 * - `<task>` is the block number (clean, generate: 0-based, as the main thread numbers them) or,
 *   for `scan`, 0 for the worker's one scan request;
 * - `<action>` is `throw` (the task throws, as a bug in it would), `crash` (the worker stops
 *   replying and dies with an uncaught error, as on a fault outside any handler) or `delay` (the
 *   task takes 300 ms longer, so later tasks' replies arrive first).
 *
 * Each worker calls {@linkcode workerFaultCheckpoint} once per task, before doing it.
 *
 * @example A worker's task handler, with the checkpoint first
 * ```ts
 * function cleanBlock(task: number, block: Uint8Array): number {
 *   workerFaultCheckpoint("clean", task); // DPD_TEST_WORKER_FAULT=clean:throw:3 throws at block 3
 *   return block.length;
 * }
 * console.log(cleanBlock(0, new Uint8Array(8)));
 * ```
 */

/** The worker pools a fault can be injected into. */
export type WorkerPoolName = "clean" | "generate" | "scan";

interface WorkerFault {
  pool: WorkerPoolName;
  action: "throw" | "crash" | "delay";
  task: number;
}

const DELAY_MS = 300;

function parseFault(text: string | undefined): WorkerFault | undefined {
  if (!text) return undefined;
  const match = text.match(/^(clean|generate|scan):(throw|crash|delay):(\d+)$/);
  if (!match) throw new Error(`DPD_TEST_WORKER_FAULT must be <pool>:<action>:<task>, got ${text}`);
  return {
    pool: match[1] as WorkerPoolName,
    action: match[2] as WorkerFault["action"],
    task: Number(match[3]),
  };
}

let fault: WorkerFault | undefined | null = null;

/** Injects the configured fault when this is its pool and task; otherwise does nothing. */
export function workerFaultCheckpoint(pool: WorkerPoolName, task: number): void {
  if (fault === null) fault = parseFault(Deno.env.get("DPD_TEST_WORKER_FAULT"));
  if (fault === undefined || fault.pool !== pool || fault.task !== task) return;
  const error = new Error(`injected ${fault.action} in ${pool} worker task ${task}`);
  switch (fault.action) {
    case "throw":
      throw error;
    case "crash":
      // Dies mid-task: no reply of this worker reaches the main thread, and the error escapes
      // every handler, so the main thread sees only the worker's error event.
      Object.defineProperty(globalThis, "postMessage", { value: () => {} });
      setTimeout(() => {
        throw error;
      });
      return;
    case "delay": {
      // Busy, not asleep: a worker's task handler is synchronous.
      const until = performance.now() + DELAY_MS;
      while (performance.now() < until) { /* hold this worker */ }
      return;
    }
  }
}
