/**
 * The latest clean report (`<data>/reports/<stem>_clean_report.json`, read by
 * src/cleaning/clean_report.ts) and the files of the same run: the dataset the dashboard describes.
 */
import { errorMessage } from "../../src/io/errors.ts";
import { join, resolve } from "node:path";
import { completePendingPublishes } from "../../src/io/publish.ts";
import { parquetRunId } from "./run_ids.ts";
import { type ColumnMapping, type ColumnRole, isColumnRole } from "../../src/io/column_roles.ts";
import {
  CleanReportError,
  parseCleanReport,
  reasonEntries,
  type StoredCleanReport,
} from "../../src/cleaning/clean_report.ts";
import {
  CLEAN_REPORT_SUFFIX,
  cleanParquetName,
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
  /** Set for the report of one `clean-data --shard K/N` run. */
  shard?: { index: number; count: number };
  /** Paths of the run's other outputs (may not exist: `--no-save-rejected`). */
  cleanParquetPath: string;
  rejectedCsvPath: string;
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

/** Why the report's parquet or rejected CSV is not the one its run wrote, if it is not. */
async function mixedSetProblem(report: LatestReport): Promise<string | undefined> {
  if (report.runId === undefined) return undefined; // an older report: nothing to compare
  const rerun = "re-run clean-data";
  try {
    const parquetRun = await parquetRunId(report.cleanParquetPath);
    if (parquetRun !== report.runId) {
      return `${report.cleanParquetPath} (run ${parquetRun ?? "unknown"}) is not from the run ` +
        `of ${report.path} (run ${report.runId}); ${rerun}`;
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (report.rejectedSaved && report.rejectedBytes !== undefined) {
    try {
      const { size } = await Deno.stat(report.rejectedCsvPath);
      if (size !== report.rejectedBytes) {
        return `${report.rejectedCsvPath} (${size} bytes) is not the file the run of ` +
          `${report.path} wrote (${report.rejectedBytes} bytes); ${rerun}`;
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
  let stored: StoredCleanReport;
  try {
    stored = parseCleanReport(await Deno.readTextFile(newest.path), newest.path);
  } catch (error) {
    const problem = error instanceof CleanReportError ? error.problem : errorMessage(error);
    return { path: newest.path, problem };
  }
  const report = shownReport(workspace, newest, stored);
  // The dashboard shows, and a re-run writes, only files inside the data directory.
  for (const output of [report.cleanParquetPath, report.rejectedCsvPath]) {
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
    // The report names its outputs (they differ from the defaults with --output); older reports
    // do not, and then the default paths of docs/cleaning.md apply.
    cleanParquetPath: typeof report.output === "string"
      ? resolve(report.output)
      : join(workspace.dataDir, CLEAN_DIR, cleanParquetName(stem)),
    rejectedCsvPath: typeof report.rejected === "string"
      ? resolve(report.rejected)
      : join(workspace.dataDir, REJECTED_DIR, rejectedCsvName(stem)),
    rejectedSaved: report.rejected !== null,
    keepZeroQuantity: report.keep_zero_quantity === true,
    runId: report.run_id,
    rejectedBytes: report.rejected_bytes ?? undefined,
    columns: recordedColumns(report),
  };
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
