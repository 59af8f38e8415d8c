/**
 * The clean report (`<data-dir>/reports/<stem>_clean_report.json`, DESIGN §4) as the aggregations
 * need it: row counts and rejections by reason, checked to belong to the clean parquet read.
 */
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "../cli/errors.ts";
import { REJECTION_REASONS } from "../cleaning/rules/reasons.ts";

export interface CleanReportSummary {
  path: string;
  inputRows: number;
  cleanRows: number;
  rejectedRows: number;
  /** Rejected rows by reason: rule order first (DESIGN §4), then any other reason as listed. */
  reasons: [reason: string, rows: number][];
  /** The clean-data run that wrote it (reports of older versions have none). */
  runId?: string;
}

/**
 * The report and the parquet read come from different clean-data runs. Readers first complete
 * any interrupted publish and read again (a writer may have published between the two reads).
 */
export class MixedCleanSetError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "MixedCleanSetError";
  }
}

/** `dirty_1m` for `…/dirty_1m_clean.parquet`. */
export function cleanParquetStem(parquetPath: string): string {
  const name = basename(parquetPath);
  return name.replace(/_clean\.parquet$/i, "").replace(/\.parquet$/i, "");
}

/**
 * Where the report of a clean parquet may be: in `<data-dir>/reports`, else in the `reports`
 * directory beside the parquet's own directory (a workspace other than `--data-dir`).
 */
export function cleanReportCandidates(parquetPath: string, dataDir: string): string[] {
  const file = `${cleanParquetStem(parquetPath)}_clean_report.json`;
  const candidates = [
    join(dataDir, "reports", file),
    join(dirname(dirname(parquetPath)), "reports", file),
  ];
  return [...new Set(candidates)];
}

function wholeNumber(report: Record<string, unknown>, key: string, path: string): number {
  const value = report[key];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new UserError(`${path}: "${key}" must be a whole number ≥ 0; re-run clean-data`);
  }
  return value;
}

/** Reads and checks a report's JSON text. */
export function parseCleanReport(text: string, path: string): CleanReportSummary {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `${path} is not valid JSON (${(error as Error).message}); re-run clean-data`,
      { cause: error },
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UserError(`${path} must hold a JSON object; re-run clean-data`);
  }
  const report = parsed as Record<string, unknown>;
  const reasonsObject = report.reasons;
  if (typeof reasonsObject !== "object" || reasonsObject === null || Array.isArray(reasonsObject)) {
    throw new UserError(`${path}: "reasons" must be an object of reason → rows; re-run clean-data`);
  }
  const byReason = reasonsObject as Record<string, unknown>;
  const known = REJECTION_REASONS.filter((reason) => reason in byReason);
  const others = Object.keys(byReason).filter((reason) =>
    !(REJECTION_REASONS as readonly string[]).includes(reason)
  );
  const reasons: [string, number][] = [...known, ...others].map((reason) => [
    reason,
    wholeNumber(byReason, reason, `${path} reasons`),
  ]);
  return {
    path,
    inputRows: wholeNumber(report, "input_rows", path),
    cleanRows: wholeNumber(report, "clean_rows", path),
    rejectedRows: wholeNumber(report, "rejected_rows", path),
    reasons,
    runId: typeof report.run_id === "string" ? report.run_id : undefined,
  };
}

/** Throws {@linkcode MixedCleanSetError} when report and parquet name different runs. */
function checkSameRun(
  report: CleanReportSummary,
  parquetPath: string,
  parquetRunId: string | undefined,
): void {
  if (report.runId === parquetRunId || (report.runId === undefined && !parquetRunId)) return;
  throw new MixedCleanSetError(
    `${report.path} (run ${report.runId ?? "unknown"}) and ${parquetPath} (run ` +
      `${parquetRunId ?? "unknown"}) come from different clean-data runs; re-run clean-data`,
  );
}

/**
 * Finds and reads the report of `parquetPath`, and checks it describes that file: the same run id
 * as the parquet's footer (`parquetRunId`), and `clean_rows` equal to its row count. A report
 * from another run would make every share wrong.
 */
export async function loadCleanReport(
  parquetPath: string,
  dataDir: string,
  parquetRows: number,
  parquetRunId?: string,
): Promise<CleanReportSummary> {
  const candidates = cleanReportCandidates(parquetPath, dataDir);
  for (const path of candidates) {
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw new UserError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
    const report = parseCleanReport(text, path);
    checkSameRun(report, parquetPath, parquetRunId);
    if (report.cleanRows !== parquetRows) {
      throw new UserError(
        `${path} counts ${report.cleanRows} clean rows but ${parquetPath} holds ${parquetRows}: ` +
          `they come from different clean-data runs; re-run clean-data`,
      );
    }
    return report;
  }
  // `clean-data --output` may have named the parquet unlike its input: the report says which
  // parquet it describes.
  const namedReport = await findReportNamingOutput(parquetPath, candidates.map(dirname));
  if (namedReport) {
    const report = parseCleanReport(namedReport.text, namedReport.path);
    checkSameRun(report, parquetPath, parquetRunId);
    if (report.cleanRows === parquetRows) return report;
  }
  throw new UserError(
    `no clean report for ${parquetPath} (looked for ${candidates.join(" and ")}, and for a ` +
      `report whose "output" is that file); rejection_summary needs it: re-run clean-data`,
  );
}

/** The newest `*_clean_report.json` in `directories` whose `output` is `parquetPath`. */
async function findReportNamingOutput(
  parquetPath: string,
  directories: string[],
): Promise<{ path: string; text: string } | undefined> {
  const wanted = await realPath(parquetPath);
  let newest: { path: string; text: string; modified: number } | undefined;
  for (const directory of new Set(directories)) {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(directory));
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isFile || !entry.name.endsWith("_clean_report.json")) continue;
      const path = join(directory, entry.name);
      try {
        const text = await Deno.readTextFile(path);
        const output = (JSON.parse(text) as { output?: unknown }).output;
        if (typeof output !== "string" || await realPath(output) !== wanted) continue;
        const modified = (await Deno.stat(path)).mtime?.getTime() ?? 0;
        if (!newest || modified > newest.modified) newest = { path, text, modified };
      } catch {
        // Unreadable or not JSON: not the report we are looking for.
      }
    }
  }
  return newest;
}

async function realPath(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch {
    return resolve(path);
  }
}
