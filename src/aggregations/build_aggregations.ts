/**
 * `build-aggregations`: the clean parquet → one parquet per metric table (DESIGN §5, §10).
 *
 * The clean parquet is read once, row group by row group, only the columns the tables need, on
 * every core (scan.ts); the totals are then written as small parquet files, each atomically, into
 * `<data-dir>/aggregations`. Nothing is written until every table is computed, so a failed run
 * leaves the previous tables as they were.
 */
import { join } from "node:path";
import { UserError } from "../cli/errors.ts";
import { cutList } from "../cli/short_text.ts";
import { defaultWorkers } from "../cli/options.ts";
import { Progress } from "../cli/progress.ts";
import { peakRssBytes } from "../cli/summary.ts";
import { CLEAN_COLUMNS } from "../cleaning/clean_schema.ts";
import { openParquet, type ParquetFile } from "../io/parquet_read.ts";
import { writeParquetTable } from "../io/parquet_write.ts";
import { loadCleanReport } from "./clean_report.ts";
import { AGGREGATION_TABLES } from "./registry.ts";
import { scanForTables } from "./scan.ts";
import type { AggregationTable } from "./table.ts";

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

export interface WrittenAggregationTable {
  name: string;
  path: string;
  rows: number;
  bytes: number;
}

export interface AggregationsResult {
  /** The clean parquet read. */
  input: string;
  /** The clean report read (for `rejection_summary`). */
  report: string;
  outDir: string;
  /** Clean rows read. */
  rows: number;
  tables: WrittenAggregationTable[];
  durationSeconds: number;
  peakRssBytes: number;
}

/** The only parquet file in `<dataDir>/clean`; none or several is a UserError listing what is there. */
export async function findCleanParquet(dataDir: string): Promise<string> {
  const directory = join(dataDir, "clean");
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(directory)) {
      // Hidden names include the temporary files of a clean-data run in progress.
      if (!entry.name.endsWith(".parquet") || entry.name.startsWith(".")) continue;
      const isFile = entry.isFile ||
        (entry.isSymlink &&
          (await Deno.stat(join(directory, entry.name)).catch(() => null))?.isFile);
      if (isFile) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new UserError(`cannot list ${directory}: ${(error as Error).message}`, {
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
export function columnsFor(tables: readonly AggregationTable[]): string[] {
  const wanted = new Set(tables.flatMap((table) => table.columns));
  return CLEAN_COLUMNS.map((column) => column.name).filter((name) => wanted.has(name));
}

/** Checks the file has each needed column, with a type the tables can read. */
function checkCleanColumns(file: ParquetFile, columns: readonly string[]): void {
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

export async function buildAggregations(
  options: BuildAggregationsOptions,
): Promise<AggregationsResult> {
  const started = performance.now();
  const input = options.cleaned ?? await findCleanParquet(options.dataDir);
  const outDir = options.outDir ?? join(options.dataDir, "aggregations");
  const tables = AGGREGATION_TABLES;
  const columns = columnsFor(tables);

  using file = await openParquet(input);
  checkCleanColumns(file, columns);
  const report = await loadCleanReport(input, options.dataDir, file.rowCount);

  const progress = new Progress({
    label: "build-aggregations",
    totalRows: file.rowCount,
    quiet: options.quiet,
  });
  const accumulators = await scanForTables(file, columns, {
    tables,
    workers: options.workers ?? defaultWorkers(),
    onRows: (rows) => {
      progress.update({ rows });
      options.onProgress?.({ rows, totalRows: file.rowCount });
    },
  });
  const results = accumulators.map((accumulator) => accumulator.result({ report }));
  progress.finish();

  const written: WrittenAggregationTable[] = [];
  for (const [index, table] of tables.entries()) {
    const path = join(outDir, `${table.name}.parquet`);
    const { rows, bytes } = await writeParquetTable(path, results[index]);
    written.push({ name: table.name, path, rows, bytes });
  }
  return {
    input,
    report: report.path,
    outDir,
    rows: file.rowCount,
    tables: written,
    durationSeconds: (performance.now() - started) / 1000,
    peakRssBytes: peakRssBytes(),
  };
}
