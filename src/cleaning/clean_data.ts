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
 */
import { join } from "node:path";
import { UserError } from "../cli/errors.ts";
import { defaultWorkers, todayIso } from "../cli/options.ts";
import { Progress } from "../cli/progress.ts";
import { peakRssBytes } from "../cli/summary.ts";
import { AtomicFile, writeFileAtomic } from "../io/atomic_file.ts";
import { BlockReader } from "../io/block_reader.ts";
import { CsvChunkParser, describeRecordStatus, fieldText, RECORD_OK } from "../io/csv_parse.ts";
import { findColumns } from "../io/csv_header.ts";
import { csvLine } from "../io/csv_write.ts";
import { CsvRecordTooLargeError, DEFAULT_MAX_RECORD_BYTES } from "../io/csv_stream.ts";
import { isGzipPath, openInputBytes, stripBom } from "../io/input_bytes.ts";
import { RowGroupFileWriter } from "../io/row_group_encoder.ts";
import { loadLookups } from "../lookups/load_lookups.ts";
import type { ChunkOutput, ChunkScan, CleanerSetup } from "./chunk_cleaner.ts";
import { REQUIRED_COLUMNS } from "./chunk_cleaner.ts";
import { inputStem } from "./clean_schema.ts";
import { cleanConfig } from "./config.ts";
import { cleanSchema, type WorkerReply, type WorkerRequest } from "./_clean_protocol.ts";
import type { ClaimJudge } from "./dedup/claim_judge.ts";
import { type DedupPlan, DEFAULT_DEDUP_BUDGET_BYTES, planDedup } from "./dedup/dedup_plan.ts";
import { DedupBudgetExceeded } from "./dedup/key_set.ts";
import { ANOMALY_FLAGS, REJECTION_REASONS, type RejectionReason } from "./rules/reasons.ts";

export interface CleanDataOptions {
  /** The input CSV (`.csv` or `.csv.gz`). */
  input: string;
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
  /** Run every rule and count, but write nothing (`update-lookups` uses it). */
  dryRun?: boolean;
  /** No progress on stderr. */
  quiet?: boolean;
  /** Called as rows are written (for the dashboard's live progress). */
  onProgress?: (progress: CleanProgress) => void;
  /** Bytes per block handed to a worker; the default suits 2 cores. */
  blockBytes?: number;
  /**
   * A record still open after this many bytes stops the run (an unclosed quote would otherwise
   * swallow the rest of the file into memory). Default 64 MiB, as for every CSV reader here.
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

/** The report JSON (DESIGN §4), plus where the outputs went. */
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
  input: string;
  output: string | null;
  rejected: string | null;
  /** Whether zero quantities were kept, so a re-run can clean the same way. */
  keep_zero_quantity: boolean;
}

export interface CleanDataResult {
  report: CleanReport;
  /** Where the report was written (undefined on a dry run). */
  reportPath?: string;
}

/**
 * Default block size: ~110k rows of a typical sales export, so row groups of ~100k clean rows
 * (DESIGN §4: sized for streaming reads), while the blocks in flight keep RSS well under 1 GiB.
 */
const DEFAULT_BLOCK_BYTES = 12 << 20;
const LINE_FEED = 0x0a;

/** Output paths for an input, per DESIGN §1/§4. */
export function cleanOutputPaths(options: CleanDataOptions): {
  output: string;
  rejected: string;
  report: string;
} {
  const dataDir = options.dataDir ?? "data";
  const stem = inputStem(options.input);
  return {
    output: options.output ?? join(dataDir, "clean", `${stem}_clean.parquet`),
    rejected: join(options.rejectedDir ?? join(dataDir, "rejected"), `${stem}_rejected.csv`),
    report: join(options.reportDir ?? join(dataDir, "reports"), `${stem}_clean_report.json`),
  };
}

interface Chunk {
  buffer?: SharedArrayBuffer;
  begin: number;
  end: number;
  final: boolean;
  /** True once the block was re-scanned with its predecessor's open tail in front. */
  hasCarry: boolean;
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

async function cleanOnce(
  options: CleanDataOptions,
  startedAt: number,
  census: boolean,
): Promise<CleanDataResult> {
  const asOf = options.asOf ?? todayIso();
  const lookups = await loadLookups(options.lookupsDir ?? "lookups");
  const paths = cleanOutputPaths(options);
  const dryRun = options.dryRun ?? false;
  const saveRejected = !dryRun && (options.saveRejected ?? true);
  const blockBytes = options.blockBytes ?? DEFAULT_BLOCK_BYTES;

  const input = await openInputBytes(options.input);
  const compressed = isGzipPath(options.input);
  const reader = new BlockReader(input.stream);
  const progressOptions = {
    label: "clean-data",
    totalBytes: input.totalBytes,
    quiet: options.quiet,
  };
  let progress = new Progress(progressOptions);

  // The header: the first non-empty record. Nothing is written unless it names every column.
  let view = new Uint8Array(new SharedArrayBuffer(blockBytes));
  let filled = await reader.fill(view, 0);
  // Decompressed bytes read, to turn bytes processed into a share of the (compressed) file.
  let rawBytesRead = filled;
  let endOfInput = filled < view.length;
  const headerParser = new CsvChunkParser();
  let header = headerParser.parse(view, stripBom(view.subarray(0, filled)), filled, {
    fieldCount: 0,
    firstLine: 1,
    final: endOfInput,
    maxRecords: 1,
  });
  while (header.count === 0 && !endOfInput) {
    const larger = new Uint8Array(new SharedArrayBuffer(view.length * 2));
    larger.set(view.subarray(0, filled));
    view = larger;
    const more = await reader.fill(view, filled);
    filled += more;
    rawBytesRead += more;
    endOfInput = filled < view.length;
    header = headerParser.parse(view, stripBom(view.subarray(0, filled)), filled, {
      fieldCount: 0,
      firstLine: 1,
      final: endOfInput,
      maxRecords: 1,
    });
  }
  if (header.count === 0) {
    await reader.cancel();
    throw new UserError(
      `${options.input} has no header row (the file is empty). ` +
        `Expected a header naming: ${REQUIRED_COLUMNS.join(", ")}.`,
    );
  }
  if (header.status[0] !== RECORD_OK) {
    await reader.cancel();
    throw new UserError(
      `${options.input}:${header.recordLine[0]}: the header row is malformed ` +
        `(${describeRecordStatus(header.status[0])}). Is this a CSV file?`,
    );
  }
  const headerFields = Array.from(
    { length: header.fieldCount },
    (_, field) => fieldText(header, 0, field),
  );
  let columnPositions: number[];
  try {
    columnPositions = findColumns(headerFields, REQUIRED_COLUMNS, options.input);
  } catch (error) {
    await reader.cancel();
    throw error;
  }

  const setup: CleanerSetup = {
    fieldCount: headerFields.length,
    columnPositions,
    encodeParquet: !dryRun,
    config: cleanConfig(lookups, {
      dropZeroQuantity: !(options.keepZeroQuantity ?? false),
      saveRejectedRows: saveRejected,
      asOf,
    }),
  };

  const workerCount = Math.max(1, options.workers ?? defaultWorkers());
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  let dedup: DedupPlan;
  try {
    dedup = await planDedup({
      input: options.input,
      setup,
      firstBlock: view.subarray(header.consumed, filled),
      wholeInput: endOfInput,
      dataStart: header.consumed,
      firstLine: header.nextLine,
      workers: workerCount,
      blockBytes,
      maxRecordBytes,
      budgetBytes: options.dedupBudgetBytes ?? DEFAULT_DEDUP_BUDGET_BYTES,
      spillDir: options.spillDir,
      census,
      quiet: options.quiet,
      totalBytes: compressed ? undefined : input.totalBytes,
    });
  } catch (error) {
    await reader.cancel();
    throw error;
  }
  setup.claimKeys = dedup.claimKeys;
  // After a census pass, rates and ETAs count from the start of the clean pass.
  if (dedup.mode === "census") progress = new Progress(progressOptions);

  const parquetFile = dryRun ? undefined : await AtomicFile.create(paths.output);
  const rejectedFile = saveRejected ? await AtomicFile.create(paths.rejected) : undefined;
  const parquet = parquetFile ? new RowGroupFileWriter(parquetFile, cleanSchema()) : undefined;
  rejectedFile?.writeSync(
    new TextEncoder().encode(csvLine([...headerFields, "rejection_reason", "source_line"])),
  );

  const run = new CleanRun(workerCount, setup, dedup.judge, {
    input: options.input,
    maxRecordBytes,
    parquet,
    rejectedFile,
    onWritten: (rows, rawBytesDone) => {
      // Progress follows rows written, not bytes read ahead into blocks still in flight. A .gz
      // file's size counts compressed bytes: scale by the compression seen so far.
      const done = header.consumed + rawBytesDone;
      const fileBytesDone = compressed
        ? Math.round(done * input.bytesRead() / Math.max(rawBytesRead, 1))
        : done;
      const state = { rows, bytes: fileBytesDone, totalBytes: input.totalBytes };
      progress.update(state);
      options.onProgress?.(state);
    },
  });

  try {
    run.lineBase = header.nextLine;
    let begin = header.consumed;
    while (true) {
      if (endOfInput) {
        await run.dispatch(view, begin, filled, true);
        break;
      }
      let cut = filled - 1;
      while (cut >= begin && view[cut] !== LINE_FEED) cut--;
      if (cut < begin) {
        // One record longer than a block: grow the block until its end is in sight.
        const larger = new Uint8Array(new SharedArrayBuffer(view.length * 2));
        larger.set(view.subarray(begin, filled));
        filled -= begin;
        begin = 0;
        view = larger;
      } else {
        await run.dispatch(view, begin, cut + 1, false);
        const next = new Uint8Array(new SharedArrayBuffer(Math.max(blockBytes, filled - cut)));
        next.set(view.subarray(cut + 1, filled));
        filled -= cut + 1;
        begin = 0;
        view = next;
      }
      const read = await reader.fill(view, filled);
      filled += read;
      rawBytesRead += read;
      endOfInput = filled < view.length;
    }
    await run.finished();
    parquet?.finish();
    await parquetFile?.commit();
    await rejectedFile?.commit();
  } catch (error) {
    run.terminate();
    await reader.cancel();
    // In reverse order of creation, so directories made for them are removed once empty.
    await rejectedFile?.abort();
    await parquetFile?.abort();
    throw error;
  } finally {
    run.terminate();
  }

  const durationSeconds = (performance.now() - startedAt) / 1000;
  const report: CleanReport = {
    input_rows: run.inputRows,
    clean_rows: run.cleanRows,
    rejected_rows: run.inputRows - run.cleanRows,
    reasons: Object.fromEntries(
      REJECTION_REASONS.map((reason, index) => [reason, run.reasonCounts[index]]),
    ) as Record<RejectionReason, number>,
    anomalies: Object.fromEntries(ANOMALY_FLAGS.map((flag) => [flag, run.heavyDiscountRows])),
    lookups: lookups.fileHashes,
    as_of: asOf,
    duration_s: round3(durationSeconds),
    rows_per_s: Math.round(run.inputRows / Math.max(durationSeconds, 1e-9)),
    peak_rss_bytes: peakRssBytes(),
    input: options.input,
    output: dryRun ? null : paths.output,
    rejected: saveRejected ? paths.rejected : null,
    keep_zero_quantity: options.keepZeroQuantity ?? false,
  };
  progress.finish(
    `clean-data: ${report.input_rows.toLocaleString("en-US")} rows in ${
      report.duration_s.toFixed(1)
    }s (${report.rows_per_s.toLocaleString("en-US")} rows/s)`,
  );
  if (dryRun) return { report };
  await writeFileAtomic(paths.report, `${JSON.stringify(report, null, 2)}\n`);
  return { report, reportPath: paths.report };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

interface RunOutputs {
  input: string;
  maxRecordBytes: number;
  parquet?: RowGroupFileWriter;
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

  #scan(chunkId: number, chunk: Chunk): void {
    this.#busy[chunk.worker]++;
    this.#post(chunk.worker, {
      type: "scan",
      chunkId,
      buffer: chunk.buffer!,
      begin: chunk.begin,
      end: chunk.end,
      final: chunk.final,
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
      const duplicates = this.#judge.judge(scan);
      this.#post(chunk.worker, {
        type: "finish",
        chunkId,
        duplicates,
        firstLine: this.lineBase,
      }, [duplicates.buffer]);
      this.lineBase += scan.lineFeeds;
      chunk.bytesConsumed = scan.consumed - chunk.begin;
      this.#carry = scan.consumed < chunk.end
        ? new Uint8Array(chunk.buffer!, scan.consumed, chunk.end - scan.consumed).slice()
        : undefined;
      if (this.#carry && this.#carry.length > this.#outputs.maxRecordBytes) {
        const tooLarge = new CsvRecordTooLargeError(this.lineBase, this.#outputs.maxRecordBytes);
        throw new UserError(
          `${this.#outputs.input}:${this.lineBase}: ${tooLarge.message}. ` +
            `Check the quotes on that line.`,
          { cause: tooLarge },
        );
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
      if (output.rejectedCsv.length) this.#outputs.rejectedFile?.writeSync(output.rejectedCsv);
      this.inputRows += output.records;
      this.cleanRows += output.cleanRows;
      this.heavyDiscountRows += output.heavyDiscountRows;
      for (let reason = 0; reason < output.reasonCounts.length; reason++) {
        this.reasonCounts[reason] += output.reasonCounts[reason];
      }
      this.#chunks.delete(this.#nextWrite);
      this.#nextWrite++;
      this.#rawBytesDone += chunk.bytesConsumed;
      this.#outputs.onWritten(this.inputRows, this.#rawBytesDone);
    }
    this.#wakeUp();
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
