/**
 * The pieces every benchmark stage shares: running dpd as a subprocess (as a user would), reading
 * its `--json` summary, taking medians, and describing the machine.
 */
import { join } from "node:path";

export const PROJECT_ROOT = join(import.meta.dirname!, "..");

export interface BenchContext {
  /** Rows per run (1M by default, `--rows` for more). */
  rows: number;
  /** Runs per stage; the table reports the median. */
  repeat: number;
  /** Scratch workspace for inputs and outputs, kept between stages and runs. */
  workDir: string;
}

export interface BenchMeasurement {
  seconds: number;
  rows: number;
  /** Bytes processed (input read, or output written for generation). */
  bytes: number;
  peakRssBytes: number;
}

export interface BenchStage {
  /** The name in the table, like `generate-data (dirty)`. */
  name: string;
  /** Optional setup outside the timing, like generating the input once. */
  prepare?: (context: BenchContext) => Promise<void>;
  /** One timed run. */
  run: (context: BenchContext) => Promise<BenchMeasurement>;
}

export interface CommandSummary {
  duration_s: number;
  peak_rss_bytes: number;
  [key: string]: unknown;
}

/** Runs `deno run -A main.ts <args> --json --quiet` and returns its summary and wall time. */
export async function runDpd(
  args: string[],
): Promise<{ summary: CommandSummary; wallSeconds: number }> {
  const started = performance.now();
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(PROJECT_ROOT, "main.ts"), ...args, "--json", "--quiet"],
    cwd: PROJECT_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const wallSeconds = (performance.now() - started) / 1000;
  const stdout = new TextDecoder().decode(output.stdout).trim();
  if (!output.success) {
    throw new Error(
      `dpd ${args.join(" ")} failed (exit ${output.code}):\n${
        new TextDecoder().decode(output.stderr)
      }`,
    );
  }
  const lastLine = stdout.split("\n").at(-1) ?? "{}";
  return { summary: JSON.parse(lastLine) as CommandSummary, wallSeconds };
}

/** The median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A one-line description of this machine, for the table's caption. */
export function describeMachine(): string {
  let cpu = "unknown CPU";
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    cpu = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? cpu;
  } catch { /* not Linux */ }
  const memoryGiB = Deno.systemMemoryInfo().total / 2 ** 30;
  return `${navigator.hardwareConcurrency} cores (${cpu}), ${memoryGiB.toFixed(0)} GiB RAM, ` +
    `${Deno.build.os}, Deno ${Deno.version.deno}`;
}

/** Formats a number of rows per second like `2.31M` or `812k`. */
export function formatRate(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(0)}k`;
  return value.toFixed(0);
}

/** Size labels the generator uses in default file names: 100k, 1m, 10m, 100m. */
export function sizeLabel(rows: number): string {
  if (rows % 1_000_000 === 0) return `${rows / 1_000_000}m`;
  if (rows % 1_000 === 0) return `${rows / 1_000}k`;
  return String(rows);
}

/** One fixed as-of date for every stage, so the data (and the timings) are the same every day. */
export const BENCH_AS_OF = "2026-11-28";

/** The dirty CSV the generate stage writes and every later stage reads; `uuid` for its twin. */
export function dirtyInputPath(workDir: string, rows: number, idShape = "ord"): string {
  const suffix = idShape === "ord" ? "" : `_${idShape}`;
  return join(workDir, `dirty_${sizeLabel(rows)}${suffix}.csv`);
}

/** The clean parquet the clean stage writes (with `--data-dir <workDir>`). */
export function cleanParquetPath(workDir: string, rows: number): string {
  return join(workDir, "clean", `dirty_${sizeLabel(rows)}_clean.parquet`);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/**
 * Generates the shared dirty CSV when an earlier stage has not (a stage run alone). With
 * `idShape` `uuid`, the same rows with UUID order IDs (`generate-data --id-shape uuid`).
 */
export async function ensureDirtyInput(
  { rows, workDir }: BenchContext,
  idShape = "ord",
): Promise<string> {
  const input = dirtyInputPath(workDir, rows, idShape);
  if (!await isFile(input)) {
    await runDpd([
      "generate-data",
      "--rows",
      String(rows),
      "--output",
      input,
      "--as-of",
      BENCH_AS_OF,
      "--id-shape",
      idShape,
    ]);
  }
  return input;
}

/** Cleans the shared dirty CSV when an earlier stage has not. */
export async function ensureCleanParquet(context: BenchContext): Promise<string> {
  const parquet = cleanParquetPath(context.workDir, context.rows);
  if (!await isFile(parquet)) {
    const input = await ensureDirtyInput(context);
    await runDpd([
      "clean-data",
      "--input",
      input,
      "--data-dir",
      context.workDir,
      "--as-of",
      BENCH_AS_OF,
    ]);
  }
  return parquet;
}
