/**
 * One pass over a sample CSV that counts the raw values of a few columns, the evidence every
 * lookup builder works from.
 *
 * Distinct raw values are few (tens to thousands) while rows are many, so rows are counted by their
 * field bytes and a string is made once per distinct value ({@linkcode ValueCounter}). Malformed
 * records are skipped, as the cleaner rejects them before any lookup is consulted.
 */
import { isAbsolute, join } from "node:path";
import { UserError } from "../io/errors.ts";
import { Progress } from "../cli/progress.ts";
import { type ColumnMapping, resolveColumns } from "../io/column_roles.ts";
import { RECORD_OK } from "../io/csv_parse.ts";
import { openCsv } from "../io/csv_stream.ts";
import { ValueCounter } from "./_value_counter.ts";

/** The sample columns the lookups come from. */
export type SampleColumn = "category" | "region";

/** What a sample holds, per counted column. */
export interface SampleCounts {
  /** The sample as read. */
  path: string;
  /** Well-formed data records: the denominator of every share. */
  rows: number;
  /** Records skipped because they are malformed (wrong field count, bad quoting, bad UTF-8). */
  malformedRows: number;
  /** Column → raw value exactly as read → rows holding it. */
  values: Partial<Record<SampleColumn, Map<string, number>>>;
  /** Seconds spent reading. */
  seconds: number;
}

export interface CountSampleOptions {
  /** No progress line. */
  quiet?: boolean;
  /** The progress line's label, like `build-category-lookup`. */
  label?: string;
  /** Which header column is which (`--column`, `dpd.json`); default: names match roles. */
  columns?: ColumnMapping;
}

/**
 * Where SAMPLE is: the path as given when it exists, else (for a relative path) the same name
 * under `<dataDir>/input/` or `<dataDir>/`, so `update-lookups dirty_1m.csv` finds the generator's
 * output. A sample found nowhere is a {@linkcode UserError} listing the places tried.
 */
export async function resolveSamplePath(sample: string, dataDir = "data"): Promise<string> {
  const candidates = isAbsolute(sample)
    ? [sample]
    : [sample, join(dataDir, "input", sample), join(dataDir, sample)];
  for (const candidate of candidates) {
    try {
      const info = await Deno.stat(candidate);
      if (info.isFile) return candidate;
    } catch { /* try the next place */ }
  }
  throw new UserError(
    `sample file not found: ${sample} (looked in ${candidates.join(", ")}). Pass a CSV of sales ` +
      "rows (.csv or .csv.gz), or create one with `deno task generate-data --rows 1m`.",
  );
}

/** Reads `path` once and counts the raw values of `columns` in its well-formed records. */
export async function countSampleValues(
  path: string,
  columns: readonly SampleColumn[],
  options: CountSampleOptions = {},
): Promise<SampleCounts> {
  const started = performance.now();
  const csv = await openCsv(path);
  let indexes: number[];
  try {
    const { positions } = resolveColumns(csv.header, options.columns ?? {}, {
      file: path,
      need: columns,
    });
    indexes = columns.map((column) => positions[column]);
  } catch (error) {
    await csv.cancel();
    throw error;
  }
  const counters = columns.map(() => new ValueCounter());
  const progress = new Progress({
    label: options.label ?? "counting sample",
    totalBytes: csv.totalBytes,
    quiet: options.quiet,
  });
  let rows = 0;
  let malformedRows = 0;
  for await (const batch of csv.batches) {
    for (let record = 0; record < batch.count; record++) {
      if (batch.status[record] !== RECORD_OK) {
        malformedRows++;
        continue;
      }
      for (let column = 0; column < columns.length; column++) {
        counters[column].add(batch, record, indexes[column]);
      }
    }
    rows += batch.count;
    progress.update({ rows, bytes: csv.bytesRead() });
  }
  progress.finish();
  const values: SampleCounts["values"] = {};
  columns.forEach((column, index) => values[column] = counters[index].counts());
  return {
    path,
    rows: rows - malformedRows,
    malformedRows,
    values,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The counts of one column, or a bug report if the caller did not count it. */
export function columnCounts(sample: SampleCounts, column: SampleColumn): Map<string, number> {
  const counts = sample.values[column];
  if (counts === undefined) throw new Error(`the sample's ${column} column was not counted`);
  return counts;
}
