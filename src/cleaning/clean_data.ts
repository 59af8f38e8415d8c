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
 * first bytes while the blocks after it skip its rest ({@linkcode skipRecord}) instead of growing.
 */
import { join } from "node:path";
import { UserError } from "../io/errors.ts";
import { defaultWorkers, todayIso } from "../cli/options.ts";
import { Progress } from "../cli/progress.ts";
import { peakRssBytes } from "../cli/summary.ts";
import { AtomicFile } from "../io/atomic_file.ts";
import { newRunId, prepareWorkspace, publishSet, RUN_ID_KEY } from "../io/publish.ts";
import { refuseOutputsOverInputs } from "../io/same_file.ts";
import { BlockReader } from "../io/block_reader.ts";
import {
  CsvChunkParser,
  DEFAULT_MAX_RECORD_BYTES,
  describeRecordStatus,
  detectLineEnd,
  fieldText,
  LF,
  type ParseChunkResult,
  RECORD_OK,
  SKIP_FIELD_START,
  skipRecord,
  TOO_LONG_PREFIX_BYTES,
  tooLongRawText,
} from "../io/csv_parse.ts";
import {
  COLUMN_ROLES,
  type ColumnMapping,
  type ColumnRole,
  DEFAULT_DEDUP_KEY,
  REQUIRED_ROLES,
  resolveColumns,
} from "../io/column_roles.ts";
import { csvLine } from "../io/csv_write.ts";
import { type InputBytes, isGzipPath, openInputBytes, stripBom } from "../io/input_bytes.ts";
import { type EncodedRowGroup, RowGroupFileWriter } from "../io/row_group_encoder.ts";
import { loadLookups } from "../lookups/load_lookups.ts";
import type { ChunkOutput, ChunkScan, CleanerSetup } from "./chunk_cleaner.ts";
import { CLEANER_ROLES } from "./chunk_cleaner.ts";
import { extraColumnsOf } from "./clean_schema.ts";
import { type InputFile, resolveInputFiles, runName } from "./input_files.ts";
import { type ShardSpec, shardTag } from "./shard.ts";
import { cleanConfig } from "./config.ts";
import { cleanSchema, type WorkerReply, type WorkerRequest } from "./_clean_protocol.ts";
import type { ClaimJudge } from "./dedup/claim_judge.ts";
import { type DedupPlan, DEFAULT_DEDUP_BUDGET_BYTES, planDedup } from "./dedup/dedup_plan.ts";
import type { CensusInput } from "./dedup/key_census.ts";
import { DedupBudgetExceeded } from "./dedup/key_set.ts";
import { ANOMALY_FLAGS, REJECTION_REASONS, type RejectionReason } from "./rules/reasons.ts";

export interface CleanDataOptions {
  /**
   * The input: a CSV (`.csv` or `.csv.gz`), a directory of them (in name order), or a list of
   * either, cleaned as one run (rule 2 spans the files in order).
   */
  input: string | readonly string[];
  /** Names the outputs (`--name`); default the single input's stem or directory name. */
  name?: string;
  /**
   * `--shard K/N`: clean only the rows whose dedup key hashes to K (shard.ts). The clean parquet
   * becomes one part of the dataset `<dataDir>/clean/<name>/`, the rejected CSV and the report
   * carry the shard in their names, and N such runs together equal one run.
   */
  shard?: ShardSpec;
  /**
   * `--partition-by sale_month`: the clean rows go to the hive-style dataset
   * `<dataDir>/clean/<name>/sale_month=YYYY-MM/part-*.parquet`, one file per month.
   */
  partitionBy?: "sale_month";
  /** Workspace root for default output paths. Default `data`. */
  dataDir?: string;
  /** The clean parquet. Default `<dataDir>/clean/<stem>_clean.parquet`. */
  output?: string;
  /** Default `<dataDir>/rejected`. */
  rejectedDir?: string;
  /** Default `<dataDir>/reports`. */
  reportDir?: string;
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

export interface CleanProgress {
  rows: number;
  bytes: number;
  totalBytes?: number;
}

/** The report JSON (docs/cleaning.md), plus where the outputs went. */
export interface CleanReport {
  input_rows: number;
  clean_rows: number;
  rejected_rows: number;
  reasons: Record<RejectionReason, number>;
  anomalies: Record<string, number>;
  lookups: Record<string, string>;
  as_of: string;
  duration_s: number;
  rows_per_s: number;
  peak_rss_bytes: number;
  /** The `--input` values as given, joined with ", ". */
  input: string;
  /** The run's name: its outputs are `<name>_clean.parquet` and so on. */
  name: string;
  /** Every input file in the order cleaned, with its input rows (header excluded). */
  inputs: { file: string; rows: number }[];
  output: string | null;
  rejected: string | null;
  /** Whether zero quantities were kept, so a re-run can clean the same way. */
  keep_zero_quantity: boolean;
  /** The run's id, also in the clean parquet's footer (`dpd.run_id`): readers match them. */
  run_id: string;
  /** Size of the rejected CSV this run wrote, so readers can tell it is this run's. */
  rejected_bytes: number | null;
  /**
   * Role → the header name read for it (null: the file has none), so a re-run reads the file the
   * same way whatever dpd.json says by then.
   */
  columns: Record<ColumnRole, string | null>;
  /** The dedup key as given (roles or header names); empty when rule 2 was off. */
  dedup_key: string[];
  /** The extra columns written to the clean parquet, in order (none with --drop-extra-columns). */
  extra_columns: string[];
  drop_extra_columns: boolean;
  /** `--shard K/N` as `{index, count}`: this report counts that shard's rows only; else null. */
  shard: ShardSpec | null;
}

export interface CleanDataResult {
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

/** Output paths for an input, per the README and docs/schemas.md. */
export function cleanOutputPaths(options: CleanDataOptions): {
  output: string;
  rejected: string;
  report: string;
} {
  const dataDir = options.dataDir ?? "data";
  const name = runName(inputList(options), options.name);
  const shard = options.shard;
  // A shard's parquet is one part of the run's dataset; its other outputs carry the shard's tag.
  const stem = shard ? `${name}_${shardTag(shard)}` : name;
  // Partitioned, the output is the dataset directory (its files: monthPartFile()).
  const output = options.partitionBy
    ? join(dataDir, "clean", name)
    : shard
    ? join(dataDir, "clean", name, `part-${shardTag(shard)}.parquet`)
    : join(dataDir, "clean", `${stem}_clean.parquet`);
  return {
    output: options.output ?? output,
    rejected: join(options.rejectedDir ?? join(dataDir, "rejected"), `${stem}_rejected.csv`),
    report: join(options.reportDir ?? join(dataDir, "reports"), `${stem}_clean_report.json`),
  };
}

interface Chunk {
  buffer?: SharedArrayBuffer;
  begin: number;
  end: number;
  final: boolean;
  /** True once the block was re-scanned knowing how its predecessor ended: with its open tail
   * in front, or skipping the rest of a record over the limit. */
  hasCarry: boolean;
  /** Set when the block ended inside a record over the limit: that record's rejected row. */
  tooLongAfter?: { line: number; prefix: Uint8Array };
  worker: number;
  scan?: ChunkScan;
  output?: ChunkOutput;
  /** Input bytes of the records this block held (its carry included, its open tail not). */
  bytesConsumed: number;
}

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

/** An input file opened, its header read: the first block stays in `view` for the clean pass. */
interface OpenedInput {
  file: InputFile;
  input: InputBytes;
  reader: BlockReader;
  compressed: boolean;
  view: Uint8Array;
  filled: number;
  /** Decompressed bytes read, to turn bytes processed into a share of the (compressed) file. */
  rawBytesRead: number;
  endOfInput: boolean;
  header: ParseChunkResult;
  lineEnd: number;
  headerFields: string[];
}

/**
 * Opens an input and reads its header: the first non-empty record. Nothing is written unless it
 * names every column. The first line end outside quotes also tells an LF (or CR LF) file from a
 * CR-only one.
 */
async function openCsvInput(
  file: InputFile,
  blockBytes: number,
  maxRecordBytes: number,
): Promise<OpenedInput> {
  const input = await openInputBytes(file.path);
  const reader = new BlockReader(input.stream);
  let view = new Uint8Array(new SharedArrayBuffer(blockBytes));
  let filled = await reader.fill(view, 0);
  let rawBytesRead = filled;
  let endOfInput = filled < view.length;
  const headerParser = new CsvChunkParser();
  const headerStart = stripBom(view.subarray(0, filled));
  let lineEnd = detectLineEnd(view, headerStart, filled, endOfInput);
  const parseHeader = () =>
    headerParser.parse(view, headerStart, filled, {
      fieldCount: 0,
      firstLine: 1,
      final: endOfInput,
      maxRecords: 1,
      lineEnd: lineEnd ?? LF,
      maxRecordBytes,
    });
  let header = parseHeader();
  while ((header.count === 0 || lineEnd === undefined) && !endOfInput) {
    if (filled - headerStart > maxRecordBytes) {
      await reader.cancel();
      throw new UserError(
        `${file.path}: the header row runs past ${maxRecordBytes} bytes without ending. ` +
          `Is this a CSV file? (A quote opened and never closed in the first line does this.)`,
      );
    }
    const larger = new Uint8Array(new SharedArrayBuffer(view.length * 2));
    larger.set(view.subarray(0, filled));
    view = larger;
    const more = await reader.fill(view, filled);
    filled += more;
    rawBytesRead += more;
    endOfInput = filled < view.length;
    lineEnd = detectLineEnd(view, headerStart, filled, endOfInput);
    header = parseHeader();
  }
  if (header.count === 0) {
    await reader.cancel();
    throw new UserError(
      `${file.path} has no header row (the file is empty). ` +
        `Expected a header naming: ${REQUIRED_ROLES.join(", ")}.`,
    );
  }
  if (header.status[0] !== RECORD_OK) {
    await reader.cancel();
    throw new UserError(
      `${file.path}:${header.recordLine[0]}: the header row is malformed ` +
        `(${describeRecordStatus(header.status[0])}). Is this a CSV file?`,
    );
  }
  const headerFields = Array.from(
    { length: header.fieldCount },
    (_, field) => fieldText(header, 0, field),
  );
  return {
    file,
    input,
    reader,
    compressed: isGzipPath(file.path),
    view,
    filled,
    rawBytesRead,
    endOfInput,
    header,
    lineEnd: lineEnd ?? LF,
    headerFields,
  };
}

/** The `--input` values as a list. */
function inputList(options: CleanDataOptions): string[] {
  return typeof options.input === "string" ? [options.input] : [...options.input];
}

async function cleanOnce(
  options: CleanDataOptions,
  startedAt: number,
  census: boolean,
): Promise<CleanDataResult> {
  const asOf = options.asOf ?? todayIso();
  const inputs = inputList(options);
  const files = await resolveInputFiles(inputs);
  const lookups = await loadLookups(options.lookupsDir ?? "lookups");
  const paths = cleanOutputPaths(options);
  const dryRun = options.dryRun ?? false;
  const saveRejected = !dryRun && (options.saveRejected ?? true);
  const blockBytes = options.blockBytes ?? DEFAULT_BLOCK_BYTES;
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;

  let opened = await openCsvInput(files[0], blockBytes, maxRecordBytes);
  const headerFields = opened.headerFields;
  const mapping = options.columns ?? {};
  let resolved: ReturnType<typeof resolveColumns>;
  let extraColumns: ReturnType<typeof extraColumnsOf>;
  /** Where each file's data starts, for the key census, which reads them all. */
  const censusInputs: CensusInput[] = [];
  try {
    resolved = resolveColumns(headerFields, mapping, {
      file: files[0].path,
      need: REQUIRED_ROLES,
      dedupKey: true,
    });
    extraColumns = mapping.dropExtraColumns
      ? []
      : extraColumnsOf(headerFields, resolved.extraPositions, files[0].path);
    // Every other file is checked before any work: one run writes one schema and one rejected
    // CSV, so each must read the same way (docs/cleaning.md, "Several input files").
    censusInputs.push(censusInput(opened));
    for (const file of files.slice(1)) {
      censusInputs.push(await checkSameHeader(file, headerFields, options));
    }
  } catch (error) {
    await opened.reader.cancel();
    throw error;
  }

  const setup: CleanerSetup = {
    fieldCount: headerFields.length,
    lineEnd: opened.lineEnd,
    maxRecordBytes,
    columnPositions: CLEANER_ROLES.map((role) => resolved.positions[role]),
    dedupKey: resolved.dedupKey,
    extraColumns,
    encodeParquet: !dryRun,
    shard: options.shard,
    partitionByMonth: options.partitionBy === "sale_month",
    config: cleanConfig(lookups, {
      dropZeroQuantity: !(options.keepZeroQuantity ?? false),
      saveRejectedRows: saveRejected,
      asOf,
    }),
  };
  const totalSizes = await Promise.all(files.map((file) => fileSize(file.path)));
  const totalBytes = totalSizes.every((size) => size !== undefined)
    ? totalSizes.reduce((sum: number, size) => sum + size!, 0)
    : undefined;
  const progressOptions = { label: "clean-data", totalBytes, quiet: options.quiet };
  let progress = new Progress(progressOptions);

  // Outputs: written under temporary names, published as one set at the end (io/publish.ts).
  const dataDir = options.dataDir ?? "data";
  const runId = newRunId();
  if (!dryRun) {
    try {
      const lookupFiles = Object.keys(lookups.fileHashes).map((name) =>
        join(lookups.directory, name)
      );
      await refuseOutputsOverInputs(
        [...files.map((file) => file.path), ...lookupFiles],
        [paths.output, ...(saveRejected ? [paths.rejected] : []), paths.report],
      );
      await prepareWorkspace(dataDir);
    } catch (error) {
      await opened.reader.cancel();
      throw error;
    }
  }
  // All three opened before any work, so a path that cannot be written fails in a second, not
  // after the whole input is cleaned.
  const outputs: AtomicFile[] = [];
  const open = async (path: string) => {
    try {
      const file = await AtomicFile.create(path);
      outputs.push(file);
      return file;
    } catch (error) {
      for (const output of [...outputs].reverse()) await output.abort();
      await opened.reader.cancel();
      throw error;
    }
  };
  const partitioned = options.partitionBy !== undefined;
  const parquetFile = dryRun || partitioned ? undefined : await open(paths.output);
  const rejectedFile = saveRejected ? await open(paths.rejected) : undefined;
  const reportFile = dryRun ? undefined : await open(paths.report);
  const footer = { [RUN_ID_KEY]: runId };
  const parquet = parquetFile
    ? new RowGroupFileWriter(parquetFile, cleanSchema(extraColumns), footer)
    : undefined;
  const partitions = partitioned && !dryRun
    ? new MonthPartitions(
      paths.output,
      options.shard ? `part-${shardTag(options.shard)}.parquet` : "part-00000.parquet",
      cleanSchema(extraColumns),
      footer,
      outputs,
    )
    : undefined;

  const workerCount = Math.max(1, options.workers ?? defaultWorkers());
  let dedup: DedupPlan;
  try {
    dedup = await planDedup({
      files: censusInputs,
      setup,
      firstBlock: opened.view.subarray(opened.header.consumed, opened.filled),
      wholeInput: opened.endOfInput && files.length === 1,
      workers: workerCount,
      blockBytes,
      maxRecordBytes,
      budgetBytes: options.dedupBudgetBytes ?? DEFAULT_DEDUP_BUDGET_BYTES,
      spillDir: options.spillDir,
      census,
      quiet: options.quiet,
      totalBytes: files.some((file) => isGzipPath(file.path)) ? undefined : totalBytes,
    });
  } catch (error) {
    for (const output of [...outputs].reverse()) await output.abort();
    await opened.reader.cancel();
    throw error;
  }
  setup.claimKeys = dedup.claimKeys;
  // After a census pass, rates and ETAs count from the start of the clean pass.
  if (dedup.mode === "census") progress = new Progress(progressOptions);

  // A run over one file given as a file keeps the rejected CSV of old; one over a directory or
  // several files names each row's file (docs/schemas.md).
  const namesFiles = files.length > 1 || files[0].path !== inputs[0];
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

  const totals = {
    inputRows: 0,
    cleanRows: 0,
    heavyDiscountRows: 0,
    reasonCounts: new Array<number>(REJECTION_REASONS.length).fill(0),
  };
  const inputRowsByFile: { file: string; rows: number }[] = [];
  let bytesBefore = 0;
  let run: CleanRun | undefined;
  try {
    for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
      if (fileIndex > 0) {
        opened = await openCsvInput(files[fileIndex], blockBytes, maxRecordBytes);
      }
      const current = opened;
      const fileSetup: CleanerSetup = {
        ...setup,
        lineEnd: current.lineEnd,
        sourceFile: namesFiles ? current.file.name : undefined,
      };
      const rowsBefore = totals.inputRows;
      run = new CleanRun(workerCount, fileSetup, dedup.judge, {
        maxRecordBytes,
        lineEnd: current.lineEnd,
        fieldCount: headerFields.length,
        sourceFile: namesFiles ? current.file.name : undefined,
        // A record over the limit is malformed: shard 0's.
        countsTooLong: (options.shard?.index ?? 0) === 0,
        parquet,
        partitions,
        rejectedFile,
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
      await cleanFile(run, current, blockBytes);
      totals.inputRows += run.inputRows;
      totals.cleanRows += run.cleanRows;
      totals.heavyDiscountRows += run.heavyDiscountRows;
      run.reasonCounts.forEach((rows, reason) => totals.reasonCounts[reason] += rows);
      inputRowsByFile.push({ file: current.file.path, rows: run.inputRows });
      bytesBefore += totalSizes[fileIndex] ?? 0;
      run.terminate();
    }
    parquet?.finish();
    await partitions?.finish();
  } catch (error) {
    run?.terminate();
    await opened.reader.cancel();
    await partitions?.settled();
    // In reverse order of creation, so directories made for them are removed once empty.
    for (const output of [...outputs].reverse()) await output.abort();
    throw error;
  } finally {
    run?.terminate();
  }

  const durationSeconds = (performance.now() - startedAt) / 1000;
  const report: CleanReport = {
    input_rows: totals.inputRows,
    clean_rows: totals.cleanRows,
    rejected_rows: totals.inputRows - totals.cleanRows,
    reasons: Object.fromEntries(
      REJECTION_REASONS.map((reason, index) => [reason, totals.reasonCounts[index]]),
    ) as Record<RejectionReason, number>,
    anomalies: Object.fromEntries(ANOMALY_FLAGS.map((flag) => [flag, totals.heavyDiscountRows])),
    lookups: lookups.fileHashes,
    as_of: asOf,
    duration_s: round3(durationSeconds),
    rows_per_s: Math.round(totals.inputRows / Math.max(durationSeconds, 1e-9)),
    peak_rss_bytes: peakRssBytes(),
    input: inputs.join(", "),
    name: runName(inputs, options.name),
    inputs: inputRowsByFile,
    output: dryRun ? null : paths.output,
    rejected: saveRejected ? paths.rejected : null,
    keep_zero_quantity: options.keepZeroQuantity ?? false,
    run_id: runId,
    rejected_bytes: rejectedFile ? rejectedFile.bytesWritten : null,
    columns: Object.fromEntries(
      COLUMN_ROLES.map((role) => {
        const position = resolved.positions[role];
        return [role, position < 0 ? null : headerFields[position].trim()];
      }),
    ) as Record<ColumnRole, string | null>,
    dedup_key: [...mapping.dedupKey ?? DEFAULT_DEDUP_KEY],
    extra_columns: extraColumns.map((extra) => extra.name),
    drop_extra_columns: mapping.dropExtraColumns ?? false,
    shard: options.shard ? { ...options.shard } : null,
  };
  progress.finish(
    `clean-data: ${report.input_rows.toLocaleString("en-US")} rows in ${
      report.duration_s.toFixed(1)
    }s (${report.rows_per_s.toLocaleString("en-US")} rows/s)`,
  );
  if (dryRun) return { report, notes: resolved.notes };
  try {
    await reportFile!.write(new TextEncoder().encode(`${JSON.stringify(report, null, 2)}\n`));
    await publishSet(dataDir, runId, outputs);
  } catch (error) {
    for (const output of [...outputs].reverse()) await output.abort();
    throw error;
  }
  return { report, reportPath: paths.report, notes: resolved.notes };
}

/** Streams one opened input through a run: blocks cut at line ends, in order. */
async function cleanFile(run: CleanRun, opened: OpenedInput, blockBytes: number): Promise<void> {
  let { view, filled, endOfInput } = opened;
  const { reader, lineEnd } = opened;
  run.lineBase = opened.header.nextLine;
  let begin = opened.header.consumed;
  while (true) {
    if (endOfInput) {
      await run.dispatch(view, begin, filled, true);
      break;
    }
    const lastLineEnd = view.lastIndexOf(lineEnd, filled - 1);
    // A block ends after its last line end; one with none (a record longer than a block) ends
    // mid-record, and its predecessor's open tail carries into the next (see CleanRun).
    const cut = lastLineEnd >= begin ? lastLineEnd + 1 : filled;
    await run.dispatch(view, begin, cut, false);
    const next = new Uint8Array(new SharedArrayBuffer(Math.max(blockBytes, filled - cut)));
    next.set(view.subarray(cut, filled));
    filled -= cut;
    begin = 0;
    view = next;
    const read = await reader.fill(view, filled);
    filled += read;
    opened.rawBytesRead += read;
    endOfInput = filled < view.length;
  }
  await run.finished();
}

/**
 * Refuses a further input whose header differs from the first file's: the run writes one clean
 * schema and one rejected CSV, whose columns are the first file's header.
 */
async function checkSameHeader(
  file: InputFile,
  first: readonly string[],
  options: CleanDataOptions,
): Promise<CensusInput> {
  const opened = await openCsvInput(
    file,
    64 << 10,
    options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
  );
  await opened.reader.cancel();
  const names = opened.headerFields.map((name) => name.trim());
  const same = names.length === first.length &&
    names.every((name, index) => name === first[index].trim());
  if (!same) {
    throw new UserError(
      `${file.path}: its header (${names.join(", ")}) differs from the first input's ` +
        `(${first.map((name) => name.trim()).join(", ")}): files cleaned as one run must ` +
        `have the same columns in the same order; clean it as a run of its own`,
    );
  }
  return censusInput(opened);
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

async function fileSize(path: string): Promise<number | undefined> {
  try {
    const info = await Deno.stat(path);
    return info.isFile ? info.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The clean rows of a `--partition-by sale_month` run: one parquet per month, each opened when its
 * month first appears. Files are created asynchronously, so appends queue behind creation and keep
 * their order; `outputs` gets each file, to be published with the run's set or aborted with it.
 */
class MonthPartitions {
  readonly #writers = new Map<string, RowGroupFileWriter>();
  #work: Promise<void> = Promise.resolve();
  #failure: unknown;

  constructor(
    private readonly directory: string,
    private readonly fileName: string,
    private readonly schema: ReturnType<typeof cleanSchema>,
    private readonly footer: Record<string, string>,
    private readonly outputs: AtomicFile[],
  ) {}

  append(month: string, rowGroup: EncodedRowGroup): void {
    this.#work = this.#work.then(async () => {
      if (this.#failure !== undefined) return;
      let writer = this.#writers.get(month);
      if (!writer) {
        const file = await AtomicFile.create(
          join(this.directory, `sale_month=${month}`, this.fileName),
        );
        this.outputs.push(file);
        writer = new RowGroupFileWriter(file, this.schema, this.footer);
        this.#writers.set(month, writer);
      }
      writer.append(rowGroup);
    }).catch((error) => {
      this.#failure ??= error;
    });
  }

  /** Resolves once no file is being created (before aborting the outputs). */
  settled(): Promise<void> {
    return this.#work;
  }

  async finish(): Promise<void> {
    await this.#work;
    if (this.#failure !== undefined) throw this.#failure;
    for (const writer of this.#writers.values()) writer.finish();
  }
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

interface RunOutputs {
  maxRecordBytes: number;
  lineEnd: number;
  /** The header's field count, for the rejected row of a record over the limit. */
  fieldCount: number;
  /** The input file's name: the rejected rows' `source_file` (none for a single file). */
  sourceFile?: string;
  /** Whether records over the limit are this run's (not for a shard other than 0). */
  countsTooLong: boolean;
  parquet?: RowGroupFileWriter;
  partitions?: MonthPartitions;
  rejectedFile?: AtomicFile;
  /** After each block: rows written so far, and input bytes (decompressed) they came from. */
  onWritten: (rowsWritten: number, rawBytesDone: number) => void;
}

/** The ordering machinery between the reader, the workers and the writers. */
class CleanRun {
  lineBase = 1;
  inputRows = 0;
  cleanRows = 0;
  heavyDiscountRows = 0;
  readonly reasonCounts = new Array<number>(REJECTION_REASONS.length).fill(0);

  readonly #workers: Worker[];
  readonly #busy: number[];
  readonly #outputs: RunOutputs;
  readonly #judge: ClaimJudge;
  readonly #chunks = new Map<number, Chunk>();
  readonly #maxInFlight: number;
  #nextChunk = 0;
  #nextValidate = 0;
  #nextWrite = 0;
  #carry: Uint8Array | undefined;
  /** While a record over the limit is being skipped: the state to skip the next block with. */
  #skipState: number | undefined;
  #rawBytesDone = 0;
  #failure: unknown;
  #wake: (() => void) | undefined;

  constructor(workerCount: number, setup: CleanerSetup, judge: ClaimJudge, outputs: RunOutputs) {
    this.#outputs = outputs;
    this.#judge = judge;
    // One block per worker being worked on plus one queued each keeps both cores busy; more only
    // holds memory.
    this.#maxInFlight = workerCount * 2;
    this.#busy = new Array(workerCount).fill(0);
    this.#workers = Array.from({ length: workerCount }, (_, index) => {
      const worker = new Worker(new URL("./clean_worker.ts", import.meta.url), { type: "module" });
      worker.onmessage = (event: MessageEvent<WorkerReply>) => this.#onReply(index, event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        this.#fail(new Error(`clean-data worker crashed: ${event.message}`));
      };
      return worker;
    });
    for (let index = 0; index < workerCount; index++) this.#post(index, { type: "setup", setup });
  }

  /** Hands a block to a worker, waiting while too many are in flight. */
  async dispatch(view: Uint8Array, begin: number, end: number, final: boolean): Promise<void> {
    while (this.#nextChunk - this.#nextWrite >= this.#maxInFlight && !this.#failure) {
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
    if (this.#failure) throw this.#failure;
    const chunkId = this.#nextChunk++;
    const chunk: Chunk = {
      buffer: view.buffer as SharedArrayBuffer,
      begin,
      end,
      final,
      hasCarry: false,
      worker: this.#leastBusyWorker(),
      bytesConsumed: 0,
    };
    this.#chunks.set(chunkId, chunk);
    this.#scan(chunkId, chunk);
  }

  /** Resolves when every dispatched block is written. */
  async finished(): Promise<void> {
    while (this.#nextWrite < this.#nextChunk && !this.#failure) {
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
    if (this.#failure) throw this.#failure;
  }

  terminate(): void {
    for (const worker of this.#workers) worker.terminate();
  }

  #scan(chunkId: number, chunk: Chunk, skipState?: number): void {
    this.#busy[chunk.worker]++;
    this.#post(chunk.worker, {
      type: "scan",
      chunkId,
      buffer: chunk.buffer!,
      begin: chunk.begin,
      end: chunk.end,
      final: chunk.final,
      skipState,
    });
  }

  #leastBusyWorker(): number {
    let best = 0;
    for (let index = 1; index < this.#busy.length; index++) {
      if (this.#busy[index] < this.#busy[best]) best = index;
    }
    return best;
  }

  #post(worker: number, request: WorkerRequest, transfer: Transferable[] = []): void {
    this.#workers[worker].postMessage(request, transfer);
  }

  #onReply(worker: number, reply: WorkerReply): void {
    if (this.#failure) return;
    try {
      if (reply.type === "failed") {
        const error = reply.userError ? new UserError(reply.message) : new Error(reply.message);
        if (reply.stack) error.stack = reply.stack;
        throw error;
      }
      const chunk = this.#chunks.get(reply.chunkId);
      if (!chunk) throw new Error(`reply for unknown chunk ${reply.chunkId}`);
      if (reply.type === "scanned") {
        chunk.scan = reply.scan;
        this.#validateInOrder();
      } else {
        this.#busy[worker]--;
        chunk.output = reply.output;
        this.#writeInOrder();
      }
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Rule 2 and line numbers, block by block in input order. */
  #validateInOrder(): void {
    while (true) {
      const chunkId = this.#nextValidate;
      const chunk = this.#chunks.get(chunkId);
      if (!chunk?.scan) return;
      const scan = chunk.scan;
      if (this.#carry && !chunk.hasCarry) {
        // The previous block ended inside a quoted field: this block did not start at a record.
        this.#post(chunk.worker, { type: "discard", chunkId });
        this.#busy[chunk.worker]--;
        const length = chunk.end - chunk.begin;
        const combined = new Uint8Array(new SharedArrayBuffer(this.#carry.length + length));
        combined.set(this.#carry);
        combined.set(new Uint8Array(chunk.buffer!, chunk.begin, length), this.#carry.length);
        Object.assign(chunk, {
          buffer: combined.buffer,
          begin: 0,
          end: combined.length,
          hasCarry: true,
          scan: undefined,
          worker: this.#leastBusyWorker(),
        });
        this.#carry = undefined;
        this.#scan(chunkId, chunk);
        return;
      }
      if (this.#skipState !== undefined && !chunk.hasCarry) {
        // The previous block ended inside a record over the limit: skip the rest of it first.
        this.#post(chunk.worker, { type: "discard", chunkId });
        this.#busy[chunk.worker]--;
        Object.assign(chunk, { hasCarry: true, scan: undefined, worker: this.#leastBusyWorker() });
        this.#scan(chunkId, chunk, this.#skipState);
        return;
      }
      const duplicates = this.#judge.judge(scan);
      this.#post(chunk.worker, {
        type: "finish",
        chunkId,
        duplicates,
        firstLine: this.lineBase,
      }, [duplicates.buffer]);
      this.lineBase += scan.lineFeeds;
      chunk.bytesConsumed = scan.consumed - chunk.begin;
      this.#skipState = scan.skipState;
      // A view, not a copy: the next block's re-scan copies it once into the joined buffer.
      this.#carry = scan.consumed < chunk.end
        ? new Uint8Array(chunk.buffer!, scan.consumed, chunk.end - scan.consumed)
        : undefined;
      if (this.#carry && this.#carry.length > this.#outputs.maxRecordBytes) {
        // A record over the limit: rejected with its first bytes, the rest skipped unread.
        const carry = this.#carry;
        chunk.tooLongAfter = {
          line: this.lineBase,
          prefix: carry.slice(0, TOO_LONG_PREFIX_BYTES + 4),
        };
        const skipped = skipRecord(carry, 0, carry.length, SKIP_FIELD_START, this.#outputs.lineEnd);
        this.lineBase += skipped.lineEnds;
        chunk.bytesConsumed += carry.length;
        this.#skipState = skipped.state;
        this.#carry = undefined;
      }
      chunk.buffer = undefined;
      this.#nextValidate++;
    }
  }

  /** Row groups and rejected rows, block by block in input order. */
  #writeInOrder(): void {
    while (true) {
      const chunk = this.#chunks.get(this.#nextWrite);
      if (!chunk?.output) break;
      const output = chunk.output;
      if (output.rowGroup) this.#outputs.parquet?.append(output.rowGroup);
      for (const group of output.monthGroups ?? []) {
        this.#outputs.partitions?.append(group.month, group.rowGroup);
      }
      if (output.rejectedCsv.length) this.#outputs.rejectedFile?.writeSync(output.rejectedCsv);
      this.inputRows += output.records;
      this.cleanRows += output.cleanRows;
      this.heavyDiscountRows += output.heavyDiscountRows;
      for (let reason = 0; reason < output.reasonCounts.length; reason++) {
        this.reasonCounts[reason] += output.reasonCounts[reason];
      }
      if (chunk.tooLongAfter && this.#outputs.countsTooLong) {
        this.#rejectTooLong(chunk.tooLongAfter);
      }
      this.#chunks.delete(this.#nextWrite);
      this.#nextWrite++;
      this.#rawBytesDone += chunk.bytesConsumed;
      this.#outputs.onWritten(this.inputRows, this.#rawBytesDone);
    }
    this.#wakeUp();
  }

  /** The rejected row of a record over the limit, which no worker saw whole. */
  #rejectTooLong(record: { line: number; prefix: Uint8Array }): void {
    const { fieldCount, maxRecordBytes, rejectedFile, sourceFile } = this.#outputs;
    const fields = new Array<string>(fieldCount).fill("");
    fields[0] = tooLongRawText(record.prefix, maxRecordBytes);
    rejectedFile?.writeSync(
      new TextEncoder().encode(csvLine([
        ...fields,
        "malformed_row",
        String(record.line),
        ...(sourceFile === undefined ? [] : [sourceFile]),
      ])),
    );
    this.inputRows++;
    this.reasonCounts[REJECTION_REASONS.indexOf("malformed_row")]++;
  }

  #fail(error: unknown): void {
    this.#failure ??= error;
    this.#wakeUp();
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
