/**
 * The state machine behind `CsvParseStream`: takes the input's chunks as they come and hands back
 * batches of complete records, each batch indexing into one `Uint8Array`.
 *
 * A record split across two chunks is the only thing copied: the incomplete tail of one chunk is
 * joined with just enough of the next chunk to finish it, and the rest of that chunk is parsed in
 * place. Chunks smaller than `minBatchBytes` are first gathered into one buffer (a copy), so a
 * source with small chunks (gzip) still gives batches worth handing to a worker.
 */
import { type ParseChunkResult, parseCsvChunk } from "./csv_parse.ts";
import { stripBom } from "./input_bytes.ts";

export interface CsvChunkerOptions {
  /** The first non-empty record is the header: it comes out alone, as the first batch, and sets
   * the field count of every later batch. Default true. */
  header?: boolean;
  /** Without a header: fields per record; 0 (default) takes the first record's count. */
  fieldCount?: number;
  /** Chunks are gathered until at least this many bytes before parsing. Default 1 MiB. */
  minBatchBytes?: number;
  /** A record that grows beyond this without ending stops the parse. Default 64 MiB. */
  maxRecordBytes?: number;
}

/** A record grew past `maxRecordBytes` without ending: most likely a quote opened and never closed. */
export class CsvRecordTooLargeError extends Error {
  constructor(readonly line: number, readonly maxRecordBytes: number) {
    super(
      `the record starting at line ${line} runs past ${
        formatBytes(maxRecordBytes)
      } without ending; a quote was probably opened and never closed`,
    );
    this.name = "CsvRecordTooLargeError";
  }
}

const DEFAULT_MIN_BATCH_BYTES = 1 << 20;
export const DEFAULT_MAX_RECORD_BYTES = 64 << 20;
/** The first slice of a new chunk tried when finishing a split record; doubled until it fits. */
const FIRST_JOIN_BYTES = 4096;
const EMPTY = new Uint8Array(0);

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

  constructor(options: CsvChunkerOptions = {}) {
    this.#header = options.header ?? true;
    this.#fieldCount = this.#header ? 0 : options.fieldCount ?? 0;
    this.#minBatchBytes = Math.max(1, options.minBatchBytes ?? DEFAULT_MIN_BATCH_BYTES);
    this.#maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  /** Takes the next chunk of input; returns the batches it completes (often none or one). */
  push(chunk: Uint8Array): ParseChunkResult[] {
    if (chunk.length === 0) return [];
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    // Waiting for as many new bytes as the tail holds keeps a huge record linear, not quadratic.
    if (this.#pendingBytes < Math.max(this.#minBatchBytes, this.#tail.length)) return [];
    return this.#process(false);
  }

  /** The end of the input: returns the remaining batches. */
  finish(): ParseChunkResult[] {
    return this.#process(true);
  }

  #process(final: boolean): ParseChunkResult[] {
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

    const batches: ParseChunkResult[] = [];
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
      });
      this.#accept(result, batches);
      offset = result.consumed;
      this.#line = result.nextLine;
      if (!headerPending || result.count === 0) break;
    }
    this.#keepTail(block.subarray(offset));
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
    batches: ParseChunkResult[],
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
      });
      if (result.count > 0) {
        this.#accept(result, batches);
        this.#line = result.nextLine;
        const continueAt = offset + result.consumed - this.#tail.length;
        this.#tail = EMPTY;
        return continueAt;
      }
      if (isWholeBlock) {
        this.#keepTail(joined, true);
        return undefined;
      }
      take = Math.min(available, take * 4);
    }
  }

  #accept(result: ParseChunkResult, batches: ParseChunkResult[]): void {
    if (result.count === 0) return;
    batches.push(result);
    this.#fieldCount = result.fieldCount;
    this.#headerDone = true;
  }

  /** Keeps the incomplete record, copied (unless `owned`) so it never pins a whole chunk. */
  #keepTail(tail: Uint8Array, owned = false): void {
    if (tail.length > this.#maxRecordBytes) {
      throw new CsvRecordTooLargeError(this.#line, this.#maxRecordBytes);
    }
    this.#tail = tail.length === 0 ? EMPTY : owned ? tail : new Uint8Array(tail);
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

function formatBytes(bytes: number): string {
  return bytes >= 2 ** 20 ? `${Math.round(bytes / 2 ** 20)} MiB` : `${bytes} bytes`;
}

function isBomPrefix(bytes: Uint8Array): boolean {
  const bom = [0xef, 0xbb, 0xbf];
  return bytes.every((byte, index) => byte === bom[index]);
}
