/**
 * Writing CSV the way docs/generation.md and docs/cleaning.md ask: `\n` line ends, and a value quoted only when it holds
 * `,` `"` CR or LF (with `"` doubled inside quotes).
 *
 * {@linkcode csvField} and {@linkcode csvLine} are for cold paths; {@linkcode CsvByteWriter} appends
 * straight into a growing {@linkcode ByteBuffer} for hot ones such as the rejected-rows file, and can copy a
 * parsed field's bytes as read without making a string.
 *
 * @example Write records as CSV text and as bytes
 * ```ts
 * console.log(csvLine(["A-1", "Mug, large", "x"])); // A-1,"Mug, large",x and a line end
 *
 * const writer = new CsvByteWriter();
 * writer.writeRecord(["order_id", "reason"]);
 * writer.writeField("A-1").writeField("duplicate_order_id").endRecord();
 * await Deno.writeFile("rejected.csv", writer.take());
 * ```
 */
import { ByteBuffer } from "./byte_buffer.ts";
import { type CsvRecordBatch, FIELD_ESCAPED_QUOTE, FIELD_QUOTED } from "./csv_parse.ts";

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const NEEDS_QUOTES = /[",\r\n]/;

/** One value as a CSV field: quoted only when it holds `,` `"` CR or LF, with `"` doubled. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * One record as a CSV line ending in `\n`. A record of one empty field is written `""`: written
 * as nothing it would be a blank line, which readers skip.
 */
export function csvLine(fields: readonly string[]): string {
  if (fields.length === 1 && fields[0] === "") return '""\n';
  return fields.map(csvField).join(",") + "\n";
}

const encoder = new TextEncoder();

/**
 * Appends CSV records into a growing byte buffer. Call a `write*Field` method per field (commas are
 * added between fields), {@linkcode CsvByteWriter.endRecord} after each record, and
 * {@linkcode CsvByteWriter.take} to collect the bytes, e.g. to write them to a file.
 */
export class CsvByteWriter {
  readonly #initialCapacity: number;
  #out: ByteBuffer;
  #fieldsInRecord = 0;
  #recordStart = 0;

  /** Starts with room for `initialCapacity` bytes; the buffer grows as needed. */
  constructor(initialCapacity = 1 << 16) {
    this.#initialCapacity = Math.max(16, initialCapacity);
    this.#out = new ByteBuffer(this.#initialCapacity);
  }

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.#out.length;
  }

  /** Appends a string value, quoting it only when it must be. */
  writeField(value: string): this {
    this.#beginField();
    const length = value.length;
    const out = this.#out;
    out.reserve(length);
    const bytes = out.bytes;
    let at = out.length;
    for (let index = 0; index < length; index++) {
      const code = value.charCodeAt(index);
      if (code >= 0x80 || code === QUOTE || code === COMMA || code === LF || code === CR) {
        this.#writeEncoded(NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
        return this;
      }
      bytes[at++] = code;
    }
    out.length = at;
    return this;
  }

  /** Appends a value given as UTF-8 bytes (`bytes[start, end)`, no escapes), quoting as needed. */
  writeFieldBytes(bytes: Uint8Array, start = 0, end = bytes.length): this {
    this.#beginField();
    let needsQuotes = false;
    for (let position = start; position < end; position++) {
      const byte = bytes[position];
      if (byte === QUOTE || byte === COMMA || byte === LF || byte === CR) {
        needsQuotes = true;
        break;
      }
    }
    if (!needsQuotes) {
      this.#out.pushBytes(bytes, start, end);
    } else {
      this.#writeQuotedDoubling(bytes, start, end);
    }
    return this;
  }

  /**
   * Appends field `field` of well-formed record `record` exactly as read (after unquoting), quoted
   * only when it must be, without decoding it.
   */
  writeSourceField(batch: CsvRecordBatch, record: number, field: number): this {
    const index = record * batch.fieldCount + field;
    const start = batch.fieldStart[index];
    const end = batch.fieldEnd[index];
    const flags = batch.fieldFlags[index];
    const source = batch.source;
    if ((flags & FIELD_QUOTED) === 0) {
      // Unquoted: no comma or LF inside, but a literal `"` or a lone CR may be.
      return this.writeFieldBytes(source, start, end);
    }
    this.#beginField();
    // Inside quotes the bytes already hold `""` for each quote: the same escaping we write.
    let needsQuotes = (flags & FIELD_ESCAPED_QUOTE) !== 0;
    for (let position = start; !needsQuotes && position < end; position++) {
      const byte = source[position];
      needsQuotes = byte === COMMA || byte === LF || byte === CR;
    }
    if (needsQuotes) {
      this.#out.pushByte(QUOTE);
      this.#out.pushBytes(source, start, end);
      this.#out.pushByte(QUOTE);
    } else {
      this.#out.pushBytes(source, start, end);
    }
    return this;
  }

  /** Appends a whole record of string values and ends it. */
  writeRecord(fields: readonly string[]): this {
    for (const field of fields) this.writeField(field);
    return this.endRecord();
  }

  /** Ends the current record with `\n`. */
  endRecord(): this {
    const out = this.#out;
    if (this.#fieldsInRecord === 1 && out.length === this.#recordStart) {
      // One empty field: quote it, or the record would read back as a blank line.
      out.pushByte(QUOTE);
      out.pushByte(QUOTE);
    }
    out.pushByte(LF);
    this.#fieldsInRecord = 0;
    this.#recordStart = out.length;
    return this;
  }

  /** The bytes written so far; the writer starts over with a fresh buffer. */
  take(): Uint8Array {
    const written = this.#out.view();
    this.#out = new ByteBuffer(this.#initialCapacity);
    this.#recordStart = 0;
    return written;
  }

  #beginField(): void {
    if (this.#fieldsInRecord > 0) this.#out.pushByte(COMMA);
    this.#fieldsInRecord++;
  }

  #writeQuotedDoubling(bytes: Uint8Array, start: number, end: number): void {
    const out = this.#out;
    out.reserve(2 * (end - start) + 2);
    const target = out.bytes;
    let at = out.length;
    target[at++] = QUOTE;
    for (let position = start; position < end; position++) {
      const byte = bytes[position];
      target[at++] = byte;
      if (byte === QUOTE) target[at++] = QUOTE;
    }
    target[at++] = QUOTE;
    out.length = at;
  }

  #writeEncoded(text: string): void {
    const out = this.#out;
    out.reserve(text.length * 3);
    const { written } = encoder.encodeInto(text, out.bytes.subarray(out.length));
    out.length += written;
  }
}
