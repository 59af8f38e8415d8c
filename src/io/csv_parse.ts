/**
 * The CSV reader's core: a synchronous, byte-level parser that turns a range of a `Uint8Array`
 * into records described by offsets (docs/cleaning.md, "Inputs").
 *
 * Nothing on the hot path makes a string: each field is a `[start, end)` pair into the source bytes
 * plus a few flag bits, written into typed arrays that a {@linkcode CsvChunkParser} reuses between
 * calls. Strings are made only when a caller asks for one ({@linkcode fieldText}).
 *
 * Semantics, in short: records end at LF, CR LF or end of input outside quotes (a lone CR is data);
 * in a CR-only file (`lineEnd: CR`, see {@linkcode detectLineEnd}) they end at CR and an LF is data;
 * a record longer than `maxRecordBytes` is malformed whatever it holds;
 * empty physical lines between records are skipped but use up a line number; a field is quoted only
 * when its first byte is `"`; `""` inside quotes is one quote; a `"` inside an unquoted field is
 * literal; after a closing quote only `,` LF CR-LF or end of input may follow. Records that break a
 * rule are still reported, with a `MALFORMED_*` status, so the caller can reject them and go on.
 *
 * @example Parse a whole buffer
 * ```ts
 * const bytes = new TextEncoder().encode("id,name\n1,\"Smith, J\"\n");
 * const header = parseCsvChunk(bytes, 0, bytes.length, { fieldCount: 0, firstLine: 1, final: true, maxRecords: 1 });
 * const rows = parseCsvChunk(bytes, header.consumed, bytes.length, {
 *   fieldCount: header.fieldCount, firstLine: header.nextLine, final: true,
 * });
 * fieldText(rows, 0, 1); // "Smith, J"
 * ```
 */
import { isValidUtf8 } from "./_csv_utf8.ts";

/** A well-formed record. */
export const RECORD_OK = 0;
/** The record's field count is unlike the header's. */
export const MALFORMED_FIELD_COUNT = 1;
/** Something other than `,` LF CR-LF or end of input followed a closing quote; the record ends at
 * the end of that physical line. */
export const MALFORMED_AFTER_QUOTE = 2;
/** The input ended inside quotes: everything from the record's start is one record. */
export const MALFORMED_UNTERMINATED = 3;
/** The record holds invalid UTF-8 (strict). */
export const MALFORMED_UTF8 = 4;
/** The record is longer than the record limit; its raw text is cut ({@linkcode malformedRawText}). */
export const MALFORMED_TOO_LONG = 5;

/** The record limit every reader uses unless told otherwise: 64 MiB. */
export const DEFAULT_MAX_RECORD_BYTES = 64 << 20;
/** Bytes of an over-long record kept as its raw text, before the cut marker. */
export const TOO_LONG_PREFIX_BYTES = 4096;

/** The field was quoted in the input (its offsets exclude the quotes). */
export const FIELD_QUOTED = 1;
/** The field's bytes hold `""` pairs that stand for one `"` each. */
export const FIELD_ESCAPED_QUOTE = 2;
/** The field holds a byte ≥ 0x80. */
export const FIELD_NON_ASCII = 4;

/** Records described by offsets into `source`. Only `[0, count)` of each array is valid. */
export interface CsvRecordBatch {
  /** The bytes every offset indexes into (the array passed to the parser; not a copy). */
  source: Uint8Array;
  /** Records in the batch, well-formed and malformed; blank lines are not records. */
  count: number;
  /** Fields per well-formed record. */
  fieldCount: number;
  /** `[count]` {@linkcode RECORD_OK} or a `MALFORMED_*` code. */
  status: Uint8Array;
  /** `[count * fieldCount]` first content byte of each field (after an opening quote). For
   * malformed records the field arrays are unspecified: use {@linkcode malformedRawText}. */
  fieldStart: Int32Array;
  /** `[count * fieldCount]` end of each field's content, exclusive (before a closing quote). */
  fieldEnd: Int32Array;
  /** `[count * fieldCount]` `FIELD_QUOTED | FIELD_ESCAPED_QUOTE | FIELD_NON_ASCII`. */
  fieldFlags: Uint8Array;
  /** `[count]` first byte of each record. */
  recordStart: Int32Array;
  /** `[count]` end of the record's last physical line, exclusive (before LF or CR LF). */
  recordEnd: Int32Array;
  /** `[count]` source_line: 1 + the number of line-end bytes in the whole input before
   * `recordStart` (LF, or CR in a CR-only file). */
  recordLine: Float64Array;
  /** The byte that ends lines: LF, or CR in a CR-only file. */
  lineEnd: number;
  /** Records longer than this are {@linkcode MALFORMED_TOO_LONG}. */
  maxRecordBytes: number;
}

/** How to parse one range of bytes. */
export interface ParseChunkOptions {
  /** Expected fields per record; 0 = take the first record's count (used for the header). */
  fieldCount: number;
  /** source_line of the byte at `begin` (1 + line ends before it). */
  firstLine: number;
  /** `end` is the end of the input. */
  final: boolean;
  /** Stop after this many records (the header parse uses 1). */
  maxRecords?: number;
  /** The byte that ends lines: `LF` (default; CR LF too) or `CR` for a CR-only file. */
  lineEnd?: number;
  /** A record longer than this (first byte to the end of its last line) is
   * {@linkcode MALFORMED_TOO_LONG}. Default {@linkcode DEFAULT_MAX_RECORD_BYTES}. */
  maxRecordBytes?: number;
}

/** A parsed range: the records, and where the next parse must start. */
export interface ParseChunkResult extends CsvRecordBatch {
  /** Byte offset just past the last complete record's terminator (and past any blank lines after
   * it). When not `final`, `[consumed, end)` is an incomplete record to prepend to the next chunk. */
  consumed: number;
  /** source_line of the byte at `consumed`. */
  nextLine: number;
}

const COMMA = 0x2c;
const QUOTE = 0x22;
/** Line feed: the usual line end. */
export const LF = 0x0a;
/** Carriage return: the line end of a CR-only file. */
export const CR = 0x0d;

/** Typed arrays start this small and double, so tiny inputs (tests, headers) stay cheap. */
const MINIMUM_RECORD_CAPACITY = 16;
/** A first guess of records per byte for sizing arrays; the generated rows are ~130 bytes. */
const BYTES_PER_RECORD_GUESS = 80;
/** The guess stops here (a 20 MB range of ordinary rows): a huge range is more likely one huge
 * record than millions of small ones, and the arrays still double when records keep coming. */
const MAXIMUM_RECORD_GUESS = 1 << 18;
/** Field and record offsets are stored in `Int32Array`s. */
const MAX_OFFSET = 2 ** 31 - 1;

/**
 * A parser that keeps its typed arrays between calls, so a loop over a large file allocates
 * nothing once the arrays have grown to fit a chunk.
 *
 * With `reuseArrays` (the default) a result's arrays are overwritten by the next `parse` call: copy
 * what you need first. With `reuseArrays: false` every result gets its own arrays (what
 * {@linkcode parseCsvChunk} and the stream use, since their batches outlive the next call).
 */
export class CsvChunkParser {
  #reuseArrays: boolean;
  #recordCapacity = 0;
  #fieldCapacity = 0;
  #status = new Uint8Array(0);
  #recordStart = new Int32Array(0);
  #recordEnd = new Int32Array(0);
  #recordLine = new Float64Array(0);
  #fieldStart = new Int32Array(0);
  #fieldEnd = new Int32Array(0);
  #fieldFlags = new Uint8Array(0);

  /**
   * With `reuseArrays` (the default) each parse reuses the previous batch's arrays, so a batch is
   * valid only until the next parse; without it every batch owns its arrays.
   */
  constructor(options: { reuseArrays?: boolean } = {}) {
    this.#reuseArrays = options.reuseArrays ?? true;
  }

  /** Parses `source[begin, end)`; see {@linkcode parseCsvChunk}. */
  parse(
    source: Uint8Array,
    begin: number,
    end: number,
    options: ParseChunkOptions,
  ): ParseChunkResult {
    if (!(begin >= 0 && begin <= end && end <= source.length)) {
      throw new RangeError(`bad range [${begin}, ${end}) for ${source.length} bytes`);
    }
    if (end > MAX_OFFSET) {
      throw new RangeError(`offsets are Int32: parse at most ${MAX_OFFSET} bytes of one buffer`);
    }
    const maxRecords = options.maxRecords ?? Infinity;
    const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    const final = options.final;
    // The line end, and the byte that may come before it as part of the terminator (CR of CR LF;
    // none in a CR-only file, where an LF is data).
    const lineEnd = options.lineEnd ?? LF;
    const pairFirst = lineEnd === LF ? CR : -1;
    let expectedFields = options.fieldCount;

    const recordGuess = Math.max(
      MINIMUM_RECORD_CAPACITY,
      Math.min(maxRecords, MAXIMUM_RECORD_GUESS, Math.ceil((end - begin) / BYTES_PER_RECORD_GUESS)),
    );
    if (!this.#reuseArrays) this.#recordCapacity = this.#fieldCapacity = 0;
    // Nothing is kept from an earlier call, so these first allocations copy nothing.
    if (this.#recordCapacity < recordGuess) this.#growRecords(recordGuess, false);
    const fieldGuess = recordGuess * Math.max(expectedFields, 1);
    if (this.#fieldCapacity < fieldGuess) this.#growFields(fieldGuess, false);

    let status = this.#status;
    let recordStart = this.#recordStart;
    let recordEnd = this.#recordEnd;
    let recordLine = this.#recordLine;
    let fieldStart = this.#fieldStart;
    let fieldEnd = this.#fieldEnd;
    let fieldFlags = this.#fieldFlags;
    let recordCapacity = this.#recordCapacity;
    let fieldCapacity = this.#fieldCapacity;

    let position = begin;
    let line = options.firstLine;
    let count = 0;
    let fieldCursor = 0;
    let consumed = begin;
    let consumedLine = line;

    records: for (;;) {
      // Blank physical lines are not records, but they use up line numbers.
      while (position < end) {
        const byte = source[position];
        if (byte === lineEnd) {
          position++;
          line++;
        } else if (byte === pairFirst && position + 1 < end && source[position + 1] === lineEnd) {
          position += 2;
          line++;
        } else {
          break;
        }
      }
      consumed = position;
      consumedLine = line;
      if (position >= end || count >= maxRecords) break;

      if (count === recordCapacity) {
        this.#growRecords(recordCapacity * 2);
        status = this.#status;
        recordStart = this.#recordStart;
        recordEnd = this.#recordEnd;
        recordLine = this.#recordLine;
        recordCapacity = this.#recordCapacity;
      }

      const startOfRecord = position;
      const lineOfRecord = line;
      const firstField = fieldCursor;
      let recordBits = 0;
      let recordStatus = RECORD_OK;
      let endOfRecord = end;

      fields: for (;;) {
        if (fieldCursor === fieldCapacity) {
          this.#growFields(fieldCapacity * 2);
          fieldStart = this.#fieldStart;
          fieldEnd = this.#fieldEnd;
          fieldFlags = this.#fieldFlags;
          fieldCapacity = this.#fieldCapacity;
        }

        if (position < end && source[position] === QUOTE) {
          position++;
          const contentStart = position;
          let flags = FIELD_QUOTED;
          let bits = 0;
          // Scan to the closing quote, counting the line breaks the field holds.
          scan: for (;;) {
            if (position >= end) {
              if (!final) break records;
              recordStatus = MALFORMED_UNTERMINATED;
              // The record's last physical line ends before a final line end (LF or CR LF).
              endOfRecord = end;
              if (endOfRecord > startOfRecord && source[endOfRecord - 1] === lineEnd) {
                endOfRecord--;
                if (endOfRecord > startOfRecord && source[endOfRecord - 1] === pairFirst) {
                  endOfRecord--;
                }
              }
              break fields;
            }
            const byte = source[position];
            if (byte === QUOTE) {
              if (position + 1 >= end || source[position + 1] !== QUOTE) break scan;
              flags |= FIELD_ESCAPED_QUOTE;
              position += 2;
              continue;
            }
            if (byte === lineEnd) line++;
            bits |= byte;
            position++;
          }
          // `position` is at the closing quote.
          fieldStart[fieldCursor] = contentStart;
          fieldEnd[fieldCursor] = position;
          fieldFlags[fieldCursor] = flags | ((bits & 0x80) >>> 5);
          fieldCursor++;
          recordBits |= bits;
          position++;
          if (position >= end) {
            // `"abc"` then the end: in a partial chunk the next byte could still be a quote.
            if (!final) break records;
            endOfRecord = end;
            break fields;
          }
          const next = source[position];
          if (next === COMMA) {
            position++;
            continue fields;
          }
          if (next === lineEnd) {
            endOfRecord = position;
            position++;
            line++;
            break fields;
          }
          if (next === pairFirst) {
            if (position + 1 >= end) {
              if (!final) break records;
            } else if (source[position + 1] === lineEnd) {
              endOfRecord = position;
              position += 2;
              line++;
              break fields;
            }
          }
          // Anything else after a closing quote: the record runs to the end of this physical line.
          const lineFeed = source.indexOf(lineEnd, position);
          if (lineFeed < 0 || lineFeed >= end) {
            if (!final) break records;
            endOfRecord = end;
            position = end;
          } else {
            endOfRecord = source[lineFeed - 1] === pairFirst ? lineFeed - 1 : lineFeed;
            position = lineFeed + 1;
            line++;
          }
          recordStatus = MALFORMED_AFTER_QUOTE;
          break fields;
        }

        // Unquoted: only a comma or a line end ends it; a CR right before an LF belongs to the
        // terminator.
        const contentStart = position;
        let bits = 0;
        while (position < end) {
          const byte = source[position];
          if (byte === COMMA || byte === lineEnd) break;
          bits |= byte;
          position++;
        }
        fieldStart[fieldCursor] = contentStart;
        fieldFlags[fieldCursor] = (bits & 0x80) >>> 5;
        recordBits |= bits;
        if (position >= end) {
          if (!final) break records;
          fieldEnd[fieldCursor] = end;
          fieldCursor++;
          endOfRecord = end;
          break fields;
        }
        if (source[position] === COMMA) {
          fieldEnd[fieldCursor] = position;
          fieldCursor++;
          position++;
          continue fields;
        }
        endOfRecord = position > contentStart && source[position - 1] === pairFirst
          ? position - 1
          : position;
        fieldEnd[fieldCursor] = endOfRecord;
        fieldCursor++;
        position++;
        line++;
        break fields;
      }

      const fieldsRead = fieldCursor - firstField;
      if (expectedFields === 0) expectedFields = Math.max(fieldsRead, 1);
      if (endOfRecord - startOfRecord > maxRecordBytes) {
        recordStatus = MALFORMED_TOO_LONG;
      } else if (recordStatus === RECORD_OK) {
        if (fieldsRead !== expectedFields) {
          recordStatus = MALFORMED_FIELD_COUNT;
        } else if ((recordBits & 0x80) !== 0 && !isValidUtf8(source, startOfRecord, endOfRecord)) {
          recordStatus = MALFORMED_UTF8;
        }
      }
      if (fieldsRead !== expectedFields) {
        // Keep the layout `record * fieldCount + field`; the slots of a malformed record are junk.
        fieldCursor = firstField + expectedFields;
        if (fieldCursor > fieldCapacity) {
          this.#growFields(Math.max(fieldCursor, fieldCapacity * 2));
          fieldStart = this.#fieldStart;
          fieldEnd = this.#fieldEnd;
          fieldFlags = this.#fieldFlags;
          fieldCapacity = this.#fieldCapacity;
        }
      }
      status[count] = recordStatus;
      recordStart[count] = startOfRecord;
      recordEnd[count] = endOfRecord;
      recordLine[count] = lineOfRecord;
      count++;
    }

    return {
      source,
      count,
      fieldCount: expectedFields,
      status,
      fieldStart,
      fieldEnd,
      fieldFlags,
      recordStart,
      recordEnd,
      recordLine,
      lineEnd,
      maxRecordBytes,
      consumed,
      nextLine: consumedLine,
    };
  }

  #growRecords(capacity: number, keepContents = true): void {
    const keep = keepContents ? this.#recordCapacity : 0;
    this.#status = grown(this.#status, new Uint8Array(capacity), keep);
    this.#recordStart = grown(this.#recordStart, new Int32Array(capacity), keep);
    this.#recordEnd = grown(this.#recordEnd, new Int32Array(capacity), keep);
    this.#recordLine = grown(this.#recordLine, new Float64Array(capacity), keep);
    this.#recordCapacity = capacity;
  }

  #growFields(capacity: number, keepContents = true): void {
    const keep = keepContents ? this.#fieldCapacity : 0;
    this.#fieldStart = grown(this.#fieldStart, new Int32Array(capacity), keep);
    this.#fieldEnd = grown(this.#fieldEnd, new Int32Array(capacity), keep);
    this.#fieldFlags = grown(this.#fieldFlags, new Uint8Array(capacity), keep);
    this.#fieldCapacity = capacity;
  }
}

function grown<T extends Uint8Array | Int32Array | Float64Array>(
  old: T,
  replacement: T,
  keep: number,
): T {
  // Growth in the middle of a parse keeps what is already written.
  if (keep > 0) replacement.set(old.subarray(0, Math.min(keep, old.length)) as never);
  return replacement;
}

/**
 * How a file's lines end, from its first line end outside quotes in `source[begin, end)`: `CR`
 * when that is a CR not followed by LF (an old Mac export), else `LF` (LF and CR LF files).
 * `undefined` when the range holds no line end outside quotes yet and more input may follow
 * (`final` false); at the end of input, a file without line ends reads as `LF`.
 */
export function detectLineEnd(
  source: Uint8Array,
  begin: number,
  end: number,
  final: boolean,
): number | undefined {
  let state: number = SKIP_FIELD_START;
  for (let position = begin; position < end; position++) {
    const byte = source[position];
    if (state !== SKIP_QUOTED && (byte === LF || byte === CR)) {
      if (byte === LF) return LF;
      if (position + 1 < end) return source[position + 1] === LF ? LF : CR;
      return final ? CR : undefined;
    }
    state = nextSkipState(state, byte, -1);
  }
  return final ? LF : undefined;
}

/** Skipping a record: at the start of a field. Also the state at the start of a record. */
export const SKIP_FIELD_START = 1;
const SKIP_UNQUOTED = 2;
const SKIP_QUOTED = 3;
/** In a quoted field, just after a `"`: it closed the field, or starts a `""` pair. */
const SKIP_QUOTE_IN_QUOTED = 4;
/** After text that followed a closing quote: the record runs to the end of the physical line. */
const SKIP_REST_OF_LINE = 5;
/** The record has ended. */
const SKIP_ENDED = 0;

/** The skipping state after `byte`; `lineEnd` -1 means no byte ends the record. */
function nextSkipState(state: number, byte: number, lineEnd: number): number {
  switch (state) {
    case SKIP_FIELD_START:
      if (byte === QUOTE) return SKIP_QUOTED;
      if (byte === COMMA) return SKIP_FIELD_START;
      return byte === lineEnd ? SKIP_ENDED : SKIP_UNQUOTED;
    case SKIP_UNQUOTED:
      if (byte === COMMA) return SKIP_FIELD_START;
      return byte === lineEnd ? SKIP_ENDED : SKIP_UNQUOTED;
    case SKIP_QUOTED:
      return byte === QUOTE ? SKIP_QUOTE_IN_QUOTED : SKIP_QUOTED;
    case SKIP_QUOTE_IN_QUOTED:
      if (byte === QUOTE) return SKIP_QUOTED;
      if (byte === COMMA) return SKIP_FIELD_START;
      // A CR of CR LF goes to the rest of the line, which ends at the LF: the same record end.
      return byte === lineEnd ? SKIP_ENDED : SKIP_REST_OF_LINE;
    default:
      return byte === lineEnd ? SKIP_ENDED : SKIP_REST_OF_LINE;
  }
}

/** Where skipping a record got to in one range. */
export interface RecordSkip {
  /** Offset just past the record's line end, or -1 when the record goes on past the range. */
  next: number;
  /** The state to go on with in the next range (when `next` is -1). */
  state: number;
  /** Line ends inside the skipped bytes, the record's own terminator included. */
  lineEnds: number;
}

/**
 * Skips the rest of a record without keeping it, in constant memory: how a reader gets past a
 * record over the limit. Follows the parser's grammar (quotes, `""`, text after a closing quote)
 * from `state` ({@linkcode SKIP_FIELD_START} at the record's first byte) through
 * `source[begin, end)`.
 */
export function skipRecord(
  source: Uint8Array,
  begin: number,
  end: number,
  state: number,
  lineEnd: number,
): RecordSkip {
  let lineEnds = 0;
  let position = begin;
  while (position < end) {
    if (state === SKIP_QUOTED || state === SKIP_REST_OF_LINE) {
      // The long stretches: jump to the one byte that can change the state.
      const found = source.indexOf(state === SKIP_QUOTED ? QUOTE : lineEnd, position);
      const limit = found < 0 || found >= end ? end : found;
      if (state === SKIP_QUOTED) lineEnds += countByte(source, position, limit, lineEnd);
      position = limit;
      if (position >= end) break;
    }
    const byte = source[position++];
    if (byte === lineEnd) lineEnds++;
    state = nextSkipState(state, byte, lineEnd);
    if (state === SKIP_ENDED) return { next: position, state, lineEnds };
  }
  return { next: -1, state, lineEnds };
}

function countByte(source: Uint8Array, begin: number, end: number, byte: number): number {
  let count = 0;
  for (let found = source.indexOf(byte, begin); found >= 0 && found < end;) {
    count++;
    found = source.indexOf(byte, found + 1);
  }
  return count;
}

/**
 * Parses `source[begin, end)` into a fresh batch (its arrays are its own).
 *
 * The parse assumes `begin` is the start of a record (not inside quotes). When `final` is false and
 * the range ends inside a record, that record is not emitted and `consumed` stops before it: pass
 * `[consumed, end)` again, followed by more bytes, in the next call.
 */
export function parseCsvChunk(
  source: Uint8Array,
  begin: number,
  end: number,
  options: ParseChunkOptions,
): ParseChunkResult {
  return new CsvChunkParser({ reuseArrays: false }).parse(source, begin, end, options);
}

// `ignoreBOM` keeps a U+FEFF that starts a field: only the input's first BOM is dropped, elsewhere.
const lenientDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
/** ASCII fields up to this length are built with `String.fromCharCode`, cheaper than a decoder call. */
const SHORT_ASCII_FIELD = 64;

function asciiText(bytes: Uint8Array, start: number, end: number): string {
  if (end - start > SHORT_ASCII_FIELD) return lenientDecoder.decode(bytes.subarray(start, end));
  let text = "";
  for (let position = start; position < end; position++) {
    text += String.fromCharCode(bytes[position]);
  }
  return text;
}

function assertWellFormed(batch: CsvRecordBatch, record: number): void {
  if (!(record >= 0 && record < batch.count)) {
    throw new RangeError(`record ${record} is outside the batch of ${batch.count}`);
  }
  if (batch.status[record] !== RECORD_OK) {
    throw new RangeError(
      `record ${record} (line ${batch.recordLine[record]}) is malformed: use malformedRawText()`,
    );
  }
}

/** A well-formed record's field as a string: UTF-8 decoded, `""` unescaped. */
export function fieldText(batch: CsvRecordBatch, record: number, field: number): string {
  assertWellFormed(batch, record);
  const index = record * batch.fieldCount + field;
  const start = batch.fieldStart[index];
  const end = batch.fieldEnd[index];
  const flags = batch.fieldFlags[index];
  const text = (flags & FIELD_NON_ASCII) !== 0
    ? lenientDecoder.decode(batch.source.subarray(start, end))
    : asciiText(batch.source, start, end);
  return (flags & FIELD_ESCAPED_QUOTE) !== 0 ? text.replaceAll('""', '"') : text;
}

/**
 * A well-formed record's field as UTF-8 bytes, `""` unescaped: a view into the source when the
 * field holds no escaped quote (no copy), else a new array.
 */
export function fieldBytes(batch: CsvRecordBatch, record: number, field: number): Uint8Array {
  assertWellFormed(batch, record);
  const index = record * batch.fieldCount + field;
  const start = batch.fieldStart[index];
  const end = batch.fieldEnd[index];
  const view = batch.source.subarray(start, end);
  if ((batch.fieldFlags[index] & FIELD_ESCAPED_QUOTE) === 0) return view;
  const unescaped = new Uint8Array(view.length);
  let length = 0;
  for (let position = 0; position < view.length; position++) {
    unescaped[length++] = view[position];
    if (view[position] === QUOTE) position++;
  }
  return unescaped.subarray(0, length);
}

/**
 * A record's whole raw text, for rejecting it: its bytes from the first to the end of its last
 * physical line (inner line breaks as they are, so physical lines are joined with LF, or CR in a
 * CR-only file), a final CR dropped, invalid UTF-8 replaced by U+FFFD. A record over the record
 * limit ({@linkcode MALFORMED_TOO_LONG}) gives only its first bytes and a marker
 * ({@linkcode tooLongRawText}).
 */
export function malformedRawText(batch: CsvRecordBatch, record: number): string {
  if (!(record >= 0 && record < batch.count)) {
    throw new RangeError(`record ${record} is outside the batch of ${batch.count}`);
  }
  const { source } = batch;
  const start = batch.recordStart[record];
  let end = batch.recordEnd[record];
  if (batch.status[record] === MALFORMED_TOO_LONG) {
    return tooLongRawText(source.subarray(start, end), batch.maxRecordBytes);
  }
  if (batch.lineEnd === LF) {
    // `recordEnd` already stops before a CR LF ending; only a line ending in a bare LF (or the end
    // of input) can still leave the last line's final CR in the text.
    const endedByCrLf = source[end] === CR && source[end + 1] === LF;
    if (!endedByCrLf && end > start && source[end - 1] === CR) end--;
  }
  return lenientDecoder.decode(source.subarray(start, end));
}

/**
 * The raw text of a record over the record limit: its first bytes (at most
 * {@linkcode TOO_LONG_PREFIX_BYTES}, and never more than the limit, cut at a character boundary)
 * then the marker `…[record cut: longer than N bytes]`, N being the limit.
 */
export function tooLongRawText(recordBytes: Uint8Array, maxRecordBytes: number): string {
  let length = Math.min(recordBytes.length, TOO_LONG_PREFIX_BYTES, maxRecordBytes);
  // Back off continuation bytes (10xxxxxx) so no character is cut in two.
  const floor = Math.max(0, length - 3);
  let back = length;
  while (back > floor && back < recordBytes.length && (recordBytes[back] & 0xc0) === 0x80) back--;
  if (back < recordBytes.length && (recordBytes[back] & 0xc0) !== 0x80) length = back;
  return `${lenientDecoder.decode(recordBytes.subarray(0, length))}${
    tooLongMarker(maxRecordBytes)
  }`;
}

/** What follows the kept bytes of a record over the limit. */
export function tooLongMarker(maxRecordBytes: number): string {
  return `…[record cut: longer than ${maxRecordBytes} bytes]`;
}

/** A well-formed record's fields as strings (for cold paths: headers, samples, tests). */
export function recordFields(batch: CsvRecordBatch, record: number): string[] {
  const fields = new Array<string>(batch.fieldCount);
  for (let field = 0; field < batch.fieldCount; field++) {
    fields[field] = fieldText(batch, record, field);
  }
  return fields;
}

/** Words for a `MALFORMED_*` status, for error messages ("the header row is …"). */
export function describeRecordStatus(status: number): string {
  switch (status) {
    case RECORD_OK:
      return "well formed";
    case MALFORMED_FIELD_COUNT:
      return "a field count unlike the header's";
    case MALFORMED_AFTER_QUOTE:
      return "text after a closing quote (only a comma or a line end may follow one)";
    case MALFORMED_UNTERMINATED:
      return "a quote opened and never closed before the end of the file";
    case MALFORMED_UTF8:
      return "invalid UTF-8";
    case MALFORMED_TOO_LONG:
      return "longer than the record limit (most likely a quote opened and never closed)";
    default:
      return `unknown status ${status}`;
  }
}
