/**
 * Helpers of the fault-injection tests: workspaces with two distinguishable clean-data runs (the
 * same input name, different rows), dpd started with the `DPD_TEST_PAUSE_AFTER` hook and killed
 * where it stops, and the checks that the files on disk form one run's set.
 */
import { join } from "node:path";
import { MAIN, PROJECT_ROOT } from "../_dpd.ts";
import { generateData } from "../../src/generation/generate_data.ts";
import { openParquet } from "../../src/io/parquet_read.ts";
import { footerValue, SOURCE_RUN_ID_KEY } from "../../src/io/publish.ts";
import { AGGREGATION_TABLES } from "../../src/aggregations/registry.ts";

export const AS_OF = "2026-11-28";

/** A workspace: lookups copied from the repository, outputs under `data`. */
export interface FaultSpace {
  directory: string;
  dataDir: string;
  lookupsDir: string;
}

export async function copyDirectory(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyDirectory(join(from, entry.name), join(to, entry.name));
    else if (entry.isFile) await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

export async function newSpace(prefix = "dpd-faults-"): Promise<FaultSpace> {
  const directory = await Deno.makeTempDir({ prefix });
  const lookupsDir = join(directory, "lookups");
  await copyDirectory(join(PROJECT_ROOT, "lookups"), lookupsDir);
  return { directory, dataDir: join(directory, "data"), lookupsDir };
}

/** A copy of `space` (its inputs, lookups and data) to run one trial in. */
export async function cloneSpace(space: FaultSpace): Promise<FaultSpace> {
  const directory = await Deno.makeTempDir({ prefix: "dpd-trial-" });
  await copyDirectory(space.directory, directory);
  // Reports name their outputs by absolute path: point them into the copy.
  const reports = join(directory, "data", "reports");
  for (const name of await listTree(reports)) {
    const path = join(reports, name);
    const text = await Deno.readTextFile(path);
    await Deno.writeTextFile(path, text.replaceAll(space.directory, directory));
  }
  return {
    directory,
    dataDir: join(directory, "data"),
    lookupsDir: join(directory, "lookups"),
  };
}

/** Writes `<dir>/<which>/in.csv`: runs A and B clean inputs of one name, so outputs collide. */
export async function writeInput(space: FaultSpace, which: string, rows: number, seed: number) {
  const path = join(space.directory, which, "in.csv");
  await Deno.mkdir(join(space.directory, which), { recursive: true });
  await generateData({ rows, clean: false, seed, asOf: AS_OF, output: path, workers: 1 });
  return path;
}

export function cleanArgs(space: FaultSpace, input: string): string[] {
  return [
    "clean-data",
    "--input",
    input,
    "--data-dir",
    space.dataDir,
    "--lookups-dir",
    space.lookupsDir,
    "--as-of",
    AS_OF,
    "--workers",
    "1",
    "--quiet",
  ];
}

export function aggregateArgs(space: FaultSpace): string[] {
  return ["build-aggregations", "--data-dir", space.dataDir, "--workers", "1", "--quiet"];
}

export interface Finished {
  code: number;
  signal: Deno.Signal | null;
  stderr: string;
}

/** Runs dpd to the end. */
export async function dpd(args: string[], env: Record<string, string> = {}): Promise<Finished> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1", ...env },
  }).output();
  return {
    code: output.code,
    signal: output.signal,
    stderr: new TextDecoder().decode(output.stderr),
  };
}

/** A dpd process stopped at a step of `DPD_TEST_PAUSE_AFTER`. */
export interface Paused {
  child: Deno.ChildProcess;
  /** Resolves with everything it wrote on stderr, once it has exited. */
  finished: Promise<Finished>;
}

/** Starts dpd with the pause hook and resolves once it says it has stopped at `step`. */
export async function startPaused(args: string[], step: string): Promise<Paused> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1", DPD_TEST_PAUSE_AFTER: step },
  }).spawn();
  let stderr = "";
  let reached: () => void = () => {};
  const paused = new Promise<void>((resolve) => reached = resolve);
  const drained = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      stderr += chunk;
      if (stderr.includes(`dpd: paused after ${step}\n`)) reached();
    }
  })();
  const finished = (async () => {
    const status = await child.status;
    await drained;
    reached(); // never paused: the caller's checks say why
    return { code: status.code, signal: status.signal, stderr };
  })();
  await paused;
  return { child, finished };
}

/** Starts dpd normally (for kills after a delay and concurrent writers). */
export function start(args: string[]): Paused {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const finished = (async () => {
    const stderr = await new Response(child.stderr).text();
    const status = await child.status;
    return { code: status.code, signal: status.signal, stderr };
  })();
  return { child, finished };
}

/** Every file name under `directory`, recursively, relative to it. */
export async function listTree(directory: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(directory)) {
      if (entry.isDirectory) {
        for (const name of await listTree(join(directory, entry.name))) {
          names.push(`${entry.name}/${name}`);
        }
      } else names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}

/** Records in a CSV text (quoted line breaks inside a record), header excluded. */
export function csvRecords(text: string): number {
  let records = 0;
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    else if (char === "\n" && !quoted) records++;
  }
  return records - 1;
}

async function footer(path: string): Promise<{ runId?: string; source?: string; rows: number }> {
  using file = await openParquet(path);
  return {
    runId: footerValue(file.metadata),
    source: footerValue(file.metadata, SOURCE_RUN_ID_KEY),
    rows: file.rowCount,
  };
}

/** What one complete clean-data run of an input wrote (to recognise it on disk). */
export interface CleanSet {
  inputRows: number;
  cleanRows: number;
  rejectedCsv: string;
}

/**
 * Problems with the clean set at the documented paths: each file present, report and parquet of
 * one run, the rejected CSV that run's, input = clean + rejected, and the whole set equal to one
 * of the `known` complete runs. Returns the run id and which known run it is.
 */
export async function checkCleanSet(
  dataDir: string,
  known: Record<string, CleanSet>,
): Promise<{ problems: string[]; runId?: string; which?: string }> {
  const problems: string[] = [];
  const reportPath = join(dataDir, "reports", "in_clean_report.json");
  const parquetPath = join(dataDir, "clean", "in_clean.parquet");
  const rejectedPath = join(dataDir, "rejected", "in_rejected.csv");
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(await Deno.readTextFile(reportPath));
  } catch (error) {
    return { problems: [`report unreadable: ${(error as Error).message}`] };
  }
  const parquet = await footer(parquetPath);
  const rejected = await Deno.readTextFile(rejectedPath);
  if (parquet.runId !== report.run_id) {
    problems.push(`parquet run ${parquet.runId} but report run ${report.run_id}`);
  }
  if (parquet.rows !== report.clean_rows) {
    problems.push(`parquet has ${parquet.rows} rows, report says ${report.clean_rows}`);
  }
  if (new TextEncoder().encode(rejected).length !== report.rejected_bytes) {
    problems.push(`rejected CSV is not the report's (${report.rejected_bytes} bytes)`);
  }
  if (csvRecords(rejected) !== report.rejected_rows) {
    problems.push(`rejected CSV has ${csvRecords(rejected)} rows, report ${report.rejected_rows}`);
  }
  if (report.input_rows !== (report.clean_rows as number) + (report.rejected_rows as number)) {
    problems.push("input_rows is not clean_rows + rejected_rows");
  }
  const which = Object.entries(known).find(([, set]) =>
    set.inputRows === report.input_rows && set.cleanRows === parquet.rows &&
    set.rejectedCsv === rejected
  )?.[0];
  if (!which) problems.push("the set is none of the complete runs");
  return { problems, runId: report.run_id as string, which };
}

/** Problems with the aggregation tables: all eight present, all of one build-aggregations run. */
export async function checkAggregationSet(
  dataDir: string,
): Promise<{ problems: string[]; runId?: string; sourceRunId?: string }> {
  const runs = new Set<string | undefined>();
  const sources = new Set<string | undefined>();
  const problems: string[] = [];
  for (const table of AGGREGATION_TABLES) {
    try {
      const { runId, source } = await footer(
        join(dataDir, "aggregations", `${table.name}.parquet`),
      );
      runs.add(runId);
      sources.add(source);
    } catch (error) {
      problems.push(`${table.name}: ${(error as Error).message}`);
    }
  }
  if (runs.size !== 1) problems.push(`tables of ${runs.size} runs: ${[...runs].join(", ")}`);
  if (sources.size !== 1) problems.push(`tables from ${sources.size} clean runs`);
  return { problems, runId: [...runs][0], sourceRunId: [...sources][0] };
}

/** The `.dpd-tmp-*` and `.dpd-commit-*` files left in a workspace. */
export async function litter(dataDir: string): Promise<string[]> {
  return (await listTree(dataDir)).filter((name) => /(^|\/)\.dpd-(tmp|commit)-/.test(name));
}
