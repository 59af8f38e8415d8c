import assert from "node:assert/strict";
import { formatSeconds, Progress } from "../../src/cli/progress.ts";

function harness(options: { interactive: boolean; totalRows?: number; quiet?: boolean }) {
  const lines: string[] = [];
  let now = 0;
  const progress = new Progress({
    label: "work",
    ...options,
    write: (text) => lines.push(text),
    now: () => now,
  });
  return { lines, progress, advance: (ms: number) => now += ms };
}

Deno.test("in a log, progress prints a plain line at most every five seconds", () => {
  const { lines, progress, advance } = harness({ interactive: false, totalRows: 1000 });
  assert.equal(lines.length, 0, "nothing before any work, so an early error stands alone");
  advance(1000);
  progress.update({ rows: 100 });
  assert.equal(lines[0], "work: started\n");
  advance(1000);
  progress.update({ rows: 200 }); // too soon after the first line
  advance(5000);
  progress.update({ rows: 700 });
  progress.finish();
  assert.equal(lines.length, 4);
  assert.equal(lines[1], "work: 100 rows · 100 rows/s · 10.0% · ETA 9.0s\n");
  assert.equal(lines[2], "work: 700 rows · 100 rows/s · 70.0% · ETA 3.0s\n");
  assert.ok(lines.every((line) => !line.includes("\r")));
});

Deno.test("on a terminal, progress redraws one line and ends it once", () => {
  const { lines, progress, advance } = harness({ interactive: true });
  advance(500);
  progress.update({ rows: 50 });
  advance(500);
  progress.update({ rows: 100 });
  progress.finish("work: done");
  progress.finish("work: done again");
  assert.equal(lines.length, 3);
  assert.ok(lines.slice(0, 2).every((line) => line.startsWith("\r") && !line.endsWith("\n")));
  assert.match(lines[2], /^\rwork: done\s*\n$/);
});

Deno.test("quiet progress prints nothing at all", () => {
  const { lines, progress, advance } = harness({ interactive: false, quiet: true });
  advance(10_000);
  progress.update({ rows: 5 });
  progress.finish();
  assert.deepEqual(lines, []);
});

Deno.test("formatSeconds reads like a person writes durations", () => {
  assert.equal(formatSeconds(1.234), "1.2s");
  assert.equal(formatSeconds(65), "1m05s");
  assert.equal(formatSeconds(-1), "?");
});
