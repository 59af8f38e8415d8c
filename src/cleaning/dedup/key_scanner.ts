/**
 * The key census's scanner: the claims of a chunk without the full parse.
 *
 * The census needs, per chunk, only where it ends, its line ends, its records and each claiming
 * row's key. This scanner walks records byte by byte, keeping the bounds of the key, ID and product
 * name fields only, and handles the common record itself: ASCII, the header's field count, quoted
 * fields closed by a quote before a comma or line end. Any other record (a byte ≥ 0x80, a wrong
 * field count, text after a closing quote, an escaped quote in a field it must read, a record over
 * the limit, one that ends the input unterminated) goes to {@linkcode ChunkCleaner.scan} alone, so
 * every record yields exactly the claim the clean pass makes for it.
 */
import { type ChunkCleaner, CLEANER_ROLES, type CleanerSetup } from "../chunk_cleaner.ts";
import { canonicalOrderNumber } from "../order_id_set.ts";
import { trimEndAscii, trimStartAscii } from "../rules/_bytes.ts";
import { type PackedKeys, PackedKeyWriter } from "./key_encoding.ts";

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const ORDER_ID = CLEANER_ROLES.indexOf("order_id");
const PRODUCT_NAME = CLEANER_ROLES.indexOf("product_name");

/** A chunk's census answer: like `ChunkScan`, with every claim's encoded key. */
export interface KeyScan {
  /** Offset just past the last complete record (and the blank lines after it). */
  consumed: number;
  /** Line ends in `[begin, consumed)`. */
  lineFeeds: number;
  records: number;
  claimKeys: PackedKeys;
}

/** What one record scan found: the fast path's own answer, or that the full parser must look. */
const DONE = 0, STOP = 1, FULL = 2;

export class KeyScanner {
  readonly #setup: CleanerSetup;
  readonly #cleaner: ChunkCleaner;
  readonly #fieldStart: Int32Array;
  readonly #fieldEnd: Int32Array;
  readonly #escaped: Uint8Array;
  /**
   * Fields whose decoded text the claim needs: the ID and the key columns. (The product name is
   * only checked for being blank, and a field with an escaped quote never is.)
   */
  readonly #decoded: Uint8Array;
  readonly #idColumn: number;
  readonly #nameColumn: number;
  readonly #keyIsOrderId: boolean;
  /** 1 for the bytes that end an unquoted field's plain run: comma, line end, non-ASCII. */
  readonly #stops = new Uint8Array(256);
  /** The same inside quotes: quote, line end (counted), non-ASCII. */
  readonly #quotedStops = new Uint8Array(256);
  // The state of the record last scanned by #record().
  #next = 0;
  #lines = 0;
  #endOfRecord = 0;

  /** `cleaner` is built on the same setup; it reads the records this scanner hands over. */
  constructor(setup: CleanerSetup, cleaner: ChunkCleaner) {
    this.#setup = setup;
    this.#cleaner = cleaner;
    const count = Math.max(setup.fieldCount, 1);
    this.#fieldStart = new Int32Array(count);
    this.#fieldEnd = new Int32Array(count);
    this.#escaped = new Uint8Array(count);
    this.#decoded = new Uint8Array(count);
    this.#idColumn = setup.columnPositions[ORDER_ID];
    this.#nameColumn = setup.columnPositions[PRODUCT_NAME];
    this.#decoded[this.#idColumn] = 1;
    for (const column of setup.dedupKey) this.#decoded[column] = 1;
    this.#keyIsOrderId = setup.dedupKey.length === 1 && setup.dedupKey[0] === this.#idColumn;
    this.#stops.fill(1, 0x80);
    this.#stops[COMMA] = 1;
    this.#stops[setup.lineEnd] = 1;
    this.#quotedStops.fill(1, 0x80);
    this.#quotedStops[QUOTE] = 1;
    this.#quotedStops[setup.lineEnd] = 1;
  }

  /** The claims of `source[begin, end)`, which starts at a record boundary. */
  scan(source: Uint8Array, begin: number, end: number, final: boolean): KeyScan {
    const setup = this.#setup;
    const keys = new PackedKeyWriter(Math.ceil((end - begin) / 100));
    if (setup.fieldCount === 0) return this.#full(source, begin, end, final, keys);
    const lineEnd = setup.lineEnd;
    const pairFirst = lineEnd === LF ? CR : -1;
    let position = begin;
    let lines = 0;
    let records = 0;
    let consumed = begin;
    for (;;) {
      // Blank physical lines are not records, but they use up line numbers (as in the parser).
      while (position < end) {
        const byte = source[position];
        if (byte === lineEnd) {
          position++;
          lines++;
        } else if (byte === pairFirst && position + 1 < end && source[position + 1] === lineEnd) {
          position += 2;
          lines++;
        } else {
          break;
        }
      }
      consumed = position;
      if (position >= end) break;
      const outcome = this.#record(source, position, end, final, lineEnd, pairFirst);
      if (outcome === STOP) break;
      if (outcome === DONE) {
        this.#claim(source, keys);
        records++;
        lines += this.#lines;
        position = this.#next;
        continue;
      }
      // The full parser reads this one record (and the blank lines after it).
      const scan = this.#cleaner.scan(0, source, position, end, final, undefined, {
        claimsOnly: true,
        maxRecords: 1,
      });
      if (scan.records === 0) break;
      const { bytes, ends } = scan.claimKeys!;
      let start = 0;
      for (let claim = 0; claim < ends.length; claim++) {
        keys.addEncoded(bytes, start, ends[claim]);
        start = ends[claim];
      }
      records += scan.records;
      lines += scan.lineFeeds;
      position = scan.consumed;
    }
    return { consumed, lineFeeds: lines, records, claimKeys: keys.take() };
  }

  #full(
    source: Uint8Array,
    begin: number,
    end: number,
    final: boolean,
    keys: PackedKeyWriter,
  ): KeyScan {
    const scan = this.#cleaner.scan(0, source, begin, end, final, undefined, { claimsOnly: true });
    keys.addAll(scan.claimKeys!);
    return {
      consumed: scan.consumed,
      lineFeeds: scan.lineFeeds,
      records: scan.records,
      claimKeys: keys.take(),
    };
  }

  /**
   * Scans the record at `position`: DONE with its fields' bounds, STOP when it goes on past a
   * chunk that is not the last, FULL when the full parser must read it.
   */
  #record(
    source: Uint8Array,
    position: number,
    end: number,
    final: boolean,
    lineEnd: number,
    pairFirst: number,
  ): number {
    const fieldCount = this.#setup.fieldCount;
    const fieldStart = this.#fieldStart;
    const fieldEnd = this.#fieldEnd;
    const escaped = this.#escaped;
    const recordStart = position;
    let field = 0;
    let lines = 0;
    for (;;) {
      if (field >= fieldCount) return FULL;
      if (position < end && source[position] === QUOTE) {
        position++;
        const contentStart = position;
        let hasEscape = 0;
        const quotedStops = this.#quotedStops;
        for (;;) {
          const last = end - 1;
          while (position < last && quotedStops[source[position]] === 0) position++;
          // The parser decides a quote at the chunk's last byte only with the next chunk's.
          if (position >= last) return final ? FULL : STOP;
          const byte = source[position];
          if (byte === QUOTE) {
            if (source[position + 1] !== QUOTE) break;
            hasEscape = 1;
            position += 2;
            continue;
          }
          if (byte >= 0x80) return FULL;
          if (byte === lineEnd) lines++;
          position++;
        }
        fieldStart[field] = contentStart;
        fieldEnd[field] = position;
        escaped[field] = hasEscape;
        position++;
        const next = source[position];
        if (next === COMMA) {
          position++;
          field++;
          continue;
        }
        if (next === lineEnd) {
          this.#endOfRecord = position;
          position++;
        } else if (
          next === pairFirst && position + 1 < end && source[position + 1] === lineEnd
        ) {
          this.#endOfRecord = position;
          position += 2;
        } else {
          return FULL;
        }
        break;
      }
      const contentStart = position;
      // One table look-up per byte: most bytes are none of comma, line end, non-ASCII.
      const stops = this.#stops;
      while (position < end && stops[source[position]] === 0) position++;
      if (position < end && source[position] >= 0x80) return FULL;
      if (position >= end) return final ? FULL : STOP;
      fieldStart[field] = contentStart;
      escaped[field] = 0;
      if (source[position] === COMMA) {
        fieldEnd[field] = position;
        position++;
        field++;
        continue;
      }
      const endOfRecord = position > contentStart && source[position - 1] === pairFirst
        ? position - 1
        : position;
      fieldEnd[field] = endOfRecord;
      this.#endOfRecord = endOfRecord;
      position++;
      break;
    }
    if (field + 1 !== fieldCount) return FULL;
    if (this.#endOfRecord - recordStart > this.#setup.maxRecordBytes) return FULL;
    for (let column = 0; column < fieldCount; column++) {
      if (escaped[column] && this.#decoded[column]) return FULL;
    }
    this.#next = position;
    this.#lines = lines + 1;
    return DONE;
  }

  /** Rule 1 then the claim, as `ChunkCleaner.scan` does, for the record just scanned. */
  #claim(source: Uint8Array, keys: PackedKeyWriter): void {
    const fieldStart = this.#fieldStart;
    const fieldEnd = this.#fieldEnd;
    const idColumn = this.#idColumn;
    const idStart = trimStartAscii(source, fieldStart[idColumn], fieldEnd[idColumn]);
    const idEnd = trimEndAscii(source, idStart, fieldEnd[idColumn]);
    if (idStart === idEnd) return;
    const nameColumn = this.#nameColumn;
    if (!this.#escaped[nameColumn]) {
      const nameStart = trimStartAscii(source, fieldStart[nameColumn], fieldEnd[nameColumn]);
      if (trimEndAscii(source, nameStart, fieldEnd[nameColumn]) === nameStart) return;
    }
    if (this.#keyIsOrderId) {
      const number = canonicalOrderNumber(source, idStart, idEnd);
      if (number >= 0) keys.addOrderNumber(number);
      else keys.addAscii(source, idStart, idEnd);
      return;
    }
    const keyColumns = this.#setup.dedupKey;
    if (keyColumns.length === 0) return;
    // As claimKeyText(): each value trimmed like String.prototype.trim, composite keys length-led.
    let key = "";
    for (const column of keyColumns) {
      const value = asciiText(source, fieldStart[column], fieldEnd[column]).trim();
      if (value === "") return;
      key += keyColumns.length === 1 ? value : `${value.length}:${value}`;
    }
    keys.addText(key);
  }
}

function asciiText(source: Uint8Array, start: number, end: number): string {
  let text = "";
  for (let position = start; position < end; position++) {
    text += String.fromCharCode(source[position]);
  }
  return text;
}
