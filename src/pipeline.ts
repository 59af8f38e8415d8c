/**
 * `pipeline`: generate (when the input is missing) → update-lookups → clean-data →
 * build-aggregations, with one summary at the end, and optionally the dashboard.
 */
import { Command } from "commander";
import { basename, join } from "node:path";
import { addColumnOptions, type ColumnFlags, columnMappingFrom } from "./cli/column_options.ts";
import { runCommand } from "./cli/errors.ts";
import { UserError } from "./io/errors.ts";
import {
  addWorkspaceOptions,
  asOfOption,
  collectInputs,
  defaultWorkers,
  parseCount,
  parsePort,
  parseSeed,
  todayIso,
  workersOption,
} from "./cli/options.ts";
import { formatSeconds, Progress } from "./cli/progress.ts";
import { formatTable, type GlobalFlags, peakRssBytes, printSummary } from "./cli/summary.ts";
import { buildAggregations } from "./aggregations/build_aggregations.ts";
import { cleanData, type CleanReport } from "./cleaning/clean_data.ts";
import { describeCleanReport } from "./cleaning/describe_clean_report.ts";
import { isSalesCsvName, runName } from "./io/input_files.ts";
import { generateData } from "./generation/generate_data.ts";
import { defaultOutputPath } from "./generation/output_path.ts";
import { contradictionError } from "./lookups/load_lookups.ts";
import { updateLookups, type UpdateLookupsResult } from "./lookups/update_lookups.ts";
import type { ColumnMapping } from "./io/column_roles.ts";

export interface PipelineOptions {
  rows: number;
  clean: boolean;
  seed: number;
  /**
   * The input, as clean-data takes it: a CSV (generated there when missing; default: the
   * generator's default name), or several CSVs or directories of them, cleaned as one run.
   */
  input?: string | readonly string[];
  /** Names the clean outputs (`--name`); default the single input's stem or directory name. */
  name?: string;
  asOf?: string;
  dataDir: string;
  lookupsDir: string;
  workers?: number;
  quiet?: boolean;
  /** Which column of the input is which (`--column`, `--dedup-key`, `dpd.json`). */
  columns?: ColumnMapping;
}

export interface PipelineStage {
  stage: string;
  rows: number;
  seconds: number;
  outputs: string[];
  skipped?: string;
}

export interface PipelineResult {
  /** The inputs as given, joined with ", ". */
  input: string;
  stages: PipelineStage[];
  clean: CleanReport;
  aggregationsDir: string;
  durationSeconds: number;
  peakRssBytes: number;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** The stages in the order they run; the progress lines number them "[i/4]". */
const STAGE_NAMES = [
  "generate-data",
  "update-lookups",
  "clean-data",
  "build-aggregations",
] as const;
type StageName = typeof STAGE_NAMES[number];

/** What one run's steps share: its options and what was decided from them. */
interface PipelineRun {
  options: PipelineOptions;
  /** The inputs as given (one path unless several were given). */
  inputs: string[];
  /** The inputs joined with ", ", for messages and the summary. */
  input: string;
  asOf: string;
  workers: number;
  /** A line on stderr, unless quiet. */
  say: (line: string) => void;
}

/** What a step did, for the summary, and what it hands to later steps. */
interface StepDone<Value> {
  rows: number;
  outputs: string[];
  /** The stage's own measure of its time; otherwise the runner's wall clock. */
  seconds?: number;
  skipped?: string;
  value: Value;
}

/** Runs the stages one by one: announces each, times it, and records it for the summary. */
class StageRunner {
  readonly stages: PipelineStage[] = [];
  readonly #say: (line: string) => void;

  constructor(say: (line: string) => void) {
    this.#say = say;
  }

  async run<Value>(name: StageName, step: () => Promise<StepDone<Value>>): Promise<Value> {
    this.#say(`pipeline [${STAGE_NAMES.indexOf(name) + 1}/${STAGE_NAMES.length}] ${name}`);
    const started = performance.now();
    const done = await step();
    this.stages.push({
      stage: name,
      rows: done.rows,
      seconds: done.seconds ?? (performance.now() - started) / 1000,
      outputs: done.outputs,
      ...(done.skipped === undefined ? {} : { skipped: done.skipped }),
    });
    return done.value;
  }
}

/** A path a CSV can be generated at, or read as one file: `*.csv` or `*.csv.gz`. */
function isCsvName(path: string): boolean {
  return isSalesCsvName(basename(path));
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/** Runs the whole pipeline in-process; each stage prints its own progress unless quiet. */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const started = performance.now();
  const inputs = options.input === undefined
    ? [defaultOutputPath(options.dataDir, options.rows, options.clean)]
    : typeof options.input === "string"
    ? [options.input]
    : [...options.input];
  // Several inputs need --name: refused now, not after the lookups were rewritten.
  runName(inputs, options.name);
  const run: PipelineRun = {
    options,
    inputs,
    input: inputs.join(", "),
    asOf: options.asOf ?? todayIso(),
    workers: options.workers ?? defaultWorkers(),
    say: (line) => {
      if (!options.quiet) console.error(line);
    },
  };
  const stages = new StageRunner(run.say);
  await stages.run("generate-data", () => generateInput(run));
  await stages.run("update-lookups", () => updateLookupsFromInput(run));
  const report = await stages.run("clean-data", () => cleanInput(run));
  const aggregationsDir = await stages.run(
    "build-aggregations",
    () => aggregateCleanParquet(run, report.output!),
  );
  return {
    input: run.input,
    stages: stages.stages,
    clean: report,
    aggregationsDir,
    durationSeconds: (performance.now() - started) / 1000,
    peakRssBytes: peakRssBytes(),
  };
}

/** Generates the input when it is missing; an existing input is used as it is. */
async function generateInput(
  { options, inputs, input, asOf, workers, say }: PipelineRun,
): Promise<StepDone<undefined>> {
  // Only a single missing CSV is generated; several inputs or a directory must exist.
  if (inputs.length > 1 || !isCsvName(inputs[0]) || await exists(inputs[0])) {
    say(`  ${input} exists: not regenerated`);
    return { rows: 0, seconds: 0, outputs: [], skipped: "input exists", value: undefined };
  }
  const progress = new Progress({
    label: "generate-data",
    totalRows: options.rows,
    quiet: options.quiet,
  });
  const generated = await generateData({
    rows: options.rows,
    clean: options.clean,
    seed: options.seed,
    asOf,
    output: input,
    workers,
    onProgress: (rows, bytes) => progress.update({ rows, bytes }),
  });
  progress.finish();
  return {
    rows: generated.rows,
    seconds: generated.durationSeconds,
    outputs: [generated.output],
    value: undefined,
  };
}

/** Updates the lookups from the input; contradicting lookups stop the run. */
async function updateLookupsFromInput(run: PipelineRun): Promise<StepDone<undefined>> {
  const { options, inputs } = run;
  const lookups = await updateLookups({
    sample: inputs,
    lookupsDir: options.lookupsDir,
    quiet: options.quiet,
    columns: options.columns,
  });
  if (lookups.problems.length > 0) throw contradictionError(options.lookupsDir, lookups.problems);
  pointToReview(run, lookups);
  return { rows: lookups.sample.rows, outputs: [options.lookupsDir], value: undefined };
}

/** Tells a person about the region values left for review, and how to accept the suggestions. */
function pointToReview({ options, inputs, say }: PipelineRun, lookups: UpdateLookupsResult): void {
  const unknownRegions = lookups.regionMap.unknownQueue.length;
  if (unknownRegions === 0) return;
  say(
    `  ${unknownRegions} raw region value(s) await review as UNKNOWN in ` +
      `${join(options.lookupsDir, "region_map.json")} (the dashboard's review queue lists them)`,
  );
  const suggested = lookups.suggestions.filter((entry) => entry.column === "region").length;
  if (suggested > 0) {
    const dir = options.lookupsDir === "lookups" ? "" : ` --lookups-dir ${options.lookupsDir}`;
    say(
      `  ${suggested} of them have a suggestion: \`deno task update-lookups ${
        inputs.join(" ")
      }${dir} ` +
        "--accept-suggestions` writes them (nothing is applied without it)",
    );
  }
}

/** Cleans the input with the updated lookups: the report, and the files it names. */
async function cleanInput(
  { options, inputs, asOf, workers, say }: PipelineRun,
): Promise<StepDone<CleanReport>> {
  const { report, reportPath, notes } = await cleanData({
    input: inputs,
    name: options.name,
    dataDir: options.dataDir,
    lookupsDir: options.lookupsDir,
    asOf,
    workers,
    quiet: options.quiet,
    columns: options.columns,
  });
  for (const note of notes) say(`  note: ${note}`);
  return {
    rows: report.input_rows,
    seconds: report.duration_s,
    outputs: [report.output!, ...(report.rejected ? [report.rejected] : []), reportPath!],
    value: report,
  };
}

/** Builds the aggregation tables from the clean parquet: their directory. */
async function aggregateCleanParquet(
  { options, workers }: PipelineRun,
  cleaned: string,
): Promise<StepDone<string>> {
  const aggregations = await buildAggregations({
    cleaned,
    dataDir: options.dataDir,
    workers,
    quiet: options.quiet,
  });
  return { rows: aggregations.rows, outputs: [aggregations.outDir], value: aggregations.outDir };
}

/** The end-of-run summary for people. */
export function describePipeline(result: PipelineResult): string[] {
  return [
    "",
    ...formatTable(
      ["stage", "rows", "time", "outputs"],
      result.stages.map((stage) => [
        stage.stage,
        stage.skipped ? "-" : stage.rows,
        stage.skipped ? stage.skipped : formatSeconds(stage.seconds),
        stage.outputs.join("\n"),
      ]),
    ),
    "",
    ...describeCleanReport(result.clean),
    "",
    `pipeline: done in ${formatSeconds(result.durationSeconds)}; ` +
    `peak memory ${Math.round(result.peakRssBytes / 2 ** 20).toLocaleString("en-US")} MiB`,
  ];
}

interface PipelineFlags extends GlobalFlags, ColumnFlags {
  rows: number;
  clean?: boolean;
  seed: number;
  input?: string[];
  name?: string;
  asOf?: string;
  dataDir: string;
  lookupsDir: string;
  workers: number;
  dashboard?: boolean;
  host: string;
  port: number;
}

/**
 * How `pipeline --dashboard` serves the dashboard. main.ts passes dashboard/'s: the dashboard is
 * built on src/, so src/ never imports it.
 */
export interface DashboardLauncher {
  defaultHost: string;
  defaultPort: number;
  /** Throws a UserError when the address cannot be listened on (a busy port, a bad host). */
  checkCanListen(host: string, port: number): void;
  /** Starts serving the workspace: its address, and a promise kept when the server stops. */
  serve(options: DashboardLaunchOptions): Promise<{ url: string; finished: Promise<void> }>;
}

export interface DashboardLaunchOptions {
  host: string;
  port: number;
  dataDir: string;
  lookupsDir: string;
}

export function pipelineCommand(dashboard: DashboardLauncher): Command {
  return addColumnOptions(
    addWorkspaceOptions(
      new Command("pipeline")
        .description(
          "Everything end to end: generate (if the input is missing), update the lookups, clean, " +
            "aggregate; optionally serve the dashboard.",
        )
        .option(
          "--rows <n>",
          "rows to generate when the input is missing",
          parseCount,
          100_000,
        )
        .option("--clean", "generate clean rows instead of dirty ones")
        .option("--seed <n>", "generator seed", parseSeed, 42)
        .option(
          "--input <path>",
          "the CSV to process (generated there when missing), or a directory of them; repeat " +
            "for several, cleaned as one run",
          collectInputs,
        )
        .option(
          "--name <name>",
          "names the clean outputs (default: the single input's stem or directory name)",
        )
        .addOption(asOfOption()),
    )
      .addOption(workersOption())
      .option("--dashboard", "serve the dashboard when done")
      .option("--host <address>", "dashboard address", dashboard.defaultHost)
      .option(
        "--port <port>",
        "dashboard port (0 picks a free one)",
        parsePort,
        dashboard.defaultPort,
      ),
  )
    .addHelpText(
      "after",
      "\nExamples:\n  deno task pipeline --rows 1m\n" +
        "  deno task pipeline --input exports/sales.csv.gz --dashboard\n" +
        "  deno task pipeline --input exports/   # every *.csv(.gz) in it, as one run\n",
    )
    .action((_options, command: Command) =>
      runCommand(async () => {
        const flags = command.optsWithGlobals<PipelineFlags>();
        for (const input of flags.input ?? []) {
          if (!isCsvName(input) && !await isDirectory(input)) {
            throw new UserError(
              `--input must name a .csv or .csv.gz file or a directory of them, got ${input}`,
            );
          }
        }
        // A busy port or a bad --host fails now, not after the whole pipeline has run.
        if (flags.dashboard) dashboard.checkCanListen(flags.host, flags.port);
        const result = await runPipeline({
          rows: flags.rows,
          clean: flags.clean ?? false,
          seed: flags.seed,
          input: flags.input,
          name: flags.name,
          asOf: flags.asOf,
          dataDir: flags.dataDir,
          lookupsDir: flags.lookupsDir,
          workers: flags.workers,
          quiet: flags.quiet || flags.json,
          columns: await columnMappingFrom(flags),
        });
        printSummary(flags, {
          command: "pipeline",
          input: result.input,
          stages: result.stages,
          clean: result.clean,
          aggregations: result.aggregationsDir,
          duration_s: result.durationSeconds,
          peak_rss_bytes: result.peakRssBytes,
        }, describePipeline(result));
        if (!flags.dashboard) {
          if (!flags.quiet && !flags.json) {
            console.error(`Outputs are in ${flags.dataDir}/.`);
            console.error("Run `deno task run-dashboard` to explore them.");
          }
          return;
        }
        const served = await dashboard.serve({
          host: flags.host,
          port: flags.port,
          dataDir: flags.dataDir,
          lookupsDir: flags.lookupsDir,
        });
        console.error(`dashboard: open ${served.url}  (Ctrl-C to stop)`);
        await served.finished;
      })
    );
}
