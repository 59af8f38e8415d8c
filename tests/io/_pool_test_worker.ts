/// <reference lib="deno.worker" />
/**
 * A worker for the ordered pool's tests: each task waits `delayMs` (asynchronously, so the worker
 * holds several at once), then replies, throws or dies, as the request says. Every reply reports
 * how many tasks this worker held at once at most.
 */
import { UserError } from "../../src/io/errors.ts";
import { reply, serveRequests } from "../../src/io/pool_worker.ts";

export interface TestRequest {
  type: "task";
  task: number;
  delayMs: number;
  /** `reply`; `throw` (the handler throws); `user` (throws a UserError); `die` (an uncaught error
   * outside any handler, and no reply). */
  action: "reply" | "throw" | "user" | "die";
}

export interface TestReply {
  type: "done";
  task: number;
  worker: string;
  mostHeld: number;
}

const name = crypto.randomUUID();
let held = 0;
let mostHeld = 0;

function failTask(task: number): never {
  throw new Error(`task ${task} threw`);
}

serveRequests<TestRequest>(async (request) => {
  held++;
  mostHeld = Math.max(mostHeld, held);
  await new Promise((resolve) => setTimeout(resolve, request.delayMs));
  held--;
  switch (request.action) {
    case "throw":
      failTask(request.task);
      break;
    case "user":
      throw new UserError(`task ${request.task}: fix the input`);
    case "die":
      setTimeout(() => {
        throw new Error(`task ${request.task} died`);
      });
      return;
  }
  const done: TestReply = { type: "done", task: request.task, worker: name, mostHeld };
  reply(done);
});
