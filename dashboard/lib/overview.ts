/**
 * What the header of every page shows: the KPIs and how fresh each input is, with
 * warnings when one stage's output predates what it was built from.
 */
import { dirname, join, resolve } from "node:path";
import {
  CATEGORIES_FILE,
  CATEGORY_MAP_FILE,
  REGION_MAP_FILE,
  REGIONS_FILE,
} from "../../src/lookups/lookup_files.ts";
import {
  isCleanReport,
  latestCleanReport,
  type LatestReport,
  shardProgressText,
  type UnreadableReport,
} from "./clean_report.ts";
import { AGGREGATION_TABLES } from "../../src/aggregations/registry.ts";
import { listDatasetFiles } from "../../src/io/parquet_dataset.ts";
import type { RerunSnapshot } from "../shared/rerun_status.ts";
import { readDataTable } from "./parquet_table.ts";
import { rejectedIndex } from "./rejected_index.ts";
import {
  type AggregationFile,
  downloadHref,
  listAggregations,
  type Workspace,
} from "./workspace.ts";

export interface Kpis {
  revenue?: number;
  orders?: number;
  units?: number;
  averageOrderValue?: number;
  /** rejected / input rows of the latest clean run. */
  rejectionRate?: number;
  inputRows?: number;
  rejectedRows?: number;
}

/** One input or output and when it was last written. */
export interface FreshnessItem {
  label: string;
  /** Path as shown to people. */
  path?: string;
  /** Undefined when the file does not exist. */
  modifiedMs?: number;
  /** Extra words, like "8 tables". */
  detail?: string;
  /** A download link inside the data directory. */
  href?: string;
}

export interface Overview {
  kpis: Kpis;
  report?: LatestReport;
  /** Set when the newest report cannot be read. */
  reportProblem?: UnreadableReport;
  aggregations: AggregationFile[];
  freshness: FreshnessItem[];
  warnings: string[];
  nowMs: number;
  /** What the review queue lists (the tab's badge), when the rejected rows can be read. */
  reviewQueue?: ReviewQueueCount;
  /** The re-run in progress or last finished, when the server runs them. */
  rerun?: RerunSnapshot;
}

/**
 * The review queue's size as a person can act on it: the distinct non-blank raw region and
 * category values rejected as unknown, and their rows. Blank values are rejected too but are not
 * counted: no lookup can map them.
 */
export interface ReviewQueueCount {
  values: number;
  rows: number;
  /** Rows rejected for a blank region or category (not counted above). */
  blankRows: number;
}

/**
 * How long a page waits for the review count: indexing a large rejected file the first time takes
 * seconds, and no page should wait for a badge. The indexing goes on; the next page has the count.
 */
const BADGE_WAIT_MS = 150;

/** The promise's value if it settles within `ms`, else undefined (the work goes on). */
async function withinMs<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: number | undefined;
  const timeout = new Promise<undefined>((resolve) => timer = setTimeout(resolve, ms));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function reviewQueueCount(report: LatestReport): Promise<ReviewQueueCount | undefined> {
  let index;
  try {
    index = await rejectedIndex(report.rejectedCsvPaths, report.columns);
  } catch {
    return undefined; // not saved or unreadable: the pages say so
  }
  const count: ReviewQueueCount = { values: 0, rows: 0, blankRows: 0 };
  for (const value of [...index.reviewRegions, ...index.reviewCategories]) {
    if (value.key === "") count.blankRows += value.rows;
    else {
      count.values++;
      count.rows += value.rows;
    }
  }
  return count;
}

/** The tables build-aggregations writes (their times are its run's time). */
const BUILT_TABLES = new Set(AGGREGATION_TABLES.map((table) => table.name));

/** When `path` was last written: for a dataset directory, its newest parquet file. */
async function modifiedMs(path: string): Promise<number | undefined> {
  try {
    const info = await Deno.stat(path);
    if (!info.isDirectory) return info.mtime?.getTime();
    const times = await Promise.all(
      (await listDatasetFiles(path)).map(async (file) => (await Deno.stat(file)).mtime?.getTime()),
    );
    return times.length > 0 ? Math.max(...times.map((time) => time ?? 0)) : undefined;
  } catch {
    return undefined;
  }
}

/** When the newest of `paths` was last written; undefined when one is missing. */
async function newestModifiedMs(paths: readonly string[]): Promise<number | undefined> {
  const times = await Promise.all(paths.map(modifiedMs));
  return times.includes(undefined) ? undefined : Math.max(...times as number[]);
}

/** The parquet files of a dataset directory, or undefined for a single file (or none). */
async function datasetFileCount(path: string): Promise<number | undefined> {
  try {
    return (await Deno.stat(path)).isDirectory ? (await listDatasetFiles(path)).length : undefined;
  } catch {
    return undefined;
  }
}

/** Sums daily_sales (money in integer cents, as build-aggregations does) into the KPIs. */
async function salesKpis(aggregations: AggregationFile[]): Promise<Kpis> {
  const daily = aggregations.find((file) => file.name === "daily_sales");
  if (!daily) return {};
  let table;
  try {
    table = await readDataTable(daily.path);
  } catch {
    return {};
  }
  const column = (name: string) => table.columns.find((candidate) => candidate.name === name);
  const sum = (name: string, scale: number) => {
    const values = column(name)?.values as ArrayLike<number | null> | undefined;
    if (!values) return undefined;
    let total = 0;
    for (let index = 0; index < values.length; index++) {
      total += Math.round((values[index] ?? 0) * scale);
    }
    return total / scale;
  };
  const revenue = sum("revenue", 100);
  const orders = sum("orders", 1);
  const units = sum("units", 1);
  const averageOrderValue = revenue !== undefined && orders
    ? Math.round((revenue * 100) / orders) / 100
    : undefined;
  return { revenue, orders, units, averageOrderValue };
}

/** When each input and output of the latest run was last written (undefined: missing). */
interface FileTimes {
  /** One per {@linkcode LOOKUP_FILES} entry. */
  lookups: (number | undefined)[];
  /** Optional, so not listed in the freshness table; a change to it still needs a re-run. */
  categoryMap?: number;
  /** The newest input file's time. */
  input?: number;
  clean?: number;
  rejected?: number;
  /** Parquet files of the clean output when it is a dataset directory. */
  datasetFiles?: number;
}

/** The lookup files the freshness table lists. */
const LOOKUP_FILES = [CATEGORIES_FILE, REGIONS_FILE, REGION_MAP_FILE];

/** What the tables build-aggregations wrote say about its last run. */
interface BuiltTables {
  count: number;
  /** Other parquet files in the directory (copied there by a person). */
  others: number;
  newestMs?: number;
  oldestMs?: number;
}

export async function loadOverview(workspace: Workspace): Promise<Overview> {
  const nowMs = Date.now();
  const [aggregations, latest] = await Promise.all([
    listAggregations(workspace),
    latestCleanReport(workspace),
  ]);
  const report = isCleanReport(latest) ? latest : undefined;
  const salesTotals = await salesKpis(aggregations);
  const times = await fileTimes(workspace, report);
  const reviewQueue = report ? await withinMs(reviewQueueCount(report), BADGE_WAIT_MS) : undefined;
  const built = builtTables(aggregations);
  return {
    kpis: report ? withRunKpis(salesTotals, report) : salesTotals,
    report,
    reportProblem: latest && !isCleanReport(latest) ? latest : undefined,
    aggregations,
    freshness: [
      ...(report ? [inputFreshness(report, times)] : []),
      ...lookupFreshness(workspace, times),
      ...(report ? await runFreshness(workspace, report, times) : []),
      aggregationFreshness(workspace, built),
    ],
    warnings: staleWarnings(report, times, built, salesTotals.orders),
    nowMs,
    reviewQueue,
    rerun: workspace.rerunStatus?.(),
  };
}

/** The sales KPIs with the latest run's row counts; orders fall back to its clean rows. */
function withRunKpis(sales: Kpis, report: LatestReport): Kpis {
  return {
    ...sales,
    inputRows: report.inputRows,
    rejectedRows: report.rejectedRows,
    rejectionRate: report.inputRows > 0 ? report.rejectedRows / report.inputRows : 0,
    orders: sales.orders ?? report.cleanRows,
  };
}

async function fileTimes(workspace: Workspace, report?: LatestReport): Promise<FileTimes> {
  const lookups = await Promise.all(
    LOOKUP_FILES.map((name) => modifiedMs(join(workspace.lookupsDir, name))),
  );
  const categoryMap = await modifiedMs(join(workspace.lookupsDir, CATEGORY_MAP_FILE));
  if (!report) return { lookups, categoryMap };
  const [inputTimes, clean, rejected, datasetFiles] = await Promise.all([
    Promise.all(inputPaths(report).map(modifiedMs)),
    modifiedMs(report.cleanParquetPath),
    newestModifiedMs(report.rejectedCsvPaths),
    datasetFileCount(report.cleanParquetPath),
  ]);
  // Several inputs: the newest one says when the input last changed (unknown if one is gone).
  const input = inputTimes.length === 0 || inputTimes.includes(undefined)
    ? undefined
    : Math.max(...inputTimes as number[]);
  return { lookups, categoryMap, input, clean, rejected, datasetFiles };
}

/** The files the report lists (a directory input stands for them; older reports list none). */
function inputPaths(report: LatestReport): string[] {
  if (report.inputs.length > 0) return report.inputs.map((input) => resolve(input));
  return report.input ? [resolve(report.input)] : [];
}

function inputFreshness(report: LatestReport, times: FileTimes): FreshnessItem {
  const files = inputPaths(report).length;
  return {
    label: files > 1 ? "Input CSVs" : "Input CSV",
    path: report.input,
    modifiedMs: times.input,
    detail: files > 1 ? `${files} files` : undefined,
  };
}

/**
 * Only the tables build-aggregations writes say when it last ran: a parquet a person copied into
 * the directory keeps its own time (old or new) and is no sign of a stale or fresh build.
 */
function builtTables(aggregations: AggregationFile[]): BuiltTables {
  const times = aggregations.filter((file) => BUILT_TABLES.has(file.name))
    .map((file) => file.modifiedMs);
  return {
    count: times.length,
    others: aggregations.length - times.length,
    newestMs: times.length > 0 ? Math.max(...times) : undefined,
    oldestMs: times.length > 0 ? Math.min(...times) : undefined,
  };
}

function lookupFreshness(workspace: Workspace, times: FileTimes): FreshnessItem[] {
  return LOOKUP_FILES.map((name, index) => ({
    label: `Lookup ${name}`,
    path: join(workspace.lookupsDir, name),
    modifiedMs: times.lookups[index],
  }));
}

/**
 * The latest run's outputs, linked for download where the report's paths lie in the data
 * directory's download folders (they are not the default names after `clean-data --output`).
 */
async function runFreshness(
  workspace: Workspace,
  report: LatestReport,
  times: FileTimes,
): Promise<FreshnessItem[]> {
  const sharded = report.shards;
  const [cleanHref, rejectedHref, reportHref] = await Promise.all(
    [report.cleanParquetPath, report.rejectedCsvPath, report.path].map((path) =>
      downloadHref(workspace, path)
    ),
  );
  return [
    {
      label: "Clean data",
      path: report.cleanParquetPath,
      modifiedMs: times.clean,
      // A dataset directory has no one file to download: it is read in place (DuckDB, Spark,
      // build-aggregations), so the row says so instead of linking.
      detail: `${report.cleanRows.toLocaleString("en-US")} rows` +
        (times.datasetFiles === undefined
          ? ""
          : `, a dataset of ${times.datasetFiles} parquet file${
            times.datasetFiles === 1 ? "" : "s"
          } (read it in place; no single download)`),
      href: cleanHref,
    },
    {
      label: "Rejected rows",
      path: sharded ? dirname(report.rejectedCsvPath) : report.rejectedCsvPath,
      modifiedMs: times.rejected,
      // A sharded run's rows are one file per shard: the download is all of them as one CSV.
      detail: times.rejected === undefined
        ? "not saved"
        : `${report.rejectedRows.toLocaleString("en-US")} rows` +
          (sharded ? ` in ${report.rejectedCsvPaths.length} files, one per shard` : ""),
      href: sharded ? REJECTED_DOWNLOAD_HREF : rejectedHref,
    },
    {
      label: sharded ? "Clean reports" : "Clean report",
      path: report.path,
      modifiedMs: report.modifiedMs,
      detail: [
        sharded && `${shardProgressText(sharded)}, summed`,
        report.asOf && `as of ${report.asOf}`,
      ].filter(Boolean).join(", ") || undefined,
      href: reportHref,
    },
  ];
}

/** Every rejected row of the run as one CSV (dashboard/routes/rejected_download.ts). */
const REJECTED_DOWNLOAD_HREF = "/anomalies/rejected.csv";

function aggregationFreshness(workspace: Workspace, built: BuiltTables): FreshnessItem {
  const { count, others } = built;
  return {
    label: "Aggregations",
    path: join(workspace.dataDir, "aggregations"),
    modifiedMs: built.newestMs,
    detail: `${count} built table${count === 1 ? "" : "s"}` +
      (others > 0 ? `, ${others} other file${others === 1 ? "" : "s"}` : ""),
  };
}

/** What is older than what it was built from. `salesOrders`: the orders daily_sales counts. */
function staleWarnings(
  report: LatestReport | undefined,
  times: FileTimes,
  built: BuiltTables,
  salesOrders: number | undefined,
): string[] {
  const warnings: string[] = [];
  if (times.clean !== undefined && built.oldestMs !== undefined && built.oldestMs < times.clean) {
    warnings.push(
      "Some aggregations are older than the clean data: run build-aggregations (or re-run from the Review queue).",
    );
  }
  if (!report) return warnings;
  // orders in daily_sales are the clean rows they were built from: a mismatch means the tables
  // describe another clean run than the report (a second input, or a stage that failed).
  // Of a sharded run still under way the counts are those of the shards done so far: the page
  // says so (shardProgressText), and the tables cannot match them yet.
  const complete = !report.shards || report.shards.missing.length === 0;
  if (complete && salesOrders !== undefined && salesOrders !== report.cleanRows) {
    warnings.push(
      `The aggregations count ${salesOrders.toLocaleString("en-US")} orders but the latest clean ` +
        `run (${report.stem}) kept ${report.cleanRows.toLocaleString("en-US")} rows: they do not ` +
        "match; run build-aggregations on that run's parquet.",
    );
  }
  const newestLookup = Math.max(...times.lookups.map((time) => time ?? 0), times.categoryMap ?? 0);
  if (newestLookup > report.modifiedMs) {
    warnings.push("The lookups changed after the last clean: re-run to apply them.");
  }
  if (times.input !== undefined && times.input > report.modifiedMs) {
    warnings.push("The input CSV changed after it was cleaned.");
  }
  return warnings;
}
