/**
 * The worker side of {@linkcode OrderedPool} (src/io/ordered_pool.ts): serves requests, and turns
 * anything the handler throws into one `failed` reply carrying its message and stack, so the main
 * thread surfaces every worker's failure the same way.
 *
 * @example
 * ```ts ignore
 * /// <reference lib="deno.worker" />
 * import { reply, serveRequests } from "./pool_worker.ts";
 * serveRequests<{ type: "square"; task: number; value: number }>((request) => {
 *   reply({ type: "squared", task: request.task, value: request.value ** 2 });
 * });
 * ```
 */
import { errorMessage } from "./errors.ts";
import type { FailedReply } from "./ordered_pool.ts";

/** The worker global, typed just for what a pool worker uses (this module is not worker-only). */
const workerScope = globalThis as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
};

/** Sends a reply to the main thread, handing over `transfer` (no copy). */
export function reply(message: { type: string }, transfer: Transferable[] = []): void {
  workerScope.postMessage(message, transfer);
}

/**
 * Handles each request with `handle` (in arrival order; an async handler's next request may start
 * while it awaits). A throw, or a rejection, becomes a `failed` reply after `onFailure` runs.
 */
export function serveRequests<Request>(
  handle: (request: Request) => void | Promise<void>,
  onFailure?: () => void,
): void {
  const fail = (error: unknown) => {
    onFailure?.();
    const failed: FailedReply = {
      type: "failed",
      message: errorMessage(error),
      stack: error instanceof Error ? error.stack : undefined,
      userError: error instanceof Error && error.name === "UserError",
    };
    reply(failed);
  };
  workerScope.onmessage = (event: MessageEvent<Request>) => {
    try {
      const done = handle(event.data);
      if (done instanceof Promise) done.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}
