/**
 * Shared helpers for the CSV tests: a plain, comparable view of parsed records.
 */
import {
  type CsvRecordBatch,
  malformedRawText,
  parseCsvChunk,
  RECORD_OK,
  recordFields,
} from "../../src/io/csv_parse.ts";

/** One record as the tests compare it. Malformed records carry their raw text instead of fields. */
export interface PlainRecord {
  line: number;
  status: number;
  fields?: string[];
  raw?: string;
}

export const encoder = new TextEncoder();

/** Bytes from a string, or from an array of strings and raw byte values (for invalid UTF-8). */
export function bytesOf(input: string | (string | number[])[]): Uint8Array {
  if (typeof input === "string") return encoder.encode(input);
  const parts = input.map((part) => typeof part === "string" ? encoder.encode(part) : part);
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/** The records of a batch as plain objects. */
export function plainRecords(batch: CsvRecordBatch): PlainRecord[] {
  const records: PlainRecord[] = [];
  for (let record = 0; record < batch.count; record++) {
    const line = batch.recordLine[record];
    const status = batch.status[record];
    records.push(
      status === RECORD_OK
        ? { line, status, fields: recordFields(batch, record) }
        : { line, status, raw: malformedRawText(batch, record) },
    );
  }
  return records;
}

/** Parses a whole input in one call; `fieldCount` 0 takes the first record's count. */
export function parseAll(bytes: Uint8Array, fieldCount = 0): PlainRecord[] {
  const result = parseCsvChunk(bytes, 0, bytes.length, { fieldCount, firstLine: 1, final: true });
  if (result.consumed !== bytes.length) {
    throw new Error(`a final parse consumed ${result.consumed} of ${bytes.length} bytes`);
  }
  return plainRecords(result);
}
