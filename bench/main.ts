/**
 * `deno task bench [--rows N] [--repeat 3] [--only NAME]`: runs each pipeline stage and prints a
 * markdown table of medians (rows/s, MB/s, peak RSS) with the machine it ran on. The README's
 * "Data pipeline stats" table is pasted from this output.
 */
import { Command } from "commander";
import { parseCount } from "../src/cli/options.ts";
import {
  type BenchContext,
  type BenchMeasurement,
  describeMachine,
  formatRate,
  median,
  PROJECT_ROOT,
} from "./harness.ts";
import { BENCH_STAGES } from "./registry.ts";
import { join } from "node:path";

const options = new Command("bench")
  .option("--rows <n>", "rows per run", parseCount, 1_000_000)
  .option(
    "--repeat <n>",
    "runs per stage (the median is reported)",
    parseCount,
    3,
  )
  .option("--only <names>", "comma-separated stage names to run (substring match)")
  .option("--work-dir <dir>", "scratch workspace", join(PROJECT_ROOT, "data", "bench"))
  .parse(Deno.args, { from: "user" })
  .opts<{ rows: number; repeat: number; only?: string; workDir: string }>();

const context: BenchContext = {
  rows: options.rows,
  repeat: options.repeat,
  workDir: options.workDir,
};
await Deno.mkdir(context.workDir, { recursive: true });

const wanted = options.only?.split(",").map((name) => name.trim()).filter(Boolean);
const stages = BENCH_STAGES.filter((stage) =>
  !wanted || wanted.some((name) => stage.name.includes(name))
);

/** Seconds with two decimals, or milliseconds for sub-second latencies (the dashboard's page). */
function formatSecondsCell(seconds: number): string {
  return seconds < 0.1 ? `${(seconds * 1000).toFixed(1)} ms` : seconds.toFixed(2);
}

const rows: string[] = [];
for (const stage of stages) {
  console.error(`bench: ${stage.name} at ${context.rows.toLocaleString("en-US")} rows…`);
  await stage.prepare?.(context);
  const runs: BenchMeasurement[] = [];
  for (let run = 0; run < context.repeat; run++) {
    const measurement = await stage.run(context);
    console.error(`  run ${run + 1}: ${measurement.seconds.toFixed(2)} s`);
    runs.push(measurement);
  }
  const seconds = median(runs.map((run) => run.seconds));
  const rowCount = runs[0].rows;
  const bytes = runs[0].bytes;
  const peak = Math.max(...runs.map((run) => run.peakRssBytes));
  rows.push(
    `| ${stage.name} | ${rowCount.toLocaleString("en-US")} | ${formatSecondsCell(seconds)} | ` +
      `${formatRate(rowCount / seconds)} | ${(bytes / 1e6 / seconds).toFixed(0)} | ` +
      `${(peak / 2 ** 20).toFixed(0)} |`,
  );
}

console.log(`Machine: ${describeMachine()}. Median of ${context.repeat} runs.\n`);
console.log("| stage | rows | median time (s) | rows/s | MB/s | peak RSS MiB |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const row of rows) console.log(row);
