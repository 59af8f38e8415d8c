/**
 * What the header of every page shows: the KPIs and how fresh each input is, with
 * warnings when one stage's output predates what it was built from.
 */
import { join, resolve } from "node:path";
import {
  CATEGORIES_FILE,
  CATEGORY_MAP_FILE,
  REGION_MAP_FILE,
  REGIONS_FILE,
} from "../../src/lookups/lookup_files.ts";
import {
  type CleanReport,
  isCleanReport,
  latestCleanReport,
  type UnreadableReport,
} from "./clean_report.ts";
import { AGGREGATION_TABLES } from "../../src/aggregations/registry.ts";
import { listDatasetFiles } from "../../src/io/parquet_dataset.ts";
import type { RerunSnapshot } from "../shared/rerun_status.ts";
import { readDataTable } from "./parquet_table.ts";
import { rejectedIndex } from "./rejected_index.ts";
import { type AggregationFile, listAggregations, type Workspace } from "./workspace.ts";

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
  report?: CleanReport;
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

async function reviewQueueCount(report: CleanReport): Promise<ReviewQueueCount | undefined> {
  let index;
  try {
    index = await rejectedIndex(report.rejectedCsvPath, report.columns);
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

export async function loadOverview(workspace: Workspace): Promise<Overview> {
  const nowMs = Date.now();
  const [aggregations, latest] = await Promise.all([
    listAggregations(workspace),
    latestCleanReport(workspace),
  ]);
  const report = isCleanReport(latest) ? latest : undefined;
  const kpis = await salesKpis(aggregations);
  const salesOrders = kpis.orders;
  if (report) {
    kpis.inputRows = report.inputRows;
    kpis.rejectedRows = report.rejectedRows;
    kpis.rejectionRate = report.inputRows > 0 ? report.rejectedRows / report.inputRows : 0;
    kpis.orders ??= report.cleanRows;
  }

  const lookupFiles = [CATEGORIES_FILE, REGIONS_FILE, REGION_MAP_FILE];
  const lookupTimes = await Promise.all(
    lookupFiles.map((name) => modifiedMs(join(workspace.lookupsDir, name))),
  );
  // Optional, so not listed in the freshness table; a change to it still needs a re-run.
  const categoryMapTime = await modifiedMs(join(workspace.lookupsDir, CATEGORY_MAP_FILE));
  const reviewQueue = report ? await withinMs(reviewQueueCount(report), BADGE_WAIT_MS) : undefined;
  // The files the report lists (a directory input stands for them; older reports list none).
  const inputPaths = report && report.inputs.length > 0
    ? report.inputs.map((input) => resolve(input))
    : report?.input
    ? [resolve(report.input)]
    : [];
  const [inputTimes, cleanTime, rejectedTime, datasetFiles] = await Promise.all([
    Promise.all(inputPaths.map(modifiedMs)),
    report ? modifiedMs(report.cleanParquetPath) : undefined,
    report ? modifiedMs(report.rejectedCsvPath) : undefined,
    report ? datasetFileCount(report.cleanParquetPath) : undefined,
  ]);
  const inputTime = inputTimes.includes(undefined)
    ? undefined
    : inputTimes.length > 0
    ? Math.max(...inputTimes as number[])
    : undefined;
  // Only the tables build-aggregations writes say when it last ran: a parquet a person copied into
  // the directory keeps its own time (old or new) and is no sign of a stale or fresh build.
  const built = aggregations.filter((file) => BUILT_TABLES.has(file.name));
  const others = aggregations.length - built.length;
  const newestAggregation = built.length > 0
    ? Math.max(...built.map((file) => file.modifiedMs))
    : undefined;
  const oldestAggregation = built.length > 0
    ? Math.min(...built.map((file) => file.modifiedMs))
    : undefined;

  const freshness: FreshnessItem[] = [];
  if (report) {
    freshness.push({
      label: inputPaths.length > 1 ? "Input CSVs" : "Input CSV",
      path: report.input,
      modifiedMs: inputTime,
      detail: inputPaths.length > 1 ? `${inputPaths.length} files` : undefined,
    });
  }
  lookupFiles.forEach((name, index) => {
    freshness.push({
      label: `Lookup ${name}`,
      path: join(workspace.lookupsDir, name),
      modifiedMs: lookupTimes[index],
    });
  });
  if (report) {
    freshness.push(
      {
        label: "Clean data",
        path: report.cleanParquetPath,
        modifiedMs: cleanTime,
        // A dataset directory has no one file to download: it is read in place (DuckDB, Spark,
        // build-aggregations), so the row says so instead of linking.
        detail: `${report.cleanRows.toLocaleString("en-US")} rows` +
          (datasetFiles === undefined
            ? ""
            : `, a dataset of ${datasetFiles} parquet file${
              datasetFiles === 1 ? "" : "s"
            } (read it in place; no single download)`),
        href: datasetFiles === undefined ? `/files/clean/${report.stem}_clean.parquet` : undefined,
      },
      {
        label: "Rejected rows",
        path: report.rejectedCsvPath,
        modifiedMs: rejectedTime,
        detail: rejectedTime === undefined
          ? "not saved"
          : `${report.rejectedRows.toLocaleString("en-US")} rows`,
        href: rejectedTime === undefined
          ? undefined
          : `/files/rejected/${report.stem}_rejected.csv`,
      },
      {
        label: "Clean report",
        path: report.path,
        modifiedMs: report.modifiedMs,
        detail: report.asOf ? `as of ${report.asOf}` : undefined,
        href: `/files/reports/${report.stem}_clean_report.json`,
      },
    );
  }
  freshness.push({
    label: "Aggregations",
    path: join(workspace.dataDir, "aggregations"),
    modifiedMs: newestAggregation,
    detail: `${built.length} built table${built.length === 1 ? "" : "s"}` +
      (others > 0 ? `, ${others} other file${others === 1 ? "" : "s"}` : ""),
  });

  const warnings: string[] = [];
  if (cleanTime !== undefined && oldestAggregation !== undefined && oldestAggregation < cleanTime) {
    warnings.push(
      "Some aggregations are older than the clean data: run build-aggregations (or re-run from the Review queue).",
    );
  }
  // orders in daily_sales are the clean rows they were built from: a mismatch means the tables
  // describe another clean run than the report (a second input, or a stage that failed).
  if (
    report && kpis.orders !== undefined && salesOrders !== undefined &&
    salesOrders !== report.cleanRows
  ) {
    warnings.push(
      `The aggregations count ${salesOrders.toLocaleString("en-US")} orders but the latest clean ` +
        `run (${report.stem}) kept ${report.cleanRows.toLocaleString("en-US")} rows: they do not ` +
        "match; run build-aggregations on that run's parquet.",
    );
  }
  const newestLookup = Math.max(...lookupTimes.map((time) => time ?? 0), categoryMapTime ?? 0);
  if (report && newestLookup > report.modifiedMs) {
    warnings.push("The lookups changed after the last clean: re-run to apply them.");
  }
  if (report && inputTime !== undefined && inputTime > report.modifiedMs) {
    warnings.push("The input CSV changed after it was cleaned.");
  }

  return {
    kpis,
    report,
    reportProblem: latest && !isCleanReport(latest) ? latest : undefined,
    aggregations,
    freshness,
    warnings,
    nowMs,
    reviewQueue,
    rerun: workspace.rerunStatus?.(),
  };
}
