/**
 * The latest clean report (`<data>/reports/<stem>_clean_report.json`, read by
 * src/cleaning/clean_report.ts) and the files of the same run: the dataset the dashboard describes.
 * When the newest report is one shard's (`clean-data --shard K/N`), the run shown is the whole
 * sharded run: the reports of its shards found so far, summed (src/cleaning/shard_reports.ts).
 */
import { errorMessage } from "../../src/io/errors.ts";
import { basename, dirname, join, resolve } from "node:path";
import { completePendingPublishes } from "../../src/io/publish.ts";
import { parquetRunId } from "./run_ids.ts";
import { type ColumnMapping, type ColumnRole, isColumnRole } from "../../src/io/column_roles.ts";
import {
  CleanReportError,
  parseCleanReport,
  reasonEntries,
  type StoredCleanReport,
  sumCleanCounts,
} from "../../src/cleaning/clean_report.ts";
import { readShardReportSets, type ShardReport } from "../../src/cleaning/shard_reports.ts";
import type { ShardSpec } from "../../src/cleaning/shard.ts";
import { listDatasetFiles } from "../../src/io/parquet_dataset.ts";
import {
  CLEAN_REPORT_SUFFIX,
  cleanParquetName,
  datasetPartName,
  parseShardReportName,
  rejectedCsvName,
  reportStem,
} from "../../src/cleaning/output_names.ts";
import {
  CLEAN_DIR,
  isInsideDataDir,
  listFiles,
  REJECTED_DIR,
  REPORTS_DIR,
  type Workspace,
} from "./workspace.ts";

/** The latest clean run as the dashboard shows it: fields of its report, and where its files are. */
export interface LatestReport {
  /** The input's stem: `dirty_1m` for `dirty_1m.csv`. */
  stem: string;
  path: string;
  modifiedMs: number;
  inputRows: number;
  cleanRows: number;
  rejectedRows: number;
  /** Rejection reason → rows, in the report's (rule) order. */
  reasons: [string, number][];
  /** Anomaly flag → rows. */
  anomalies: [string, number][];
  asOf?: string;
  durationSeconds?: number;
  /** The input CSV that was cleaned, as the report names it (several: joined with ", "). */
  input?: string;
  /** Every input file of the run in the order cleaned (the report's `inputs`; used for a re-run). */
  inputs: string[];
  /** The run's name (`--name`; older reports have none). */
  name?: string;
  /** Set for a sharded run: the shard of its newest report. */
  shard?: { index: number; count: number };
  /** Set for a sharded run (`clean-data --shard K/N`): which shards have reported. */
  shards?: ShardProgress;
  /** Paths of the run's other outputs (may not exist: `--no-save-rejected`). */
  cleanParquetPath: string;
  /** The run's rejected CSV (a sharded run: its first shard's). */
  rejectedCsvPath: string;
  /** Every rejected CSV of the run, in shard order: read as one list. */
  rejectedCsvPaths: string[];
  /** Each run's report and outputs, to check they belong together (one per shard). */
  parts: RunPart[];
  /** False when the run kept no rejected rows (`--no-save-rejected`). */
  rejectedSaved: boolean;
  /** The run kept zero-quantity rows (`--keep-zero-quantity`). */
  keepZeroQuantity: boolean;
  /** The clean-data run (older reports have none). */
  runId?: string;
  /** The size of the rejected CSV that run wrote. */
  rejectedBytes?: number;
  /** How the run read its input's columns (a re-run reads them the same way). */
  columns: ColumnMapping;
}

/** How far a sharded run is: its shards that have written a report, of how many. */
export interface ShardProgress {
  /** N of `--shard K/N`. */
  count: number;
  /** The shards whose reports are summed, in order. */
  done: number[];
  /** The shards without a report yet (the counts shown leave their rows out). */
  missing: number[];
  /** The summed reports. */
  reportPaths: string[];
}

/**
 * What a page says of a sharded run: `4 shards` when complete, else `2 of 4 shards done (shard 1,
 * 3 still missing)`: the counts shown are those of the shards done.
 */
export function shardProgressText(shards: ShardProgress): string {
  if (shards.missing.length === 0) return `${shards.count} shards`;
  const missing = shards.missing.slice(0, 10).join(", ") +
    (shards.missing.length > 10 ? ", …" : "");
  return `${shards.done.length} of ${shards.count} shards done (shard ${missing} still missing)`;
}

/** One clean-data run's report and the outputs it names. */
export interface RunPart {
  reportPath: string;
  runId?: string;
  /** Its clean parquet, or dataset directory (`--partition-by`). */
  parquetPath: string;
  rejectedCsvPath: string;
  rejectedSaved: boolean;
  rejectedBytes?: number;
  /** The shard the run cleaned (`--shard K/N`). */
  shard?: ShardSpec;
}

/** A report that exists but cannot be used, with the reason. */
export interface UnreadableReport {
  path: string;
  problem: string;
}

/**
 * The most recently written clean report, or why it cannot be read, or undefined when none. Its
 * parquet and rejected CSV are checked to be the same run's; a mismatch (a publish under way or
 * interrupted) is waited for or completed, and read again, before it is reported.
 */
export async function latestCleanReport(
  workspace: Workspace,
): Promise<LatestReport | UnreadableReport | undefined> {
  for (let attempt = 1;; attempt++) {
    const report = await readLatestCleanReport(workspace);
    if (!isCleanReport(report)) return report;
    const mixed = await mixedSetProblem(report);
    if (!mixed) return report;
    if (attempt === 3) return { path: report.path, problem: mixed };
    await completePendingPublishes(workspace.dataDir, { wait: true }).catch(() => {});
  }
}

/** Why a run's parquet or rejected CSV is not the one its run wrote, if one is not. */
async function mixedSetProblem(report: LatestReport): Promise<string | undefined> {
  for (const part of report.parts) {
    const problem = await mixedPartProblem(part);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Why `part`'s parquet or rejected CSV is not its run's. A shard's dataset directory
 * (`--partition-by`) holds every shard's files: only the shard's own part files are its run's.
 */
async function mixedPartProblem(part: RunPart): Promise<string | undefined> {
  if (part.runId === undefined) return undefined; // an older report: nothing to compare
  const rerun = "re-run clean-data";
  try {
    const own = part.shard && (await Deno.stat(part.parquetPath)).isDirectory
      ? (await listDatasetFiles(part.parquetPath)).filter((file) =>
        basename(file) === datasetPartName(part.shard)
      )
      : [part.parquetPath];
    for (const parquet of own) {
      const parquetRun = await parquetRunId(parquet);
      if (parquetRun !== part.runId) {
        return `${parquet} (run ${parquetRun ?? "unknown"}) is not from the run ` +
          `of ${part.reportPath} (run ${part.runId}); ${rerun}`;
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (part.rejectedSaved && part.rejectedBytes !== undefined) {
    try {
      const { size } = await Deno.stat(part.rejectedCsvPath);
      if (size !== part.rejectedBytes) {
        return `${part.rejectedCsvPath} (${size} bytes) is not the file the run of ` +
          `${part.reportPath} wrote (${part.rejectedBytes} bytes); ${rerun}`;
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return undefined;
}

async function readLatestCleanReport(
  workspace: Workspace,
): Promise<LatestReport | UnreadableReport | undefined> {
  const reports = (await listFiles(join(workspace.dataDir, REPORTS_DIR), ".json"))
    .filter((file) => file.fileName.endsWith(CLEAN_REPORT_SUFFIX));
  if (reports.length === 0) return undefined;
  const newest = reports.reduce((a, b) => b.modifiedMs > a.modifiedMs ? b : a);
  let report: LatestReport;
  try {
    const shard = parseShardReportName(newest.fileName);
    report = shard
      ? await shardedRunReport(workspace, newest, shard.name, shard.shard.count)
      : shownReport(
        workspace,
        newest,
        parseCleanReport(await Deno.readTextFile(newest.path), newest.path),
      );
  } catch (error) {
    const problem = error instanceof CleanReportError ? error.problem : errorMessage(error);
    return { path: error instanceof CleanReportError ? error.path : newest.path, problem };
  }
  // The dashboard shows, and a re-run writes, only files inside the data directory.
  const outputs = report.parts.flatMap((part) => [part.parquetPath, part.rejectedCsvPath]);
  for (const output of [report.cleanParquetPath, ...outputs]) {
    if (!await isInsideDataDir(workspace, output)) {
      return {
        path: newest.path,
        problem: `it names ${output}, which is outside the data directory ${workspace.dataDir}; ` +
          `the dashboard only reads and writes files inside it (run clean-data without --output ` +
          `or --rejected-dir pointing elsewhere)`,
      };
    }
  }
  return report;
}

export function isCleanReport(
  report: LatestReport | UnreadableReport | undefined,
): report is LatestReport {
  return report !== undefined && !("problem" in report);
}

/** The fields the dashboard uses of a report read from `file`. */
function shownReport(
  workspace: Workspace,
  file: { fileName: string; path: string; modifiedMs: number },
  report: StoredCleanReport,
): LatestReport {
  const stem = reportStem(file.fileName)!;
  // The report names its outputs (they differ from the defaults with --output); older reports
  // do not, and then the default paths of docs/cleaning.md apply.
  const cleanParquetPath = typeof report.output === "string"
    ? resolve(report.output)
    : join(workspace.dataDir, CLEAN_DIR, cleanParquetName(stem));
  const rejectedCsvPath = typeof report.rejected === "string"
    ? resolve(report.rejected)
    : join(workspace.dataDir, REJECTED_DIR, rejectedCsvName(stem));
  const part: RunPart = {
    reportPath: file.path,
    runId: report.run_id,
    parquetPath: cleanParquetPath,
    rejectedCsvPath,
    rejectedSaved: report.rejected !== null,
    rejectedBytes: report.rejected_bytes ?? undefined,
    shard: report.shard ?? undefined,
  };
  return {
    stem,
    path: file.path,
    modifiedMs: file.modifiedMs,
    inputRows: report.input_rows,
    cleanRows: report.clean_rows,
    rejectedRows: report.rejected_rows,
    reasons: reasonEntries(report.reasons),
    anomalies: Object.entries(report.anomalies ?? {}),
    asOf: report.as_of,
    durationSeconds: report.duration_s,
    input: report.input !== "" ? report.input : undefined,
    inputs: (report.inputs ?? []).map((entry) => entry.file),
    name: report.name !== undefined && report.name !== "" ? report.name : undefined,
    shard: report.shard ?? undefined,
    cleanParquetPath,
    rejectedCsvPath,
    rejectedCsvPaths: [rejectedCsvPath],
    parts: [part],
    rejectedSaved: part.rejectedSaved,
    keepZeroQuantity: report.keep_zero_quantity === true,
    runId: report.run_id,
    rejectedBytes: part.rejectedBytes,
    columns: recordedColumns(report),
  };
}

/**
 * A sharded run as one run: the reports of its shards so far (the `count` of the newest report),
 * their counts summed, its clean output the dataset directory they share, and its rejected rows
 * every shard's rejected CSV in shard order. Run ids may differ per shard: each shard's report is
 * checked against its own files.
 */
async function shardedRunReport(
  workspace: Workspace,
  newest: { fileName: string; path: string; modifiedMs: number },
  name: string,
  count: number,
): Promise<LatestReport> {
  const sets = await readShardReportSets(dirname(newest.path), name);
  const { shards, missing } = sets.find((set) => set.count === count)!;
  const views = shards.map((shard) => shownReport(workspace, shardFile(shard), shard.report));
  const first = views[0];
  const sum = sumCleanCounts(shards.map((shard) => shard.report));
  const newestView = views.find((view) => view.path === newest.path) ?? first;
  const durations = views.map((view) => view.durationSeconds);
  return {
    ...first,
    stem: name,
    // The newest report stands for the set where one file is linked; the oldest says since when
    // lookups and inputs may have changed under it.
    path: newest.path,
    modifiedMs: Math.min(...shards.map((shard) => shard.modifiedMs)),
    inputRows: sum.input_rows,
    cleanRows: sum.clean_rows,
    rejectedRows: sum.rejected_rows,
    reasons: reasonEntries(sum.reasons),
    anomalies: Object.entries(sum.anomalies),
    // The shards run side by side: the run took as long as its slowest shard.
    durationSeconds: durations.includes(undefined) ? undefined : Math.max(...durations as number[]),
    shard: newestView.shard ?? { index: shards.at(-1)!.index, count },
    shards: {
      count,
      done: shards.map((shard) => shard.index),
      missing,
      reportPaths: shards.map((shard) => shard.path),
    },
    cleanParquetPath: datasetDirectory(workspace, shards[0].report.output, name),
    rejectedCsvPaths: views.map((view) => view.rejectedCsvPath),
    parts: views.flatMap((view) => view.parts),
    rejectedSaved: views.every((view) => view.rejectedSaved),
    runId: undefined,
    rejectedBytes: undefined,
  };
}

/** The file a shard's report was read from, as {@linkcode shownReport} takes it. */
function shardFile(shard: ShardReport): { fileName: string; path: string; modifiedMs: number } {
  return { fileName: basename(shard.path), path: shard.path, modifiedMs: shard.modifiedMs };
}

/**
 * The dataset directory of a shard's output: the directory itself (`--partition-by`), else the
 * directory of its part file (`<data>/clean/<name>/part-shard-K-of-N.parquet`).
 */
function datasetDirectory(
  workspace: Workspace,
  shardOutput: string | null | undefined,
  name: string,
): string {
  if (typeof shardOutput !== "string") return join(workspace.dataDir, CLEAN_DIR, name);
  const output = resolve(shardOutput);
  return output.endsWith(".parquet") ? dirname(output) : output;
}
/**
 * The column mapping a report recorded: each role's header name, the dedup key and whether extra
 * columns were dropped. Older reports record none: names match roles, as they did then.
 */
function recordedColumns(report: StoredCleanReport): ColumnMapping {
  const columns: Partial<Record<ColumnRole, string>> = {};
  for (const [role, header] of Object.entries(report.columns ?? {})) {
    if (isColumnRole(role) && typeof header === "string" && header !== "") {
      columns[role] = header;
    }
  }
  return {
    columns,
    dedupKey: report.dedup_key,
    dropExtraColumns: report.drop_extra_columns === true,
  };
}
