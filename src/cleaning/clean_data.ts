/**
 * `clean-data`: CSV → clean parquet + rejected CSV + report, streaming, on every core.
 *
 * Data flows one way: the main thread reads the input in large blocks cut at line ends and hands
 * each block to a worker, which parses it and applies the rules ({@linkcode ChunkCleaner}). Blocks
 * are parsed speculatively from their first byte; a block whose predecessor ended inside a quoted
 * field is re-scanned with that tail prepended, so quoted line breaks anywhere stay correct. The
 * main thread then checks each block's order IDs against the whole file in order (rule 2), the
 * worker encodes the survivors as a parquet row group, and the main thread writes row groups and
 * rejected rows in input order. Keys that do not fit the in-memory dedup set are resolved before
 * that by a key census pass over spill files (see `dedup/dedup_plan.ts`). Outputs live under
 * temporary names until the run completes.
 *
 * Memory is bounded whatever the input: a block with no line end is handed on as it is (its open
 * tail carries into the next), and a carried record past the record limit is rejected from its
 * first bytes while the blocks after it skip its rest (`skipRecord`) instead of growing.
 *
 * @example Clean a CSV into data/clean, data/rejected and data/reports
 * ```ts
 * const { report, reportPath, notes } = await cleanData({
 *   input: "data/input/dirty_1m.csv",
 *   asOf: "2026-06-30",
 *   quiet: true,
 * });
 * console.log(`${report.clean_rows} clean, ${report.rejected_rows} rejected → ${report.output}`);
 * console.log(`report: ${reportPath}`, report.reasons.duplicate_order_id, notes);
 * ```
 *
 * This module runs a clean as named steps; the inputs' headers are read in `clean_input.ts`, the
 * outputs opened in `clean_outputs.ts`, and each file streamed through the workers in
 * `clean_run.ts` (on the shared worker pool, src/io/ordered_pool.ts).
 */
import { join } from "node:path";
import { defaultWorkers, todayIso } from "../cli/options.ts";
import { Progress } from "../cli/progress.ts";
import { peakRssBytes } from "../cli/summary.ts";
import type { AtomicFile } from "../io/atomic_file.ts";
import { newRunId, publishSet } from "../io/publish.ts";
import { DEFAULT_MAX_RECORD_BYTES } from "../io/csv_parse.ts";
import {
  type ColumnMapping,
  DEFAULT_DEDUP_KEY,
  REQUIRED_ROLES,
  resolveColumns,
} from "../io/column_roles.ts";
import { csvLine } from "../io/csv_write.ts";
import { loadLookups, type Lookups } from "../lookups/load_lookups.ts";
import type { CleanerSetup } from "./chunk_cleaner.ts";
import { CLEANER_ROLES } from "./chunk_cleaner.ts";
import { extraColumnsOf } from "./clean_schema.ts";
import { type InputFile, resolveInputFiles, runName } from "../io/input_files.ts";
import { buildCleanReport, type CleanReport, cleanReportText } from "./clean_report.ts";
export type { CleanReport } from "./clean_report.ts";
import { cleanOutputPaths, type OutputPathOptions } from "./output_names.ts";
import { cleanConfig } from "./config.ts";
import { checkInputHeader, fileSize, openCsvInput, type OpenedInput } from "./clean_input.ts";
import { abortCleanOutputs, type CleanOutputs, openCleanOutputs } from "./clean_outputs.ts";
import { cleanFile, CleanRun } from "./clean_run.ts";
import type { ClaimJudge } from "./dedup/claim_judge.ts";
import { type DedupPlan, DEFAULT_DEDUP_BUDGET_BYTES, planDedup } from "./dedup/dedup_plan.ts";
import type { CensusInput } from "./dedup/key_census.ts";
import { isGzipPath } from "../io/input_bytes.ts";
import { DedupBudgetExceeded } from "./dedup/key_set.ts";
import { REJECTION_REASONS } from "./rules/reasons.ts";

export { REJECTION_REASONS, type RejectionReason } from "./rules/reasons.ts";
export type { ShardSpec } from "./shard.ts";
export type { OutputPathOptions } from "./output_names.ts";

/** What {@linkcode cleanData} reads, where it writes, and how. */
export interface CleanDataOptions extends Omit<OutputPathOptions, "name"> {
  /**
   * The input: a CSV (`.csv` or `.csv.gz`), a directory of them (in name order), or a list of
   * either, cleaned as one run (rule 2 spans the files in order).
   */
  input: string | readonly string[];
  /** Names the outputs (`--name`); default the single input's stem or directory name. */
  name?: string;
  /** Keep rejected rows in a CSV (default true). */
  saveRejected?: boolean;
  /** Keep rows whose quantity is 0 instead of rejecting them (`--keep-zero-quantity`). */
  keepZeroQuantity?: boolean;
  /** Default `lookups`. */
  lookupsDir?: string;
  /** `YYYY-MM-DD`; default today (UTC). */
  asOf?: string;
  /** Worker threads; default one per core. */
  workers?: number;
  /**
   * Which header column plays which role, the dedup key and whether extra columns are kept
   * (`--column`, `--dedup-key`, `--drop-extra-columns`, `dpd.json`). Default: names match roles,
   * the key is `order_id`, extra columns are kept.
   */
  columns?: ColumnMapping;
  /** Run every rule and count, but write nothing (`update-lookups` uses it). */
  dryRun?: boolean;
  /** No progress on stderr. */
  quiet?: boolean;
  /** Called as rows are written (for the dashboard's live progress). */
  onProgress?: (progress: CleanProgress) => void;
  /** Bytes per block handed to a worker; the default suits 2 cores. */
  blockBytes?: number;
  /**
   * A record longer than this is a `malformed_row` whose raw text is cut, and the run goes on (an
   * unclosed quote would otherwise swallow the rest of the file into memory). Default 64 MiB, as
   * for every CSV reader here.
   */
  maxRecordBytes?: number;
  /**
   * Memory for the dedup keys (rule 2); keys beyond it go through spill files, exactly. Default
   * 160 MiB. Tests pass a tiny budget to make small inputs spill.
   */
  dedupBudgetBytes?: number;
  /** Where the dedup spill directory goes; default the OS temp directory (`TMPDIR`). */
  spillDir?: string;
}

/** How far a run is, for a progress display. */
export interface CleanProgress {
  /** Input rows cleaned so far. */
  rows: number;
  /** Input bytes read so far (compressed for `.gz`). */
  bytes: number;
  /** The input's size on disk, when known. */
  totalBytes?: number;
}

/** What {@linkcode cleanData} did. */
export interface CleanDataResult {
  /** The run's report (written to `reportPath` unless a dry run). */
  report: CleanReport;
  /** Things a person should check, like a "Discount" column read as no discount column. */
  notes: string[];
  /** Where the report was written (undefined on a dry run). */
  reportPath?: string;
}

/**
 * Default block size: ~110k rows of a typical sales export, so row groups of ~100k clean rows
 * (docs/cleaning.md: sized for streaming reads), while the blocks in flight keep RSS well under 1 GiB.
 */
const DEFAULT_BLOCK_BYTES = 12 << 20;

/**
 * Cleans the input into the clean parquet, the rejected CSV and the report, published together
 * (with `dryRun`, only counts). Bad input, paths or lookups are {@linkcode UserError}s.
 */
export async function cleanData(options: CleanDataOptions): Promise<CleanDataResult> {
  const startedAt = performance.now();
  try {
    return await cleanOnce(options, startedAt, false);
  } catch (error) {
    // The keys did not fit the in-memory set: start over with the key census, which always fits.
    if (!(error instanceof DedupBudgetExceeded)) throw error;
    return await cleanOnce(options, startedAt, true);
  }
}

/** The `--input` values as a list. */
function inputList(options: CleanDataOptions): string[] {
  return typeof options.input === "string" ? [options.input] : [...options.input];
}

/** What a run's options come to, before anything is read. */
interface RunSettings {
  asOf: string;
  /** The `--input` values as given. */
  inputs: string[];
  paths: ReturnType<typeof cleanOutputPaths>;
  dryRun: boolean;
  saveRejected: boolean;
  blockBytes: number;
  maxRecordBytes: number;
  workerCount: number;
}

function runSettings(options: CleanDataOptions): RunSettings {
  const dryRun = options.dryRun ?? false;
  return {
    asOf: options.asOf ?? todayIso(),
    inputs: inputList(options),
    paths: cleanOutputPaths({ ...options, name: runName(inputList(options), options.name) }),
    dryRun,
    saveRejected: !dryRun && (options.saveRejected ?? true),
    blockBytes: options.blockBytes ?? DEFAULT_BLOCK_BYTES,
    maxRecordBytes: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    workerCount: Math.max(1, options.workers ?? defaultWorkers()),
  };
}

/** The header's columns: which plays which role, and the extra ones kept. */
interface RunColumns {
  headerFields: string[];
  resolved: ReturnType<typeof resolveColumns>;
  extraColumns: ReturnType<typeof extraColumnsOf>;
  mapping: ColumnMapping;
  /** Where each file's data starts, for the key census, which reads them all. */
  censusInputs: CensusInput[];
}

async function cleanOnce(
  options: CleanDataOptions,
  startedAt: number,
  census: boolean,
): Promise<CleanDataResult> {
  const settings = runSettings(options);
  const files = await resolveInputFiles(settings.inputs);
  const lookups = await loadLookups(options.lookupsDir ?? "lookups");
  const first = await openCsvInput(files[0], settings.blockBytes, settings.maxRecordBytes);
  let outputs: CleanOutputs | undefined;
  try {
    const columns = await readColumns(first, files, options, settings.maxRecordBytes);
    const setup = cleanerSetup(options, settings, first, columns, lookups);
    const sizes = await Promise.all(files.map((file) => fileSize(file.path)));
    const totalBytes = sizes.every((size) => size !== undefined)
      ? sizes.reduce((sum: number, size) => sum + size!, 0)
      : undefined;
    const progressOptions = { label: "clean-data", totalBytes, quiet: options.quiet };
    let progress = new Progress(progressOptions);
    const dataDir = options.dataDir ?? "data";
    const runId = newRunId();
    outputs = await openCleanOutputs({
      paths: settings.paths,
      inputs: [
        ...files.map((file) => file.path),
        ...Object.keys(lookups.fileHashes).map((name) => join(lookups.directory, name)),
      ],
      dataDir,
      runId,
      extraColumns: columns.extraColumns,
      dryRun: settings.dryRun,
      saveRejected: settings.saveRejected,
      partitioned: options.partitionBy !== undefined,
      shard: options.shard,
    });
    const dedup = await planRunDedup(options, settings, columns, first, setup, census, totalBytes);
    setup.claimKeys = dedup.claimKeys;
    // After a census pass, rates and ETAs count from the start of the clean pass.
    if (dedup.mode === "census") progress = new Progress(progressOptions);
    // A run over one file given as a file keeps the rejected CSV of old; one over a directory or
    // several files names each row's file (docs/schemas.md).
    const namesFiles = files.length > 1 || files[0].path !== settings.inputs[0];
    writeRejectedHeader(outputs.rejectedFile, columns.headerFields, namesFiles);
    const cleaned = await cleanFiles(files, first, {
      options,
      settings,
      setup,
      judge: dedup.judge,
      outputs,
      fieldCount: columns.headerFields.length,
      namesFiles,
      sizes,
      totalBytes,
      progress,
    });
    outputs.parquet?.finish();
    await outputs.partitions?.finish();

    const report = runReport(
      options,
      settings,
      columns,
      cleaned,
      lookups,
      runId,
      outputs.rejectedFile,
      (performance.now() - startedAt) / 1000,
    );
    progress.finish(
      `clean-data: ${report.input_rows.toLocaleString("en-US")} rows in ${
        report.duration_s.toFixed(1)
      }s (${report.rows_per_s.toLocaleString("en-US")} rows/s)`,
    );
    if (settings.dryRun) return { report, notes: columns.resolved.notes };
    await outputs.reportFile!.write(
      new TextEncoder().encode(cleanReportText(report)),
    );
    await publishSet(dataDir, runId, outputs.files);
    return { report, reportPath: settings.paths.report, notes: columns.resolved.notes };
  } catch (error) {
    await first.reader.cancel();
    if (outputs) await abortCleanOutputs(outputs);
    throw error;
  }
}

/**
 * Resolves the first input's header into column roles and extra columns, and checks every other
 * input has the same header.
 */
async function readColumns(
  first: OpenedInput,
  files: readonly InputFile[],
  options: CleanDataOptions,
  maxRecordBytes: number,
): Promise<RunColumns> {
  const headerFields = first.headerFields;
  const mapping = options.columns ?? {};
  const resolved = resolveColumns(headerFields, mapping, {
    file: files[0].path,
    need: REQUIRED_ROLES,
    dedupKey: true,
  });
  const extraColumns = mapping.dropExtraColumns
    ? []
    : extraColumnsOf(headerFields, resolved.extraPositions, files[0].path);
  // Every other file is checked before any work: one run writes one schema and one rejected
  // CSV, so each must read the same way (docs/cleaning.md, "Several input files").
  const censusInputs = [censusInput(first)];
  for (const file of files.slice(1)) {
    censusInputs.push(censusInput(await checkInputHeader(file, headerFields, maxRecordBytes)));
  }
  return { headerFields, resolved, extraColumns, mapping, censusInputs };
}

/** What every worker of the run is told once. */
function cleanerSetup(
  options: CleanDataOptions,
  settings: RunSettings,
  first: OpenedInput,
  columns: RunColumns,
  lookups: Lookups,
): CleanerSetup {
  return {
    fieldCount: columns.headerFields.length,
    lineEnd: first.lineEnd,
    maxRecordBytes: settings.maxRecordBytes,
    columnPositions: CLEANER_ROLES.map((role) => columns.resolved.positions[role]),
    dedupKey: columns.resolved.dedupKey,
    extraColumns: columns.extraColumns,
    encodeParquet: !settings.dryRun,
    shard: options.shard,
    partitionByMonth: options.partitionBy === "sale_month",
    config: cleanConfig(lookups, {
      dropZeroQuantity: !(options.keepZeroQuantity ?? false),
      saveRejectedRows: settings.saveRejected,
      asOf: settings.asOf,
    }),
  };
}

/** How rule 2 runs: the in-memory key set, or the key census first (see dedup/dedup_plan.ts). */
async function planRunDedup(
  options: CleanDataOptions,
  settings: RunSettings,
  columns: RunColumns,
  first: OpenedInput,
  setup: CleanerSetup,
  census: boolean,
  totalBytes: number | undefined,
): Promise<DedupPlan> {
  const files = columns.censusInputs;
  return await planDedup({
    files,
    setup,
    firstBlock: first.view.subarray(first.header.consumed, first.filled),
    wholeInput: first.endOfInput && files.length === 1,
    workers: settings.workerCount,
    blockBytes: settings.blockBytes,
    maxRecordBytes: settings.maxRecordBytes,
    budgetBytes: options.dedupBudgetBytes ?? DEFAULT_DEDUP_BUDGET_BYTES,
    spillDir: options.spillDir,
    census,
    quiet: options.quiet,
    totalBytes: files.some((file) => isGzipPath(file.path)) ? undefined : totalBytes,
  });
}

/** Where an opened file's data starts, as the key census needs it. */
function censusInput(opened: OpenedInput): CensusInput {
  return {
    path: opened.file.path,
    dataStart: opened.header.consumed,
    firstLine: opened.header.nextLine,
    lineEnd: opened.lineEnd,
  };
}

/** The rejected CSV's header: the input's columns, then why and where each row was rejected. */
function writeRejectedHeader(
  rejectedFile: AtomicFile | undefined,
  headerFields: readonly string[],
  namesFiles: boolean,
): void {
  rejectedFile?.writeSync(
    new TextEncoder().encode(
      csvLine([
        ...headerFields,
        "rejection_reason",
        "source_line",
        ...(namesFiles ? ["source_file"] : []),
      ]),
    ),
  );
}

/** A run's counts over all its input files. */
interface CleanedTotals {
  inputRows: number;
  cleanRows: number;
  heavyDiscountRows: number;
  reasonCounts: number[];
  /** Every input file in the order cleaned, with its input rows. */
  inputRowsByFile: { file: string; rows: number }[];
}

interface CleanFilesContext {
  options: CleanDataOptions;
  settings: RunSettings;
  setup: CleanerSetup;
  judge: ClaimJudge;
  outputs: CleanOutputs;
  /** The header's field count. */
  fieldCount: number;
  /** Whether rejected rows name their file. */
  namesFiles: boolean;
  /** Each file's size, when known. */
  sizes: (number | undefined)[];
  totalBytes?: number;
  progress: Progress;
}

/** Cleans the files in order, each through a {@linkcode CleanRun} of its own. */
async function cleanFiles(
  files: readonly InputFile[],
  first: OpenedInput,
  context: CleanFilesContext,
): Promise<CleanedTotals> {
  const { options, settings, setup, outputs, namesFiles, progress, totalBytes } = context;
  const totals: CleanedTotals = {
    inputRows: 0,
    cleanRows: 0,
    heavyDiscountRows: 0,
    reasonCounts: new Array<number>(REJECTION_REASONS.length).fill(0),
    inputRowsByFile: [],
  };
  let bytesBefore = 0;
  let opened = first;
  let run: CleanRun | undefined;
  try {
    for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
      if (fileIndex > 0) {
        opened = await openCsvInput(
          files[fileIndex],
          settings.blockBytes,
          settings.maxRecordBytes,
        );
      }
      const current = opened;
      const fileSetup: CleanerSetup = {
        ...setup,
        lineEnd: current.lineEnd,
        sourceFile: namesFiles ? current.file.name : undefined,
      };
      const rowsBefore = totals.inputRows;
      run = new CleanRun(settings.workerCount, fileSetup, context.judge, {
        maxRecordBytes: settings.maxRecordBytes,
        lineEnd: current.lineEnd,
        fieldCount: context.fieldCount,
        sourceFile: namesFiles ? current.file.name : undefined,
        // A record over the limit is malformed: shard 0's.
        countsTooLong: (options.shard?.index ?? 0) === 0,
        parquet: outputs.parquet,
        partitions: outputs.partitions,
        rejectedFile: outputs.rejectedFile,
        onWritten: (rows, rawBytesDone) => {
          // Progress follows rows written, not bytes read ahead into blocks still in flight. A
          // .gz file's size counts compressed bytes: scale by the compression seen so far.
          const done = current.header.consumed + rawBytesDone;
          const fileBytesDone = current.compressed
            ? Math.round(done * current.input.bytesRead() / Math.max(current.rawBytesRead, 1))
            : done;
          const state = { rows: rowsBefore + rows, bytes: bytesBefore + fileBytesDone, totalBytes };
          progress.update(state);
          options.onProgress?.(state);
        },
      });
      await cleanFile(run, current, settings.blockBytes);
      totals.inputRows += run.inputRows;
      totals.cleanRows += run.cleanRows;
      totals.heavyDiscountRows += run.heavyDiscountRows;
      run.reasonCounts.forEach((rows, reason) => totals.reasonCounts[reason] += rows);
      totals.inputRowsByFile.push({ file: current.file.path, rows: run.inputRows });
      bytesBefore += context.sizes[fileIndex] ?? 0;
      run.terminate();
    }
  } catch (error) {
    await opened.reader.cancel();
    throw error;
  } finally {
    run?.terminate();
  }
  return totals;
}

/** The report JSON of a finished run. */
function runReport(
  options: CleanDataOptions,
  settings: RunSettings,
  columns: RunColumns,
  totals: CleanedTotals,
  lookups: Lookups,
  runId: string,
  rejectedFile: AtomicFile | undefined,
  durationSeconds: number,
): CleanReport {
  const { headerFields, resolved, extraColumns, mapping } = columns;
  return buildCleanReport({
    ...totals,
    lookupHashes: lookups.fileHashes,
    asOf: settings.asOf,
    durationSeconds,
    inputs: settings.inputs,
    name: runName(settings.inputs, options.name),
    output: settings.dryRun ? null : settings.paths.output,
    rejected: settings.saveRejected ? settings.paths.rejected : null,
    keepZeroQuantity: options.keepZeroQuantity ?? false,
    runId,
    rejectedBytes: rejectedFile ? rejectedFile.bytesWritten : null,
    headerFields,
    positions: resolved.positions,
    dedupKey: mapping.dedupKey ?? DEFAULT_DEDUP_KEY,
    extraColumns: extraColumns.map((extra) => extra.name),
    dropExtraColumns: mapping.dropExtraColumns ?? false,
    shard: options.shard,
    peakRssBytes: peakRssBytes(),
  });
}
