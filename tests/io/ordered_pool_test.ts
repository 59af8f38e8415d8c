/**
 * The ordered pool (src/io/ordered_pool.ts) with a real worker (_pool_test_worker.ts): replies
 * taken in task order whatever order they arrive in, the in-flight cap, and a worker that throws,
 * throws a UserError, or dies without replying.
 */
import assert from "node:assert/strict";
import { UserError } from "../../src/io/errors.ts";
import { InOrder, OrderedPool } from "../../src/io/ordered_pool.ts";
import type { TestReply, TestRequest } from "./_pool_test_worker.ts";

const SCRIPT = new URL("./_pool_test_worker.ts", import.meta.url);

interface Run {
  /** The tasks' numbers in the order taken. */
  taken: number[];
  /** The tasks' numbers in the order the replies arrived. */
  arrived: number[];
  /** Most tasks any worker held at once. */
  mostHeld: number;
  workersUsed: number;
}

/** Runs `tasks` tasks through a pool, each as `request(task)` says, taking replies in order. */
async function runPool(
  options: { workers: number; maxInFlight: number; tasks: number },
  request: (task: number) => Omit<TestRequest, "type" | "task">,
): Promise<Run> {
  const replies = new InOrder<TestReply>();
  const arrived: number[] = [];
  const pool = new OrderedPool<TestRequest, TestReply>({
    script: SCRIPT,
    name: "test worker",
    workers: options.workers,
    maxInFlight: options.maxInFlight,
    onReply: (reply, worker) => {
      pool.release(worker);
      arrived.push(reply.task);
      replies.put(reply.task, reply);
    },
  });
  const taken: TestReply[] = [];
  try {
    const consume = (async () => {
      while (taken.length < options.tasks) {
        taken.push(await pool.waitFor(() => replies.take()));
        pool.complete();
      }
    })();
    consume.catch(() => {});
    for (let task = 0; task < options.tasks; task++) {
      const number = await pool.begin();
      assert.equal(number, task);
      pool.post(pool.assign(), { type: "task", task, ...request(task) });
    }
    await consume;
    await pool.drained();
  } finally {
    pool.terminate();
  }
  return {
    taken: taken.map((reply) => reply.task),
    arrived,
    mostHeld: Math.max(...taken.map((reply) => reply.mostHeld)),
    workersUsed: new Set(taken.map((reply) => reply.worker)).size,
  };
}

Deno.test("ordered pool: replies are taken in task order, whatever order they arrive in", async (t) => {
  const cases = [
    { name: "later tasks finish first", delay: (task: number) => (6 - task) * 40 },
    { name: "the first task is slow", delay: (task: number) => (task === 0 ? 250 : 0) },
    { name: "in order", delay: () => 0 },
  ];
  for (const { name, delay } of cases) {
    await t.step(name, async () => {
      const run = await runPool(
        { workers: 2, maxInFlight: 6, tasks: 6 },
        (task) => ({ delayMs: delay(task), action: "reply" }),
      );
      assert.deepEqual(run.taken, [0, 1, 2, 3, 4, 5]);
      assert.deepEqual([...run.arrived].sort(), [0, 1, 2, 3, 4, 5]);
      assert.equal(run.workersUsed, 2);
    });
  }
  // The reordering is real: with later tasks finishing first, task 0's reply is not the first.
  const reversed = await runPool(
    { workers: 1, maxInFlight: 4, tasks: 4 },
    (task) => ({ delayMs: (4 - task) * 60, action: "reply" }),
  );
  assert.notEqual(reversed.arrived[0], 0);
  assert.deepEqual(reversed.taken, [0, 1, 2, 3]);
});

Deno.test("ordered pool: no more tasks in flight than the cap", async (t) => {
  // One worker that holds every task it gets for a while: it holds as many as the cap lets in.
  for (const maxInFlight of [1, 2, 4]) {
    await t.step(`cap ${maxInFlight}`, async () => {
      const run = await runPool(
        { workers: 1, maxInFlight, tasks: 8 },
        () => ({ delayMs: 30, action: "reply" }),
      );
      assert.equal(run.mostHeld, maxInFlight);
      assert.deepEqual(run.taken, [0, 1, 2, 3, 4, 5, 6, 7]);
    });
  }
});

Deno.test("ordered pool: a worker failing fails the run, naming the pool and the script", async (t) => {
  const cases = [
    {
      action: "throw" as const,
      type: Error,
      message: /^test worker failed: task 3 threw$/,
      // The worker's own frames come along, under the script's name.
      stack: /in _pool_test_worker\.ts, worker \d of 2\n\s+at failTask .*_pool_test_worker\.ts/,
    },
    {
      action: "user" as const,
      type: UserError,
      message: /^task 3: fix the input$/,
    },
    {
      action: "die" as const,
      type: Error,
      message: /^test worker failed: .*task 3 died/,
      stack: /in _pool_test_worker\.ts, worker \d of 2/,
    },
  ];
  for (const { action, type, message, stack } of cases) {
    await t.step(action, async () => {
      const error = await runPool(
        { workers: 2, maxInFlight: 4, tasks: 8 },
        (task) => ({ delayMs: 5, action: task === 3 ? action : "reply" }),
      ).then(() => undefined, (error) => error);
      assert.ok(error instanceof type, `${action}: ${error}`);
      assert.match(error.message, message);
      if (stack) assert.match(error.stack ?? "", stack);
    });
  }
});

Deno.test("ordered pool: a request is answered by the worker's next reply; a failure rejects it", async () => {
  const pool = new OrderedPool<TestRequest, TestReply>({
    script: SCRIPT,
    name: "test worker",
    workers: 1,
    maxInFlight: 1,
    onReply: () => assert.fail("a request's answer went to onReply"),
  });
  try {
    const answer = await pool.request(0, { type: "task", task: 7, delayMs: 0, action: "reply" });
    assert.equal(answer.task, 7);
    await assert.rejects(
      () => pool.request(0, { type: "task", task: 8, delayMs: 0, action: "throw" }),
      /^Error: test worker failed: task 8 threw$/m,
    );
    // After a failure, every wait rejects with it.
    await assert.rejects(() => pool.begin(), /task 8 threw/);
  } finally {
    pool.terminate();
  }
});

Deno.test("InOrder: items put in any order are taken in number order", () => {
  const cases = [
    { puts: [2, 0, 1], expected: [[], [0], [1, 2]] },
    { puts: [1, 3, 0], expected: [[], [], [0, 1]] },
    { puts: [0, 1, 2], expected: [[0], [1], [2]] },
  ];
  for (const { puts, expected } of cases) {
    const items = new InOrder<string>();
    const takenAfterEach = puts.map((sequence) => {
      items.put(sequence, `item ${sequence}`);
      const taken: number[] = [];
      for (let item = items.take(); item !== undefined; item = items.take()) {
        taken.push(Number(item.slice(5)));
      }
      return taken;
    });
    assert.deepEqual(takenAfterEach, expected, `puts ${puts}`);
  }
  // A dropped item is awaited again, not skipped.
  const items = new InOrder<string>();
  items.put(0, "first scan");
  assert.equal(items.peek(), "first scan");
  items.drop();
  assert.equal(items.take(), undefined);
  items.put(0, "second scan");
  assert.equal(items.take(), "second scan");
  assert.equal(items.next, 1);
});
