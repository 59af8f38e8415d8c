/**
 * The clean report (`<data-dir>/reports/<stem>_clean_report.json`, docs/cleaning.md) as the aggregations
 * need it: row counts and rejections by reason, checked to belong to the clean parquet read.
 */
import { basename, dirname, join, resolve } from "node:path";
import { errorMessage, UserError } from "../io/errors.ts";
import { REJECTION_REASONS } from "../cleaning/rules/reasons.ts";

export interface CleanReportSummary {
  path: string;
  inputRows: number;
  cleanRows: number;
  rejectedRows: number;
  /** Rejected rows by reason: rule order first (docs/cleaning.md), then any other reason as listed. */
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
      `${path} is not valid JSON (${errorMessage(error)}); re-run clean-data`,
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
      throw new UserError(`cannot read ${path}: ${errorMessage(error)}`, { cause: error });
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

/** `sales_shard-2-of-4_clean_report.json` → shard 2 of 4 of dataset `sales`. */
const SHARD_REPORT = /^(.*)_shard-(\d+)-of-(\d+)_clean_report\.json$/;

/**
 * The report of a dataset directory: `<name>_clean_report.json` of one run, or the sum of the
 * reports of `clean-data --shard K/N` runs (`<name>_shard-K-of-N_clean_report.json`, every K of one
 * N present), checked against the dataset's rows like a single file's report.
 */
export async function loadDatasetReport(
  datasetPath: string,
  dataDir: string,
  datasetRows: number,
): Promise<CleanReportSummary> {
  const name = basename(datasetPath);
  const directories = [
    ...new Set([join(dataDir, "reports"), join(dirname(dirname(datasetPath)), "reports")]),
  ];
  for (const directory of directories) {
    const single = join(directory, `${name}_clean_report.json`);
    const text = await readIfExists(single);
    if (text !== undefined) {
      return checkedRows(parseCleanReport(text, single), datasetPath, datasetRows);
    }
    const shards = await shardReportsOf(directory, name);
    if (shards.length) {
      return checkedRows(sumReports(shards, directory, name), datasetPath, datasetRows);
    }
  }
  throw new UserError(
    `no clean report for dataset ${datasetPath} (looked for ${name}_clean_report.json and ` +
      `${name}_shard-K-of-N_clean_report.json in ${directories.join(" and ")}); ` +
      `rejection_summary needs it: re-run clean-data`,
  );
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new UserError(`cannot read ${path}: ${errorMessage(error)}`, { cause: error });
  }
}

function checkedRows(
  report: CleanReportSummary,
  datasetPath: string,
  rows: number,
): CleanReportSummary {
  if (report.cleanRows !== rows) {
    throw new UserError(
      `${report.path} counts ${report.cleanRows} clean rows but ${datasetPath} holds ${rows}: ` +
        `they come from different clean-data runs (or a shard is missing); re-run clean-data`,
    );
  }
  return report;
}

/** The shard reports of `name` in `directory`: all K of one N, or a UserError saying which are missing. */
async function shardReportsOf(directory: string, name: string): Promise<CleanReportSummary[]> {
  const byCount = new Map<number, Map<number, string>>();
  try {
    for await (const entry of Deno.readDir(directory)) {
      const match = SHARD_REPORT.exec(entry.name);
      if (!match || match[1] !== name) continue;
      const [shard, count] = [Number(match[2]), Number(match[3])];
      if (!byCount.has(count)) byCount.set(count, new Map());
      byCount.get(count)!.set(shard, join(directory, entry.name));
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw new UserError(`cannot list ${directory}: ${errorMessage(error)}`, { cause: error });
  }
  if (byCount.size === 0) return [];
  if (byCount.size > 1) {
    throw new UserError(
      `${directory} holds shard reports of ${name} for ${[...byCount.keys()].join(" and ")} ` +
        `shards: remove the reports of the older run, or re-run every shard`,
    );
  }
  const [[count, shards]] = byCount;
  const missing = Array.from({ length: count }, (_, shard) => shard).filter((shard) =>
    !shards.has(shard)
  );
  if (missing.length) {
    throw new UserError(
      `dataset ${name} has ${shards.size} of ${count} shard reports in ${directory} (missing shard ` +
        `${missing.slice(0, 20).join(", ")}${missing.length > 20 ? ", …" : ""}): run the missing ` +
        `clean-data --shard K/${count} first`,
    );
  }
  const reports: CleanReportSummary[] = [];
  for (let shard = 0; shard < count; shard++) {
    const path = shards.get(shard)!;
    reports.push(parseCleanReport(await Deno.readTextFile(path), path));
  }
  return reports;
}

/** One report adding up shard reports, reasons in the first report's order. */
function sumReports(
  reports: readonly CleanReportSummary[],
  directory: string,
  name: string,
): CleanReportSummary {
  const reasons = new Map<string, number>();
  for (const report of reports) {
    for (const [reason, rows] of report.reasons) {
      reasons.set(reason, (reasons.get(reason) ?? 0) + rows);
    }
  }
  return {
    path: join(directory, `${name}_shard-*-of-${reports.length}_clean_report.json`),
    inputRows: reports.reduce((sum, report) => sum + report.inputRows, 0),
    cleanRows: reports.reduce((sum, report) => sum + report.cleanRows, 0),
    rejectedRows: reports.reduce((sum, report) => sum + report.rejectedRows, 0),
    reasons: [...reasons],
  };
}
