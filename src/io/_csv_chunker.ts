/**
 * The state machine behind `CsvParseStream`: takes the input's chunks as they come and hands back
 * batches of complete records, each batch indexing into one `Uint8Array`.
 *
 * A record split across two chunks is the only thing copied: the incomplete tail of one chunk is
 * joined with just enough of the next chunk to finish it, and the rest of that chunk is parsed in
 * place. Chunks smaller than `minBatchBytes` are first gathered into one buffer (a copy), so a
 * source with small chunks (gzip) still gives batches worth handing to a worker.
 *
 * Memory stays bounded whatever the input: a record that grows past `maxRecordBytes` comes out as
 * one `MALFORMED_TOO_LONG` record holding only its first bytes, and the rest of it is skipped
 * byte by byte ({@linkcode skipRecord}) without being kept. The line end (LF or CR) is decided
 * from the first line end outside quotes ({@linkcode detectLineEnd}).
 */
import {
  type CsvRecordBatch,
  DEFAULT_MAX_RECORD_BYTES,
  detectLineEnd,
  LF,
  MALFORMED_TOO_LONG,
  parseCsvChunk,
  SKIP_FIELD_START,
  skipRecord,
  TOO_LONG_PREFIX_BYTES,
} from "./csv_parse.ts";
import { stripBom } from "./input_bytes.ts";

/** How a {@linkcode CsvChunker} reads: header or not, batch size, record size limit. */
export interface CsvChunkerOptions {
  /** The first non-empty record is the header: it comes out alone, as the first batch, and sets
   * the field count of every later batch. Default true. */
  header?: boolean;
  /** Without a header: fields per record; 0 (default) takes the first record's count. */
  fieldCount?: number;
  /** Chunks are gathered until at least this many bytes before parsing. Default 1 MiB. */
  minBatchBytes?: number;
  /** A record longer than this is one `MALFORMED_TOO_LONG` record, its text cut. Default 64 MiB. */
  maxRecordBytes?: number;
}

export { DEFAULT_MAX_RECORD_BYTES };

const DEFAULT_MIN_BATCH_BYTES = 1 << 20;
/** The first slice of a new chunk tried when finishing a split record; doubled until it fits. */
const FIRST_JOIN_BYTES = 4096;
const EMPTY = new Uint8Array(0);

/**
 * The state machine behind {@linkcode CsvParseStream}: takes chunks of bytes in any sizes and
 * returns batches of whole records, carrying a record split across chunks into the next batch.
 */
export class CsvChunker {
  readonly #header: boolean;
  readonly #minBatchBytes: number;
  readonly #maxRecordBytes: number;
  #headerDone = false;
  #fieldCount: number;
  #bomChecked = false;
  /** The start of an incomplete record, left over from the previous parse. */
  #tail: Uint8Array = EMPTY;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  /** source_line of the first byte of `#tail` (or of the pending bytes when there is no tail). */
  #line = 1;
  /** LF, or CR in a CR-only file; undefined until the first line end outside quotes is seen. */
  #lineEnd: number | undefined;
  /** Pending bytes to wait for before looking for the first line end again. */
  #detectWait = 0;
  /** While the rest of a record over the limit is being skipped: the skipping state. */
  #skipState: number | undefined;

  /** A chunker reading as `options` say (a header first, by default). */
  constructor(options: CsvChunkerOptions = {}) {
    this.#header = options.header ?? true;
    this.#fieldCount = this.#header ? 0 : options.fieldCount ?? 0;
    this.#minBatchBytes = Math.max(1, options.minBatchBytes ?? DEFAULT_MIN_BATCH_BYTES);
    this.#maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  /** Takes the next chunk of input; returns the batches it completes (often none or one). */
  push(chunk: Uint8Array): CsvRecordBatch[] {
    if (chunk.length === 0) return [];
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    // Waiting for as many new bytes as the tail holds keeps a huge record linear, not quadratic;
    // but never for more than it takes to pass the record limit.
    const tailWait = Math.min(this.#tail.length, this.#maxRecordBytes + 1 - this.#tail.length);
    if (this.#pendingBytes < Math.max(this.#minBatchBytes, tailWait, this.#detectWait)) return [];
    return this.#process(false);
  }

  /** The end of the input: returns the remaining batches. */
  finish(): CsvRecordBatch[] {
    return this.#process(true);
  }

  #process(final: boolean): CsvRecordBatch[] {
    const block = this.#takePending();
    let offset = 0;
    if (!this.#bomChecked) {
      // A BOM split across chunks: wait for its three bytes.
      if (!final && block.length < 3 && isBomPrefix(block)) {
        this.#pending = [block];
        this.#pendingBytes = block.length;
        return [];
      }
      this.#bomChecked = true;
      offset = stripBom(block);
    }
    if (this.#lineEnd === undefined) {
      const lineEnd = detectLineEnd(block, offset, block.length, final);
      if (lineEnd === undefined && block.length - offset <= this.#maxRecordBytes) {
        // No line end yet: wait for twice as much, so the search stays linear.
        const rest = block.subarray(offset);
        this.#pending = [rest];
        this.#pendingBytes = rest.length;
        this.#detectWait = rest.length * 2;
        return [];
      }
      this.#lineEnd = lineEnd ?? LF;
      this.#detectWait = 0;
    }

    const batches: CsvRecordBatch[] = [];
    if (this.#skipState !== undefined) {
      const skipped = skipRecord(block, offset, block.length, this.#skipState, this.#lineEnd);
      this.#line += skipped.lineEnds;
      if (skipped.next < 0) {
        // The whole block belongs to the record; at the end of input the record ends with it.
        this.#skipState = final ? undefined : skipped.state;
        return batches;
      }
      this.#skipState = undefined;
      offset = skipped.next;
    }
    if (this.#tail.length > 0) {
      const joined = this.#finishSplitRecord(block, offset, final, batches);
      if (joined === undefined) return batches;
      offset = joined;
    }

    for (;;) {
      const headerPending = this.#header && !this.#headerDone;
      const result = parseCsvChunk(block, offset, block.length, {
        fieldCount: this.#fieldCount,
        firstLine: this.#line,
        final,
        maxRecords: headerPending ? 1 : undefined,
        lineEnd: this.#lineEnd,
        maxRecordBytes: this.#maxRecordBytes,
      });
      this.#accept(result, batches);
      offset = result.consumed;
      this.#line = result.nextLine;
      if (!headerPending || result.count === 0) break;
    }
    this.#keepTail(block.subarray(offset), batches);
    return batches;
  }

  /**
   * Completes the record that `#tail` starts, using as little of `block` as it needs. Returns where
   * parsing continues in `block`, or undefined when the whole block went into the tail.
   */
  #finishSplitRecord(
    block: Uint8Array,
    offset: number,
    final: boolean,
    batches: CsvRecordBatch[],
  ): number | undefined {
    const available = block.length - offset;
    let take = Math.min(available, Math.max(FIRST_JOIN_BYTES, this.#tail.length));
    for (;;) {
      const joined = new Uint8Array(this.#tail.length + take);
      joined.set(this.#tail);
      joined.set(block.subarray(offset, offset + take), this.#tail.length);
      const isWholeBlock = take === available;
      const result = parseCsvChunk(joined, 0, joined.length, {
        fieldCount: this.#fieldCount,
        firstLine: this.#line,
        final: final && isWholeBlock,
        maxRecords: 1,
        lineEnd: this.#lineEnd,
        maxRecordBytes: this.#maxRecordBytes,
      });
      if (result.count > 0) {
        this.#accept(result, batches);
        this.#line = result.nextLine;
        const continueAt = offset + result.consumed - this.#tail.length;
        this.#tail = EMPTY;
        return continueAt;
      }
      if (isWholeBlock) {
        // Still open: kept, or (past the limit) given out cut and skipped from the next block on.
        this.#keepTail(joined, batches, true);
        return undefined;
      }
      take = Math.min(available, take * 4);
    }
  }

  #accept(result: CsvRecordBatch, batches: CsvRecordBatch[]): void {
    if (result.count === 0) return;
    batches.push(result);
    this.#fieldCount = result.fieldCount;
    this.#headerDone = true;
  }

  /**
   * Keeps the incomplete record, copied (unless `owned`) so it never pins a whole chunk. One past
   * the record limit comes out as a {@linkcode MALFORMED_TOO_LONG} record of its first bytes, and
   * the rest of it is skipped from here on.
   */
  #keepTail(tail: Uint8Array, batches: CsvRecordBatch[], owned = false): void {
    if (tail.length <= this.#maxRecordBytes) {
      this.#tail = tail.length === 0 ? EMPTY : owned ? tail : new Uint8Array(tail);
      return;
    }
    this.#accept(this.#tooLongRecord(tail), batches);
    const skipped = skipRecord(tail, 0, tail.length, SKIP_FIELD_START, this.#lineEnd ?? LF);
    this.#line += skipped.lineEnds;
    this.#skipState = skipped.state;
    this.#tail = EMPTY;
  }

  /** A one-record batch standing for a record over the limit: its first bytes, cut later. */
  #tooLongRecord(recordStart: Uint8Array): CsvRecordBatch {
    const prefix = recordStart.slice(0, Math.min(TOO_LONG_PREFIX_BYTES + 4, recordStart.length));
    const fieldCount = Math.max(this.#fieldCount, 1);
    return {
      source: prefix,
      count: 1,
      fieldCount,
      status: Uint8Array.of(MALFORMED_TOO_LONG),
      fieldStart: new Int32Array(fieldCount),
      fieldEnd: new Int32Array(fieldCount),
      fieldFlags: new Uint8Array(fieldCount),
      recordStart: Int32Array.of(0),
      recordEnd: Int32Array.of(prefix.length),
      recordLine: Float64Array.of(this.#line),
      lineEnd: this.#lineEnd ?? LF,
      maxRecordBytes: this.#maxRecordBytes,
    };
  }

  #takePending(): Uint8Array {
    const pending = this.#pending;
    this.#pending = [];
    const length = this.#pendingBytes;
    this.#pendingBytes = 0;
    if (pending.length === 0) return EMPTY;
    if (pending.length === 1) return pending[0];
    const block = new Uint8Array(length);
    let offset = 0;
    for (const chunk of pending) {
      block.set(chunk, offset);
      offset += chunk.length;
    }
    return block;
  }
}

function isBomPrefix(bytes: Uint8Array): boolean {
  const bom = [0xef, 0xbb, 0xbf];
  return bytes.every((byte, index) => byte === bom[index]);
}
