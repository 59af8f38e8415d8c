/** The `build-aggregations` command: flags, then {@linkcode buildAggregations}, then a summary. */
import { Command } from "commander";
import { runCommand } from "../cli/errors.ts";
import { addWorkspaceOptions, parseWorkers } from "../cli/options.ts";
import { formatCount } from "../cli/progress.ts";
import { formatTable, type GlobalFlags, printSummary } from "../cli/summary.ts";
import { type AggregationsResult, buildAggregations } from "./build_aggregations.ts";
import { AGGREGATION_TABLES } from "./registry.ts";

interface BuildAggregationsFlags {
  cleaned?: string;
  outDir?: string;
  dataDir: string;
  workers?: number;
}

/** The `--json` summary. */
export function aggregationsSummary(result: AggregationsResult): Record<string, unknown> {
  return {
    command: "build-aggregations",
    input: result.input,
    report: result.report,
    run_id: result.runId,
    rows: result.rows,
    tables: Object.fromEntries(result.tables.map((table) => [table.name, table.rows])),
    out_dir: result.outDir,
    bytes_written: result.tables.reduce((total, table) => total + table.bytes, 0),
    duration_s: Number(result.durationSeconds.toFixed(3)),
    rows_per_s: Math.round(result.rows / Math.max(result.durationSeconds, 1e-9)),
    peak_rss_bytes: result.peakRssBytes,
  };
}

function summaryLines(result: AggregationsResult): string[] {
  return [
    `build-aggregations: ${formatCount(result.rows)} clean rows from ${result.input} in ${
      result.durationSeconds.toFixed(2)
    } s → ${result.outDir}`,
    ...formatTable(
      ["table", "rows"],
      result.tables.map((table) => [table.name, table.rows]),
    ).map((line) => `  ${line}`),
  ];
}

export function buildAggregationsCommand(): Command {
  const tableList = AGGREGATION_TABLES.map((table) => `  ${table.name}: ${table.description}`)
    .join("\n");
  return addWorkspaceOptions(
    new Command("build-aggregations")
      .description("Compute the metric tables, one parquet each, from the clean parquet.")
      .option(
        "--cleaned <file>",
        "the clean parquet (default: the only .parquet in <data-dir>/clean)",
      )
      .option("--out-dir <dir>", "where the tables go (default: <data-dir>/aggregations)")
      .option("--workers <n>", "threads reading the parquet (default: one per core)", parseWorkers),
  )
    .addHelpText(
      "after",
      `\nTables (one parquet each; columns in docs/schemas.md):\n${tableList}\n\n` +
        "Example:\n  deno task build-aggregations --cleaned data/clean/dirty_1m_clean.parquet\n",
    )
    .action((flags: BuildAggregationsFlags, command: Command) =>
      runCommand(async () => {
        const globals = command.optsWithGlobals<GlobalFlags>();
        const result = await buildAggregations({
          cleaned: flags.cleaned,
          outDir: flags.outDir,
          dataDir: flags.dataDir,
          workers: flags.workers,
          quiet: globals.quiet || globals.json,
        });
        printSummary(globals, aggregationsSummary(result), summaryLines(result));
      })
    );
}
