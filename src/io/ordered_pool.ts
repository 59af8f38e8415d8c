/**
 * The one worker pool every stage uses: workers started from one script, tasks handed out with a
 * cap on how many are in flight, replies put back in task order ({@linkcode InOrder}), and worker
 * failures surfaced one way.
 *
 * Protocol: messages are objects with a `type`. A worker serves its requests with
 * {@linkcode serveRequests} (src/io/pool_worker.ts), which turns anything its handler throws into a
 * {@linkcode FailedReply}; the pool turns that reply, and a worker that dies without replying (an
 * uncaught error, a script that fails to load, a message that cannot be read), into the run's one
 * failure: an `Error` whose message names the pool and carries the worker's message, and whose
 * stack names the script and worker and carries the worker's stack. A worker's `UserError` stays a
 * `UserError`, its message as the worker wrote it. After a failure, every wait rejects with it.
 *
 * @example
 * ```ts
 * import { InOrder, OrderedPool } from "./ordered_pool.ts";
 * type Request = { type: "square"; task: number; value: number };
 * type Reply = { type: "squared"; task: number; value: number };
 * const squares = new InOrder<number>();
 * const pool = new OrderedPool<Request, Reply>({
 *   script: new URL("./square_worker.ts", import.meta.url),
 *   name: "square worker",
 *   workers: 2,
 *   maxInFlight: 4,
 *   onReply: (reply, worker) => {
 *     pool.release(worker);
 *     squares.put(reply.task, reply.value);
 *   },
 * });
 * try {
 *   for (const value of [1, 2, 3]) {
 *     const task = await pool.begin();
 *     pool.post(pool.assign(), { type: "square", task, value });
 *   }
 *   for (let done = 0; done < 3; done++) {
 *     console.log(await pool.waitFor(() => squares.take()));
 *     pool.complete();
 *   }
 * } finally {
 *   pool.terminate();
 * }
 * ```
 */
import { UserError } from "./errors.ts";

/** What a worker sends instead of its reply when handling a request threw. */
export interface FailedReply {
  /** Tells a failure from any reply. */
  type: "failed";
  /** The thrown error's message. */
  message: string;
  /** The thrown error's stack, in the worker. */
  stack?: string;
  /** The worker threw a `UserError`: a problem the user can fix, not a bug. */
  userError: boolean;
}

/** How to start a pool and where its replies go. */
export interface OrderedPoolOptions<Reply> {
  /** The worker module; it answers with {@linkcode serveRequests}. */
  script: URL;
  /** Names the pool in errors, like `generation worker`. */
  name: string;
  /** How many workers to start (at least one). */
  workers: number;
  /** Tasks begun and not yet completed, at most (see {@linkcode OrderedPool.begin}). */
  maxInFlight: number;
  /** Every reply but a failure or an answer to {@linkcode OrderedPool.request}. */
  onReply: (reply: Reply, worker: number) => void;
}

interface Waiter<Reply> {
  resolve: (reply: Reply) => void;
  reject: (error: unknown) => void;
}

/**
 * Workers started from one script, with an in-flight cap, per-worker task counts (for handing a
 * task to the least busy worker), requests answered in order, and one failure for the run.
 */
export class OrderedPool<Request, Reply extends { type: string }> {
  readonly #options: OrderedPoolOptions<Reply>;
  readonly #workers: Worker[];
  /** Per worker, tasks assigned and not released. */
  readonly #assigned: number[];
  /** Per worker, the requests awaiting an answer, oldest first. */
  readonly #requests: Waiter<Reply>[][];
  #begun = 0;
  #completed = 0;
  #failure: unknown;
  /** The waits to re-check after the next reply. */
  #wakers: (() => void)[] = [];

  /** Starts the workers; nothing is sent to them yet. */
  constructor(options: OrderedPoolOptions<Reply>) {
    this.#options = options;
    const count = Math.max(1, options.workers);
    this.#assigned = new Array(count).fill(0);
    this.#requests = Array.from({ length: count }, () => []);
    this.#workers = Array.from({ length: count }, (_, index) => {
      const worker = new Worker(options.script, { type: "module" });
      worker.onmessage = (event: MessageEvent<Reply | FailedReply>) =>
        this.#onMessage(index, event.data);
      worker.onerror = (event: ErrorEvent) => {
        // Handled here: without this, Deno would also end the process on the worker's error.
        event.preventDefault();
        this.fail(this.#workerError(index, event.message, event.error?.stack));
      };
      worker.onmessageerror = () => {
        this.fail(this.#workerError(index, "a reply could not be read"));
      };
      return worker;
    });
  }

  /** How many workers the pool has. */
  get size(): number {
    return this.#workers.length;
  }

  /** Tasks begun so far; the next task's number. */
  get begun(): number {
    return this.#begun;
  }

  /** Tasks completed so far. */
  get completed(): number {
    return this.#completed;
  }

  /** Whether a task can begin without passing the in-flight cap. */
  get hasRoom(): boolean {
    return this.#begun - this.#completed < this.#options.maxInFlight;
  }

  /** Waits for room for one more task, then numbers it (0, 1, 2…). */
  async begin(): Promise<number> {
    await this.until(() => this.hasRoom);
    return this.#begun++;
  }

  /** Numbers one more task now, whatever the cap (the caller checked {@linkcode hasRoom}). */
  beginNow(): number {
    return this.#begun++;
  }

  /** One task is done with: it no longer counts against the cap. */
  complete(): void {
    this.#completed++;
    this.#wakeUp();
  }

  /** Waits until every task begun is completed. */
  drained(): Promise<void> {
    return this.until(() => this.#completed >= this.#begun);
  }

  /** The worker with the fewest tasks assigned (the first of equals); it counts one more. */
  assign(): number {
    let best = 0;
    for (let index = 1; index < this.#assigned.length; index++) {
      if (this.#assigned[index] < this.#assigned[best]) best = index;
    }
    this.#assigned[best]++;
    return best;
  }

  /** Tasks assigned to `worker` and not released. */
  assigned(worker: number): number {
    return this.#assigned[worker];
  }

  /** `worker` is done with one task it was assigned. */
  release(worker: number): void {
    this.#assigned[worker]--;
  }

  /** Sends `request` to `worker`, handing over `transfer` (no copy). */
  post(worker: number, request: Request, transfer: Transferable[] = []): void {
    this.#workers[worker].postMessage(request, transfer);
  }

  /**
   * Posts `request` and resolves with the worker's next reply: while a worker has requests
   * awaiting, its replies answer them in order instead of going to `onReply`.
   */
  request(worker: number, request: Request, transfer: Transferable[] = []): Promise<Reply> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#requests[worker].push({ resolve, reject });
      this.post(worker, request, transfer);
    });
  }

  /** Waits until `condition` holds; rejects with the pool's failure. */
  async until(condition: () => boolean): Promise<void> {
    await this.waitFor(() => condition() || undefined);
  }

  /** Waits until `ready` gives a value (re-checked after every reply), and returns it. */
  async waitFor<T>(ready: () => T | undefined): Promise<T> {
    while (true) {
      if (this.#failure !== undefined) throw this.#failure;
      const value = ready();
      if (value !== undefined) return value;
      await new Promise<void>((resolve) => this.#wakers.push(resolve));
    }
  }

  /** Ends the run with `error` (the first one wins): every wait rejects with it. */
  fail(error: unknown): void {
    this.#failure ??= error;
    for (const queue of this.#requests) {
      for (const waiter of queue.splice(0)) waiter.reject(this.#failure);
    }
    this.#wakeUp();
  }

  /** The run's failure, if any. */
  get failure(): unknown {
    return this.#failure;
  }

  /** Stops every worker at once, whatever it is doing. */
  terminate(): void {
    for (const worker of this.#workers) worker.terminate();
  }

  #onMessage(worker: number, message: Reply | FailedReply): void {
    if (this.#failure !== undefined) return;
    try {
      if (message.type === "failed") {
        const failed = message as FailedReply;
        throw failed.userError
          ? new UserError(failed.message)
          : this.#workerError(worker, failed.message, failed.stack);
      }
      const waiter = this.#requests[worker].shift();
      if (waiter) waiter.resolve(message as Reply);
      else this.#options.onReply(message as Reply, worker);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.#wakeUp();
  }

  #workerError(worker: number, message: string, stack?: string): Error {
    const error = new Error(`${this.#options.name} failed: ${message}`);
    const script = this.#options.script.pathname.split("/").pop();
    // The worker's own frames, under a line saying whose they are.
    const frames = stack?.split("\n").filter((line) => /^\s+at /.test(line)) ?? [];
    error.stack = [
      `Error: ${error.message}`,
      `    in ${script}, worker ${worker} of ${this.#workers.length}`,
      ...frames,
    ].join("\n");
    return error;
  }

  #wakeUp(): void {
    if (this.#wakers.length === 0) return;
    const wakers = this.#wakers;
    this.#wakers = [];
    for (const wake of wakers) wake();
  }
}

/**
 * Items numbered 0, 1, 2… that arrive in any order and are taken in number order: the reorder
 * buffer between workers that finish when they finish and a consumer that needs input order.
 */
export class InOrder<T> {
  readonly #waiting = new Map<number, T>();
  #next = 0;

  /** The number of the next item to take. */
  get next(): number {
    return this.#next;
  }

  /** Holds item number `sequence` until it is next. */
  put(sequence: number, item: T): void {
    this.#waiting.set(sequence, item);
  }

  /** The next item in order, if it has arrived, left in place. */
  peek(): T | undefined {
    return this.#waiting.get(this.#next);
  }

  /** The next item in order, if it has arrived; the one after becomes next. */
  take(): T | undefined {
    const item = this.#waiting.get(this.#next);
    if (item === undefined) return undefined;
    this.#waiting.delete(this.#next);
    this.#next++;
    return item;
  }

  /** Forgets the next item without moving on: it will arrive again (a task sent back). */
  drop(): void {
    this.#waiting.delete(this.#next);
  }
}
