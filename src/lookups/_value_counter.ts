/**
 * Counts the distinct values of one CSV column without making a string per row.
 *
 * A sample has millions of rows but only tens to thousands of distinct raw values, so each field is
 * hashed over its bytes (FNV-1a) and compared byte for byte with the values already seen; a string
 * is decoded only the first time a value appears. Equal bytes (with the same escaping) are the same
 * text, since records with invalid UTF-8 never reach here.
 */
import { type CsvRecordBatch, FIELD_ESCAPED_QUOTE, fieldText } from "../io/csv_parse.ts";

interface SeenValue {
  bytes: Uint8Array;
  escaped: boolean;
  text: string;
  rows: number;
}

export class ValueCounter {
  readonly #byHash = new Map<number, SeenValue[]>();

  /** Counts field `field` of the well-formed record `record`. */
  add(batch: CsvRecordBatch, record: number, field: number): void {
    const index = record * batch.fieldCount + field;
    const source = batch.source;
    const start = batch.fieldStart[index];
    const end = batch.fieldEnd[index];
    const escaped = (batch.fieldFlags[index] & FIELD_ESCAPED_QUOTE) !== 0;
    let hash = escaped ? 0x01000193 : 0x811c9dc5;
    for (let position = start; position < end; position++) {
      hash = Math.imul(hash ^ source[position], 0x01000193);
    }
    let bucket = this.#byHash.get(hash);
    if (bucket === undefined) this.#byHash.set(hash, bucket = []);
    for (const seen of bucket) {
      if (seen.escaped === escaped && sameBytes(seen.bytes, source, start, end)) {
        seen.rows++;
        return;
      }
    }
    bucket.push({
      bytes: source.slice(start, end),
      escaped,
      text: fieldText(batch, record, field),
      rows: 1,
    });
  }

  /** Raw value (as read, unescaped) → rows. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const bucket of this.#byHash.values()) {
      for (const seen of bucket) counts.set(seen.text, (counts.get(seen.text) ?? 0) + seen.rows);
    }
    return counts;
  }
}

function sameBytes(known: Uint8Array, source: Uint8Array, start: number, end: number): boolean {
  if (known.length !== end - start) return false;
  for (let offset = 0; offset < known.length; offset++) {
    if (known[offset] !== source[start + offset]) return false;
  }
  return true;
}
