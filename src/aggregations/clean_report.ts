/**
 * Finds the clean report (src/cleaning/clean_report.ts) of the clean parquet or dataset the
 * aggregations read, checks it belongs to that data, and sums a sharded run's reports.
 */
import { basename, dirname, join, resolve } from "node:path";
import { errorMessage, UserError } from "../io/errors.ts";
import { parseCleanReport, reasonEntries, sumCleanCounts } from "../cleaning/clean_report.ts";
import { readShardReportSets } from "../cleaning/shard_reports.ts";
import {
  CLEAN_REPORT_SUFFIX,
  cleanParquetStem,
  cleanReportName,
  REPORTS_DIR,
} from "../cleaning/output_names.ts";

/** What the aggregations take from a clean report. */
export interface CleanReportSummary {
  /** The report read (for a sharded run, a pattern naming every shard's report). */
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

/**
 * Where the report of a clean parquet may be: in `<data-dir>/reports`, else in the `reports`
 * directory beside the parquet's own directory (a workspace other than `--data-dir`).
 */
export function cleanReportCandidates(parquetPath: string, dataDir: string): string[] {
  const file = cleanReportName(cleanParquetStem(parquetPath));
  const candidates = [
    join(dataDir, REPORTS_DIR, file),
    join(dirname(dirname(parquetPath)), REPORTS_DIR, file),
  ];
  return [...new Set(candidates)];
}

/** The summary of a report's text. */
function readSummary(text: string, path: string): CleanReportSummary {
  const report = parseCleanReport(text, path);
  return {
    path,
    inputRows: report.input_rows,
    cleanRows: report.clean_rows,
    rejectedRows: report.rejected_rows,
    reasons: reasonEntries(report.reasons),
    runId: report.run_id,
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
    const report = readSummary(text, path);
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
    const report = readSummary(namedReport.text, namedReport.path);
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
      if (!entry.isFile || !entry.name.endsWith(CLEAN_REPORT_SUFFIX)) continue;
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
    ...new Set([join(dataDir, REPORTS_DIR), join(dirname(dirname(datasetPath)), REPORTS_DIR)]),
  ];
  for (const directory of directories) {
    const single = join(directory, cleanReportName(name));
    const text = await readIfExists(single);
    if (text !== undefined) {
      return checkedRows(readSummary(text, single), datasetPath, datasetRows);
    }
    const shards = await summedShardReports(directory, name);
    if (shards) return checkedRows(shards, datasetPath, datasetRows);
  }
  throw new UserError(
    `no clean report for dataset ${datasetPath} (looked for ${cleanReportName(name)} and ` +
      `${cleanReportName(`${name}_shard-K-of-N`)} in ${directories.join(" and ")}); ` +
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

/**
 * The shard reports of `name` in `directory` added up into one summary: all K of one N, or a
 * UserError saying which are missing. Undefined when there are none.
 */
async function summedShardReports(
  directory: string,
  name: string,
): Promise<CleanReportSummary | undefined> {
  const sets = await readShardReportSets(directory, name);
  if (sets.length === 0) return undefined;
  if (sets.length > 1) {
    throw new UserError(
      `${directory} holds shard reports of ${name} for ${
        sets.map((set) => set.count).join(" and ")
      } ` +
        `shards: remove the reports of the older run, or re-run every shard`,
    );
  }
  const [{ count, shards, missing }] = sets;
  if (missing.length) {
    throw new UserError(
      `dataset ${name} has ${shards.length} of ${count} shard reports in ${directory} (missing shard ` +
        `${missing.slice(0, 20).join(", ")}${missing.length > 20 ? ", …" : ""}): run the missing ` +
        `clean-data --shard K/${count} first`,
    );
  }
  const sum = sumCleanCounts(shards.map((shard) => shard.report));
  return {
    path: join(directory, cleanReportName(`${name}_shard-*-of-${count}`)),
    inputRows: sum.input_rows,
    cleanRows: sum.clean_rows,
    rejectedRows: sum.rejected_rows,
    reasons: reasonEntries(sum.reasons),
  };
}
