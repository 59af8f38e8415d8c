/**
 * `build-aggregations`: the clean parquet → one parquet per metric table (docs/schemas.md).
 *
 * The clean parquet is read once, row group by row group, only the columns the tables need, on
 * every core (scan.ts); the totals are then written as small parquet files, each atomically, into
 * `<data-dir>/aggregations`. Nothing is written until every table is computed, so a failed run
 * leaves the previous tables as they were.
 *
 * @example Build every table from the workspace's only clean parquet
 * ```ts
 * const result = await buildAggregations({ dataDir: "data", quiet: true });
 * for (const table of result.tables) console.log(`${table.path}: ${table.rows} rows`);
 * ```
 */
import { join } from "node:path";
import { errorMessage, UserError } from "../io/errors.ts";
import { cutList } from "../io/short_text.ts";
import { defaultWorkers } from "../cli/options.ts";
import { Progress } from "../cli/progress.ts";
import { peakRssBytes } from "../cli/summary.ts";
import { CLEAN_COLUMNS } from "../cleaning/clean_schema.ts";
import {
  listDatasetFiles,
  openParquetDataset,
  type ParquetDataset,
} from "../io/parquet_dataset.ts";
import type { ParquetFile } from "../io/parquet_read.ts";
import { writeUnpublishedParquetTable } from "../io/parquet_write.ts";
import type { AtomicFile } from "../io/atomic_file.ts";
import {
  completePendingPublishes,
  footerValue,
  newRunId,
  prepareWorkspace,
  publishSet,
  RUN_ID_KEY,
  SOURCE_RUN_ID_KEY,
} from "../io/publish.ts";
import { refuseOutputsOverInputs } from "../io/same_file.ts";
import {
  type CleanReportSummary,
  loadCleanReport,
  loadDatasetReport,
  MixedCleanSetError,
} from "./clean_report.ts";
import { AGGREGATION_TABLES } from "./registry.ts";
import { scanForTables } from "./scan.ts";
import type { AggregationTable } from "./table.ts";

/** What {@linkcode buildAggregations} reads and where it writes. */
export interface BuildAggregationsOptions {
  /** The clean parquet; default: the only `.parquet` in `<dataDir>/clean`. */
  cleaned?: string;
  /** Where the tables go; default `<dataDir>/aggregations`. */
  outDir?: string;
  /** The workspace (`--data-dir`). */
  dataDir: string;
  /** No progress line on stderr. */
  quiet?: boolean;
  /** Threads reading the parquet; default one per core. */
  workers?: number;
  /** Called as row groups finish (for the dashboard's live progress). */
  onProgress?: (progress: { rows: number; totalRows: number }) => void;
}

/** One table as written. */
export interface WrittenAggregationTable {
  /** The table's name (its file name without `.parquet`). */
  name: string;
  /** The file written. */
  path: string;
  /** Rows in the table. */
  rows: number;
  /** The file's size in bytes. */
  bytes: number;
}

/** What {@linkcode buildAggregations} read and wrote. */
export interface AggregationsResult {
  /** The clean parquet read. */
  input: string;
  /** The clean report read (for `rejection_summary`). */
  report: string;
  /** The directory the tables went to. */
  outDir: string;
  /** Clean rows read. */
  rows: number;
  /** This run's id, in every table's footer. */
  runId: string;
  /** Every table written, in registry order. */
  tables: WrittenAggregationTable[];
  /** Wall-clock time of the run. */
  durationSeconds: number;
  /** The process's peak resident memory during the run. */
  peakRssBytes: number;
}

/**
 * The only clean parquet file or dataset directory in `<dataDir>/clean`; none or several is a
 * UserError listing what is there.
 */
export async function findCleanParquet(dataDir: string): Promise<string> {
  const directory = join(dataDir, "clean");
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(directory)) {
      // Hidden names include the temporary files of a clean-data run in progress.
      if (entry.name.startsWith(".")) continue;
      const stat = entry.isSymlink
        ? await Deno.stat(join(directory, entry.name)).catch(() => null)
        : entry;
      if (stat?.isFile && entry.name.endsWith(".parquet")) names.push(entry.name);
      else if (
        stat?.isDirectory && (await listDatasetFiles(join(directory, entry.name))).length > 0
      ) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new UserError(`cannot list ${directory}: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  }
  if (names.length === 1) return join(directory, names[0]);
  if (names.length === 0) {
    throw new UserError(
      `no clean parquet in ${directory}: run clean-data first, or pass --cleaned FILE`,
    );
  }
  names.sort();
  throw new UserError(
    `${names.length} clean parquet files in ${directory} (${cutList(names)}): ` +
      `choose one with --cleaned ${join(directory, names[0])}`,
  );
}

/** The clean columns the tables read, in the clean parquet's order. */
function columnsFor(tables: readonly AggregationTable[]): string[] {
  const wanted = new Set(tables.flatMap((table) => table.columns));
  return CLEAN_COLUMNS.map((column) => column.name).filter((name) => wanted.has(name));
}

/** Checks every file has each needed column, with a type the tables can read. */
function checkCleanColumns(dataset: ParquetDataset, columns: readonly string[]): void {
  for (const file of dataset.files) checkFileColumns(file, columns);
}

function checkFileColumns(file: ParquetFile, columns: readonly string[]): void {
  for (const name of columns) {
    const expected = CLEAN_COLUMNS.find((column) => column.name === name)!;
    const actual = file.column(name);
    const problem = !actual
      ? "is missing"
      : expected.type === "STRING"
      ? actual.type === "STRING" ? undefined : `has type ${actual.type}, expected STRING`
      : !["INT32", "INT64", "FLOAT", "DOUBLE"].includes(actual.type)
      ? `has type ${actual.type}, expected ${expected.type}`
      : undefined;
    const nullProblem = actual && !expected.nullable && actual.nullable
      ? "may hold nulls, which the clean data never has"
      : undefined;
    if (problem ?? nullProblem) {
      throw new UserError(
        `${file.path} is not a clean parquet: column ${name} ${problem ?? nullProblem}; ` +
          `re-create it with clean-data`,
      );
    }
  }
}

/**
 * Reads the clean parquet (file or dataset) once and publishes every table with one run id, after
 * checking that the clean report belongs to the same clean run.
 */
export async function buildAggregations(
  options: BuildAggregationsOptions,
): Promise<AggregationsResult> {
  const started = performance.now();
  await prepareWorkspace(options.dataDir);
  const input = options.cleaned ?? await findCleanParquet(options.dataDir);
  const outDir = options.outDir ?? join(options.dataDir, "aggregations");
  const tables = AGGREGATION_TABLES;
  const columns = columnsFor(tables);
  const runId = newRunId();
  const paths = tables.map((table) => join(outDir, `${table.name}.parquet`));
  await refuseOutputsOverInputs([input], paths);

  using opened = await openCleanSet(input, options.dataDir);
  const { dataset, report } = opened;
  checkCleanColumns(dataset, columns);

  const progress = new Progress({
    label: "build-aggregations",
    totalRows: dataset.rowCount,
    quiet: options.quiet,
  });
  const accumulators = await scanForTables(dataset, columns, {
    tables,
    workers: options.workers ?? defaultWorkers(),
    onRows: (rows) => {
      progress.update({ rows });
      options.onProgress?.({ rows, totalRows: dataset.rowCount });
    },
  });
  const results = accumulators.map((accumulator) => accumulator.result({ report }));
  progress.finish();

  // Every table under a temporary name first, then all published as one set.
  const footer = { [RUN_ID_KEY]: runId, [SOURCE_RUN_ID_KEY]: report.runId ?? "" };
  const written: WrittenAggregationTable[] = [];
  const files: AtomicFile[] = [];
  try {
    for (const [index, table] of tables.entries()) {
      const { file: output, rows, bytes } = await writeUnpublishedParquetTable(
        paths[index],
        results[index],
        { footer },
      );
      files.push(output);
      written.push({ name: table.name, path: paths[index], rows, bytes });
    }
    await publishSet(options.dataDir, runId, files);
  } catch (error) {
    for (const output of files.reverse()) await output.abort();
    throw error;
  }
  return {
    input,
    report: report.path,
    outDir,
    rows: dataset.rowCount,
    runId,
    tables: written,
    durationSeconds: (performance.now() - started) / 1000,
    peakRssBytes: peakRssBytes(),
  };
}

/**
 * Opens the clean parquet (or dataset) and its report, checked to be one clean-data run's. A
 * mismatch may be a writer publishing between the two reads, or a publish interrupted: wait for
 * publishes to end, complete interrupted ones, and read again before calling it a mixed set.
 */
async function openCleanSet(
  input: string,
  dataDir: string,
): Promise<{ dataset: ParquetDataset; report: CleanReportSummary } & Disposable> {
  for (let attempt = 1;; attempt++) {
    const dataset = await openParquetDataset(input);
    try {
      const report = dataset.isDirectory
        ? await loadDatasetReport(input, dataDir, dataset.rowCount)
        : await loadCleanReport(
          input,
          dataDir,
          dataset.rowCount,
          footerValue(dataset.files[0].metadata),
        );
      return { dataset, report, [Symbol.dispose]: () => dataset[Symbol.dispose]() };
    } catch (error) {
      dataset[Symbol.dispose]();
      if (!(error instanceof MixedCleanSetError) || attempt === 3) throw error;
      await completePendingPublishes(dataDir, { wait: true });
    }
  }
}
