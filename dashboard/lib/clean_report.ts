/**
 * The latest clean report (`<data>/reports/<stem>_clean_report.json`, docs/cleaning.md) and the files of
 * the same run: the dataset the dashboard describes.
 */
import { errorMessage } from "../../src/io/errors.ts";
import { join, resolve } from "node:path";
import { completePendingPublishes } from "../../src/io/publish.ts";
import { parquetRunId } from "./run_ids.ts";
import { type ColumnMapping, type ColumnRole, isColumnRole } from "../../src/io/column_roles.ts";
import {
  CLEAN_DIR,
  isInsideDataDir,
  listFiles,
  REJECTED_DIR,
  REPORTS_DIR,
  type Workspace,
} from "./workspace.ts";

const REPORT_SUFFIX = "_clean_report.json";

/** The fields of a clean report the dashboard uses; others are ignored. */
export interface CleanReport {
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
): Promise<CleanReport | UnreadableReport | undefined> {
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
async function mixedSetProblem(report: CleanReport): Promise<string | undefined> {
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
): Promise<CleanReport | UnreadableReport | undefined> {
  const reports = (await listFiles(join(workspace.dataDir, REPORTS_DIR), ".json"))
    .filter((file) => file.fileName.endsWith(REPORT_SUFFIX));
  if (reports.length === 0) return undefined;
  const newest = reports.reduce((a, b) => b.modifiedMs > a.modifiedMs ? b : a);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await Deno.readTextFile(newest.path));
  } catch (error) {
    return { path: newest.path, problem: errorMessage(error) };
  }
  const stem = newest.fileName.slice(0, -REPORT_SUFFIX.length);
  const report = parseReport(workspace, stem, newest.path, newest.modifiedMs, parsed);
  if (!isCleanReport(report)) return report;
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
  report: CleanReport | UnreadableReport | undefined,
): report is CleanReport {
  return report !== undefined && !("problem" in report);
}

function parseReport(
  workspace: Workspace,
  stem: string,
  path: string,
  modifiedMs: number,
  value: unknown,
): CleanReport | UnreadableReport {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { path, problem: "it is not a JSON object" };
  }
  const record = value as Record<string, unknown>;
  const count = (key: string) => {
    const number = record[key];
    return typeof number === "number" && Number.isFinite(number) && number >= 0
      ? number
      : undefined;
  };
  const inputRows = count("input_rows");
  const cleanRows = count("clean_rows");
  const rejectedRows = count("rejected_rows");
  if (inputRows === undefined || cleanRows === undefined || rejectedRows === undefined) {
    return { path, problem: "input_rows, clean_rows or rejected_rows is missing" };
  }
  return {
    stem,
    path,
    modifiedMs,
    inputRows,
    cleanRows,
    rejectedRows,
    reasons: countEntries(record.reasons),
    anomalies: countEntries(record.anomalies),
    asOf: typeof record.as_of === "string" ? record.as_of : undefined,
    durationSeconds: count("duration_s"),
    input: typeof record.input === "string" && record.input !== "" ? record.input : undefined,
    inputs: inputFiles(record.inputs),
    name: typeof record.name === "string" && record.name !== "" ? record.name : undefined,
    shard: shardOf(record.shard),
    // The report names its outputs (they differ from the defaults with --output); older reports
    // do not, and then the default paths of docs/cleaning.md apply.
    cleanParquetPath: typeof record.output === "string"
      ? resolve(record.output)
      : join(workspace.dataDir, CLEAN_DIR, `${stem}_clean.parquet`),
    rejectedCsvPath: typeof record.rejected === "string"
      ? resolve(record.rejected)
      : join(workspace.dataDir, REJECTED_DIR, `${stem}_rejected.csv`),
    rejectedSaved: record.rejected !== null,
    keepZeroQuantity: record.keep_zero_quantity === true,
    runId: typeof record.run_id === "string" ? record.run_id : undefined,
    rejectedBytes: count("rejected_bytes"),
    columns: recordedColumns(record),
  };
}

/**
 * The column mapping a report recorded: each role's header name, the dedup key and whether extra
 * columns were dropped. Older reports record none: names match roles, as they did then.
 */
function recordedColumns(record: Record<string, unknown>): ColumnMapping {
  const columns: Partial<Record<ColumnRole, string>> = {};
  if (typeof record.columns === "object" && record.columns !== null) {
    for (const [role, header] of Object.entries(record.columns)) {
      if (isColumnRole(role) && typeof header === "string" && header !== "") {
        columns[role] = header;
      }
    }
  }
  const key = record.dedup_key;
  return {
    columns,
    dedupKey: Array.isArray(key) && key.every((name) => typeof name === "string") ? key : undefined,
    dropExtraColumns: record.drop_extra_columns === true,
  };
}

function countEntries(value: unknown): [string, number][] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>)
    .filter((entry): entry is [string, number] => typeof entry[1] === "number")
    .map(([key, rows]) => [key, rows]);
}

/** The files of a report's `inputs` (`[{ file, rows }]`), in order. */
function inputFiles(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) =>
    typeof entry === "object" && entry !== null && typeof entry.file === "string"
      ? [entry.file]
      : []
  );
}

function shardOf(value: unknown): { index: number; count: number } | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { index, count } = value as Record<string, unknown>;
  return typeof index === "number" && typeof count === "number" ? { index, count } : undefined;
}
