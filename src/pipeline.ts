/**
 * `pipeline`: generate (when the input is missing) → update-lookups → clean-data →
 * build-aggregations, with one summary at the end, and optionally the dashboard.
 */
import { Command } from "commander";
import { join } from "node:path";
import { addColumnOptions, type ColumnFlags, columnMappingFrom } from "./cli/column_options.ts";
import { runCommand } from "./cli/errors.ts";
import { UserError } from "./io/errors.ts";
import {
  defaultWorkers,
  parseCount,
  parseIsoDate,
  parsePort,
  parseSeed,
  parseWorkers,
  todayIso,
} from "./cli/options.ts";
import { formatSeconds, Progress } from "./cli/progress.ts";
import { formatTable, type GlobalFlags, peakRssBytes, printSummary } from "./cli/summary.ts";
import { buildAggregations } from "./aggregations/build_aggregations.ts";
import { cleanData, type CleanReport } from "./cleaning/clean_data.ts";
import { describeCleanReport } from "./cleaning/command.ts";
import { generateData } from "./generation/generate_data.ts";
import { defaultOutputPath } from "./generation/output_path.ts";
import { contradictionError } from "./lookups/load_lookups.ts";
import { updateLookups } from "./lookups/update_lookups.ts";
import { checkCanListen, DEFAULT_HOST, DEFAULT_PORT, serveDashboard } from "../dashboard/server.ts";
import type { ColumnMapping } from "./io/column_roles.ts";

export interface PipelineOptions {
  rows: number;
  clean: boolean;
  seed: number;
  /** The CSV to process; generated there when missing. Default: the generator's default name. */
  input?: string;
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

/** Runs the whole pipeline in-process; each stage prints its own progress unless quiet. */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const started = performance.now();
  const asOf = options.asOf ?? todayIso();
  const workers = options.workers ?? defaultWorkers();
  const say = (line: string) => {
    if (!options.quiet) console.error(line);
  };
  const input = options.input ?? defaultOutputPath(options.dataDir, options.rows, options.clean);
  const stages: PipelineStage[] = [];

  say("pipeline [1/4] generate-data");
  if (await exists(input)) {
    stages.push({
      stage: "generate-data",
      rows: 0,
      seconds: 0,
      outputs: [],
      skipped: "input exists",
    });
    say(`  ${input} exists: not regenerated`);
  } else {
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
    stages.push({
      stage: "generate-data",
      rows: generated.rows,
      seconds: generated.durationSeconds,
      outputs: [generated.output],
    });
  }

  say("pipeline [2/4] update-lookups");
  let stageStart = performance.now();
  const lookups = await updateLookups({
    sample: input,
    lookupsDir: options.lookupsDir,
    quiet: options.quiet,
    columns: options.columns,
  });
  if (lookups.problems.length > 0) throw contradictionError(options.lookupsDir, lookups.problems);
  const unknownRegions = lookups.regionMap.unknownQueue.length;
  if (unknownRegions > 0) {
    say(
      `  ${unknownRegions} raw region value(s) await review as UNKNOWN in ` +
        `${join(options.lookupsDir, "region_map.json")} (the dashboard's review queue lists them)`,
    );
    const suggested = lookups.suggestions.filter((entry) => entry.column === "region").length;
    if (suggested > 0) {
      const dir = options.lookupsDir === "lookups" ? "" : ` --lookups-dir ${options.lookupsDir}`;
      say(
        `  ${suggested} of them have a suggestion: \`deno task update-lookups ${input}${dir} ` +
          "--accept-suggestions` writes them (nothing is applied without it)",
      );
    }
  }
  stages.push({
    stage: "update-lookups",
    rows: lookups.sample.rows,
    seconds: (performance.now() - stageStart) / 1000,
    outputs: [options.lookupsDir],
  });

  say("pipeline [3/4] clean-data");
  const { report, reportPath, notes } = await cleanData({
    input,
    dataDir: options.dataDir,
    lookupsDir: options.lookupsDir,
    asOf,
    workers,
    quiet: options.quiet,
    columns: options.columns,
  });
  for (const note of notes) say(`  note: ${note}`);
  stages.push({
    stage: "clean-data",
    rows: report.input_rows,
    seconds: report.duration_s,
    outputs: [report.output!, ...(report.rejected ? [report.rejected] : []), reportPath!],
  });

  say("pipeline [4/4] build-aggregations");
  stageStart = performance.now();
  const aggregations = await buildAggregations({
    cleaned: report.output!,
    dataDir: options.dataDir,
    workers,
    quiet: options.quiet,
  });
  stages.push({
    stage: "build-aggregations",
    rows: aggregations.rows,
    seconds: (performance.now() - stageStart) / 1000,
    outputs: [aggregations.outDir],
  });

  return {
    input,
    stages,
    clean: report,
    aggregationsDir: aggregations.outDir,
    durationSeconds: (performance.now() - started) / 1000,
    peakRssBytes: peakRssBytes(),
  };
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
  input?: string;
  asOf?: string;
  dataDir: string;
  lookupsDir: string;
  workers: number;
  dashboard?: boolean;
  host: string;
  port: number;
}

export function pipelineCommand(): Command {
  return addColumnOptions(
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
      .option("--input <file>", "the CSV to process (generated there when missing)")
      .option("--as-of <date>", "the day dates are checked against (default: today)", parseIsoDate)
      .option("--data-dir <dir>", "workspace for inputs and outputs", "data")
      .option("--lookups-dir <dir>", "where the lookup JSON files live", "lookups")
      .option("--workers <n>", "worker threads", parseWorkers, defaultWorkers())
      .option("--dashboard", "serve the dashboard when done")
      .option("--host <address>", "dashboard address", DEFAULT_HOST)
      .option("--port <port>", "dashboard port (0 picks a free one)", parsePort, DEFAULT_PORT),
  )
    .addHelpText(
      "after",
      "\nExamples:\n  deno task pipeline --rows 1m\n" +
        "  deno task pipeline --input exports/sales.csv.gz --dashboard\n",
    )
    .action((_options, command: Command) =>
      runCommand(async () => {
        const flags = command.optsWithGlobals<PipelineFlags>();
        if (flags.input && !flags.input.match(/\.csv(\.gz)?$/i)) {
          throw new UserError(`--input must name a .csv or .csv.gz file, got ${flags.input}`);
        }
        // A busy port or a bad --host fails now, not after the whole pipeline has run.
        if (flags.dashboard) checkCanListen(flags.host, flags.port);
        const result = await runPipeline({
          rows: flags.rows,
          clean: flags.clean ?? false,
          seed: flags.seed,
          input: flags.input,
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
        const dashboard = await serveDashboard({
          host: flags.host,
          port: flags.port,
          dataDir: flags.dataDir,
          lookupsDir: flags.lookupsDir,
        });
        console.error(`dashboard: open ${dashboard.url}  (Ctrl-C to stop)`);
        await dashboard.server.finished;
      })
    );
}
