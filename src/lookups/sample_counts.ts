/**
 * One pass over a sample that counts the raw values of a few columns, the evidence every lookup
 * builder works from. A sample is one CSV or several read as one (a directory of exports, every
 * `*.csv` and `*.csv.gz` in name order, or several files), as clean-data reads its inputs.
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
import { checkSameHeader, resolveInputFiles } from "../io/input_files.ts";
import { ValueCounter } from "./_value_counter.ts";

/** The sample columns the lookups come from. */
export type SampleColumn = "category" | "region";

/** What a sample holds, per counted column. */
export interface SampleCounts {
  /** The sample as given: its paths (files or directories) joined with ", ". */
  path: string;
  /** The sample's paths as given (files or directories), for a clean-data run over the same. */
  inputs: string[];
  /** Every file read, in order, with its well-formed rows. */
  files: { file: string; rows: number }[];
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
 * Where SAMPLE is: the path as given when it exists (a file or a directory of exports), else (for
 * a relative path) the same name under `<dataDir>/input/` or `<dataDir>/`, so
 * `update-lookups dirty_1m.csv` finds the generator's output. A sample found nowhere is a
 * {@linkcode UserError} listing the places tried.
 */
export async function resolveSamplePath(sample: string, dataDir = "data"): Promise<string> {
  const candidates = isAbsolute(sample)
    ? [sample]
    : [sample, join(dataDir, "input", sample), join(dataDir, sample)];
  for (const candidate of candidates) {
    try {
      const info = await Deno.stat(candidate);
      if (info.isFile || info.isDirectory) return candidate;
    } catch { /* try the next place */ }
  }
  throw new UserError(
    `sample not found: ${sample} (looked in ${candidates.join(", ")}). Pass a CSV of sales ` +
      "rows (.csv or .csv.gz) or a directory of them, or create one with " +
      "`deno task generate-data --rows 1m`.",
  );
}

/** {@linkcode resolveSamplePath} for each of several samples, in order. */
export async function resolveSamplePaths(
  samples: readonly string[],
  dataDir = "data",
): Promise<string[]> {
  if (samples.length === 0) {
    throw new UserError("no sample given: name a sales CSV or a directory of them");
  }
  const paths: string[] = [];
  for (const sample of samples) paths.push(await resolveSamplePath(sample, dataDir));
  return paths;
}

/**
 * Reads the sample once, file after file, and counts the raw values of `columns` in its
 * well-formed records. Every file must have the first file's header (as clean-data requires), so
 * one column mapping reads them all.
 */
export async function countSampleValues(
  sample: string | readonly string[],
  columns: readonly SampleColumn[],
  options: CountSampleOptions = {},
): Promise<SampleCounts> {
  const started = performance.now();
  const inputs = typeof sample === "string" ? [sample] : [...sample];
  const files = await resolveInputFiles(inputs);
  const totalBytes = await totalSize(files.map((file) => file.path));
  const counters = columns.map(() => new ValueCounter());
  const progress = new Progress({
    label: options.label ?? "counting sample",
    totalBytes,
    quiet: options.quiet,
  });
  let firstHeader: string[] | undefined;
  let indexes: number[] = [];
  let rows = 0;
  let malformedRows = 0;
  let bytesBefore = 0;
  const fileRows: SampleCounts["files"] = [];
  for (const file of files) {
    const csv = await openCsv(file.path);
    try {
      if (firstHeader === undefined) {
        const { positions } = resolveColumns(csv.header, options.columns ?? {}, {
          file: file.path,
          need: columns,
        });
        indexes = columns.map((column) => positions[column]);
        firstHeader = csv.header;
      } else {
        checkSameHeader(file.path, csv.header, firstHeader);
      }
    } catch (error) {
      await csv.cancel();
      throw error;
    }
    let fileRecords = 0;
    let fileMalformed = 0;
    for await (const batch of csv.batches) {
      for (let record = 0; record < batch.count; record++) {
        if (batch.status[record] !== RECORD_OK) {
          fileMalformed++;
          continue;
        }
        for (let column = 0; column < columns.length; column++) {
          counters[column].add(batch, record, indexes[column]);
        }
      }
      fileRecords += batch.count;
      progress.update({ rows: rows + fileRecords, bytes: bytesBefore + csv.bytesRead() });
    }
    bytesBefore += csv.bytesRead();
    rows += fileRecords;
    malformedRows += fileMalformed;
    fileRows.push({ file: file.path, rows: fileRecords - fileMalformed });
  }
  progress.finish();
  const values: SampleCounts["values"] = {};
  columns.forEach((column, index) => values[column] = counters[index].counts());
  return {
    path: inputs.join(", "),
    inputs,
    files: fileRows,
    rows: rows - malformedRows,
    malformedRows,
    values,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The sample's counts: as given when already counted, else read now. */
export function countedSample(
  sample: string | readonly string[] | SampleCounts,
  columns: readonly SampleColumn[],
  options: CountSampleOptions,
): Promise<SampleCounts> {
  if (typeof sample !== "string" && "malformedRows" in sample) return Promise.resolve(sample);
  return countSampleValues(sample, columns, options);
}

/** The files' sizes on disk in all, when every one is known (progress's total). */
async function totalSize(paths: readonly string[]): Promise<number | undefined> {
  let total = 0;
  for (const path of paths) {
    try {
      total += (await Deno.stat(path)).size;
    } catch {
      return undefined;
    }
  }
  return total;
}

/** The counts of one column, or a bug report if the caller did not count it. */
export function columnCounts(sample: SampleCounts, column: SampleColumn): Map<string, number> {
  const counts = sample.values[column];
  if (counts === undefined) throw new Error(`the sample's ${column} column was not counted`);
  return counts;
}
