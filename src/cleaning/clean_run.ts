/**
 * One input file's clean pass: blocks cut at line ends go to the workers of an
 * {@linkcode OrderedPool}, are judged (rule 2, line numbers) in input order as their scans come
 * back, and their row groups and rejected rows are written in input order as they are finished.
 */
import { csvLine } from "../io/csv_write.ts";
import {
  SKIP_FIELD_START,
  skipRecord,
  TOO_LONG_PREFIX_BYTES,
  tooLongRawText,
} from "../io/csv_parse.ts";
import { InOrder, OrderedPool } from "../io/ordered_pool.ts";
import type { AtomicFile } from "../io/atomic_file.ts";
import type { RowGroupFileWriter } from "../io/row_group_encoder.ts";
import type { ChunkOutput, ChunkScan, CleanerSetup } from "./chunk_cleaner.ts";
import type { WorkerReply, WorkerRequest } from "./_clean_protocol.ts";
import type { ClaimJudge } from "./dedup/claim_judge.ts";
import type { MonthPartitions } from "./clean_outputs.ts";
import type { OpenedInput } from "./clean_input.ts";
import { REJECTION_REASONS } from "./rules/reasons.ts";
import { type InputBlock, inputBlock, prependCarry } from "./_input_block.ts";

interface Chunk extends InputBlock {
  /** Set when the block ended inside a record over the limit: that record's rejected row. */
  tooLongAfter?: { line: number; prefix: Uint8Array };
  /** Input bytes of the records this block held (its carry included, its open tail not). */
  bytesConsumed: number;
}

/** Streams one opened input through a run: blocks cut at line ends, in order. */
export async function cleanFile(
  run: CleanRun,
  opened: OpenedInput,
  blockBytes: number,
): Promise<void> {
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

export interface RunOutputs {
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
export class CleanRun {
  lineBase = 1;
  inputRows = 0;
  cleanRows = 0;
  heavyDiscountRows = 0;
  readonly reasonCounts = new Array<number>(REJECTION_REASONS.length).fill(0);

  readonly #pool: OrderedPool<WorkerRequest, WorkerReply>;
  readonly #outputs: RunOutputs;
  readonly #judge: ClaimJudge;
  readonly #chunks = new Map<number, Chunk>();
  /** Blocks scanned, to be judged in input order. */
  readonly #scanned = new InOrder<ChunkScan>();
  /** Blocks finished, to be written in input order. */
  readonly #finished = new InOrder<ChunkOutput>();
  #carry: Uint8Array | undefined;
  /** While a record over the limit is being skipped: the state to skip the next block with. */
  #skipState: number | undefined;
  #rawBytesDone = 0;

  constructor(workerCount: number, setup: CleanerSetup, judge: ClaimJudge, outputs: RunOutputs) {
    this.#outputs = outputs;
    this.#judge = judge;
    this.#pool = new OrderedPool({
      script: new URL("./clean_worker.ts", import.meta.url),
      name: "clean-data worker",
      workers: workerCount,
      // One block per worker being worked on plus one queued each keeps both cores busy; more
      // only holds memory.
      maxInFlight: workerCount * 2,
      onReply: (reply, worker) => this.#onReply(worker, reply),
    });
    for (let index = 0; index < this.#pool.size; index++) {
      this.#pool.post(index, { type: "setup", setup });
    }
  }

  /** Hands a block to a worker, waiting while too many are in flight. */
  async dispatch(view: Uint8Array, begin: number, end: number, final: boolean): Promise<void> {
    const chunkId = await this.#pool.begin();
    const chunk: Chunk = {
      ...inputBlock(view, begin, end, final, this.#pool.assign()),
      bytesConsumed: 0,
    };
    this.#chunks.set(chunkId, chunk);
    this.#scan(chunkId, chunk);
  }

  /** Resolves when every dispatched block is written. */
  finished(): Promise<void> {
    return this.#pool.drained();
  }

  terminate(): void {
    this.#pool.terminate();
  }

  #scan(chunkId: number, chunk: Chunk, skipState?: number): void {
    this.#pool.post(chunk.worker, {
      type: "scan",
      chunkId,
      buffer: chunk.buffer!,
      begin: chunk.begin,
      end: chunk.end,
      final: chunk.final,
      skipState,
    });
  }

  /**
   * Sends a block scanned too early back to be scanned again by the least busy worker, with the
   * previous block's open tail in front or skipping the rest of a record over the limit.
   */
  #rescan(chunkId: number, chunk: Chunk, carry?: Uint8Array, skipState?: number): void {
    this.#pool.post(chunk.worker, { type: "discard", chunkId });
    this.#pool.release(chunk.worker);
    this.#scanned.drop();
    const worker = this.#pool.assign();
    if (carry) prependCarry(chunk, carry, worker);
    else Object.assign(chunk, { hasCarry: true, worker });
    this.#scan(chunkId, chunk, skipState);
  }

  #onReply(worker: number, reply: WorkerReply): void {
    if (!this.#chunks.has(reply.chunkId)) {
      throw new Error(`reply for unknown chunk ${reply.chunkId}`);
    }
    if (reply.type === "scanned") {
      this.#scanned.put(reply.chunkId, reply.scan);
      this.#validateInOrder();
    } else {
      this.#pool.release(worker);
      this.#finished.put(reply.chunkId, reply.output);
      this.#writeInOrder();
    }
  }

  /** Rule 2 and line numbers, block by block in input order. */
  #validateInOrder(): void {
    while (true) {
      const scan = this.#scanned.peek();
      if (!scan) return;
      const chunkId = this.#scanned.next;
      const chunk = this.#chunks.get(chunkId)!;
      if (this.#carry && !chunk.hasCarry) {
        // The previous block ended inside a quoted field: this block did not start at a record.
        const carry = this.#carry;
        this.#carry = undefined;
        this.#rescan(chunkId, chunk, carry);
        return;
      }
      if (this.#skipState !== undefined && !chunk.hasCarry) {
        // The previous block ended inside a record over the limit: skip the rest of it first.
        this.#rescan(chunkId, chunk, undefined, this.#skipState);
        return;
      }
      this.#scanned.take();
      const duplicates = this.#judge.judge(scan);
      this.#pool.post(chunk.worker, {
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
    }
  }

  /** Row groups and rejected rows, block by block in input order. */
  #writeInOrder(): void {
    while (true) {
      const chunkId = this.#finished.next;
      const output = this.#finished.take();
      if (!output) break;
      const chunk = this.#chunks.get(chunkId)!;
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
      this.#chunks.delete(chunkId);
      this.#pool.complete();
      this.#rawBytesDone += chunk.bytesConsumed;
      this.#outputs.onWritten(this.inputRows, this.#rawBytesDone);
    }
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
}
