/**
 * CSV as a web stream of record batches, and {@linkcode openCsv}: a file's header and records, the
 * way every dpd command reads its input.
 *
 * @example Read a file's records
 * ```ts
 * import { resolveColumns } from "./column_roles.ts";
 * import { fieldText, RECORD_OK } from "./csv_parse.ts";
 *
 * const file = "data/input/dirty_1m.csv";
 * const csv = await openCsv(file);
 * const { positions } = resolveColumns(csv.header, {}, { file, need: ["order_id"] });
 * for await (const batch of csv.batches) {
 *   for (let record = 0; record < batch.count; record++) {
 *     if (batch.status[record] !== RECORD_OK) continue;
 *     console.log(fieldText(batch, record, positions.order_id));
 *   }
 * }
 * ```
 */
import { formatLocation, UserError } from "./errors.ts";
import { CsvChunker, type CsvChunkerOptions, DEFAULT_MAX_RECORD_BYTES } from "./_csv_chunker.ts";
import { type CsvRecordBatch, describeRecordStatus, RECORD_OK, recordFields } from "./csv_parse.ts";
import { openInputBytes } from "./input_bytes.ts";

export { DEFAULT_MAX_RECORD_BYTES };
/** How a {@linkcode CsvParseStream} reads: header or not, batch size, record size limit. */
export type CsvParseStreamOptions = CsvChunkerOptions;

/**
 * Bytes in, batches of records out. Drops one leading UTF-8 BOM, carries a record split across
 * chunks into the next batch (copying only that record), and flushes the last record at the end.
 *
 * With `header` (the default) the first non-empty record comes out alone as the first batch and
 * every later batch has its field count; records with another count are `MALFORMED_FIELD_COUNT`.
 * Each batch owns its arrays and indexes into a chunk that is never reused, so batches may be kept.
 * A record longer than `maxRecordBytes` (64 MiB) is one `MALFORMED_TOO_LONG` record whose raw
 * text is cut, and reading goes on after it: memory stays bounded whatever the input. Lines end at
 * LF (or CR LF), or at CR in a CR-only file (told by its first line end outside quotes).
 */
export class CsvParseStream extends TransformStream<Uint8Array, CsvRecordBatch> {
  /** A stream reading as `options` say (a header first, by default). */
  constructor(options: CsvParseStreamOptions = {}) {
    const chunker = new CsvChunker(options);
    super({
      transform(chunk, controller) {
        for (const batch of chunker.push(chunk)) controller.enqueue(batch);
      },
      flush(controller) {
        for (const batch of chunker.finish()) controller.enqueue(batch);
      },
    });
  }
}

/** An opened CSV file: its header, and its records after the header in batches. */
export interface CsvFile {
  /** The header's fields as read (unquoted, not trimmed). */
  header: string[];
  /** The header's source_line (1 unless blank lines come first). */
  headerLine: number;
  /** The records after the header; every batch has `fieldCount === header.length`. Iterate once.
   * Errors are {@linkcode UserError}s naming the file. */
  batches: AsyncIterable<CsvRecordBatch>;
  /** Bytes of the file read so far (compressed for `.gz`), for progress. */
  bytesRead(): number;
  /** The file's size on disk, when known. */
  totalBytes?: number;
  /** Stops reading and closes the file, for a caller that leaves before the end of `batches`. */
  cancel(): Promise<void>;
}

/** Options of {@linkcode openCsv}. */
export type OpenCsvOptions = Pick<CsvParseStreamOptions, "minBatchBytes" | "maxRecordBytes">;

/**
 * Opens a CSV file (gunzipped when it ends in `.gz`) and reads its header: the first non-empty
 * record. An empty file, a malformed header or an unreadable file is a {@linkcode UserError}
 * naming the file (and line).
 */
export async function openCsv(path: string, options: OpenCsvOptions = {}): Promise<CsvFile> {
  const input = await openInputBytes(path);
  const reader = input.stream.pipeThrough(new CsvParseStream({ ...options, header: true }))
    .getReader();
  const cancel = async () => {
    await reader.cancel().catch(() => {});
  };

  const first = await readBatch(reader);
  if (first === undefined) {
    throw new UserError(
      `${path} is empty: a CSV file needs a header row naming its columns, then its records.`,
    );
  }
  const headerLine = first.recordLine[0];
  if (first.status[0] !== RECORD_OK) {
    await cancel();
    throw new UserError(
      `${formatLocation(path, headerLine)}: the header row is malformed (${
        describeRecordStatus(first.status[0])
      }). The first non-empty line must name the columns, separated by commas.`,
    );
  }
  const header = recordFields(first, 0);

  async function* batches(): AsyncGenerator<CsvRecordBatch> {
    try {
      for (;;) {
        const batch = await readBatch(reader);
        if (batch === undefined) return;
        yield batch;
      }
    } finally {
      // Leaving early (break, throw) must still close the file.
      await cancel();
    }
  }

  return {
    header,
    headerLine,
    batches: batches(),
    bytesRead: input.bytesRead,
    totalBytes: input.totalBytes,
    cancel,
  };
}

async function readBatch(
  reader: ReadableStreamDefaultReader<CsvRecordBatch>,
): Promise<CsvRecordBatch | undefined> {
  const { done, value } = await reader.read();
  return done ? undefined : value;
}
