/**
 * Parquet written by several workers at once, as one file.
 *
 * hyparquet-writer encodes value by value, so one core cannot keep up with the parser. Each worker
 * therefore encodes whole row groups into memory (`encodeColumns` in column_chunk_encoder.ts); the
 * main thread appends them to the file in order and shifts their byte offsets
 * ({@linkcode RowGroupFileWriter}), then hyparquet-writer writes the footer. The result is an
 * ordinary single parquet file.
 */
import { ByteWriter, ParquetWriter, schemaFromColumnData } from "hyparquet-writer";
import type { ColumnSource } from "hyparquet-writer";
import type { RowGroup, SchemaElement } from "hyparquet";
import { snappyCompress } from "./_snappy.ts";

export type { ColumnSource, RowGroup, SchemaElement };

/**
 * One row group's bytes (column chunks, no file header) and its metadata, with every offset
 * relative to the first byte of `bytes`.
 */
export interface EncodedRowGroup {
  bytes: Uint8Array;
  rowGroup: RowGroup;
}

/** The parquet schema for columns described as hyparquet-writer column sources (data ignored). */
export function schemaFor(columns: Omit<ColumnSource, "data">[]): SchemaElement[] {
  return schemaFromColumnData({
    columnData: columns.map((column) => ({ ...column, data: [] })),
  });
}

/** Moves every file offset in a row group's metadata by `shift` bytes. */
function shiftOffsets(rowGroup: RowGroup, shift: bigint): void {
  for (const column of rowGroup.columns) {
    column.file_offset += shift;
    const metadata = column.meta_data;
    if (!metadata) continue;
    metadata.data_page_offset += shift;
    if (metadata.dictionary_page_offset !== undefined) metadata.dictionary_page_offset += shift;
    if (metadata.index_page_offset !== undefined) metadata.index_page_offset += shift;
    if (metadata.bloom_filter_offset !== undefined) metadata.bloom_filter_offset += shift;
  }
}

/** Where the assembled file's bytes go: an `AtomicFile`, or anything with a synchronous write. */
export interface ByteSink {
  writeSync(bytes: Uint8Array): void;
}

/** Assembles encoded row groups, in the order appended, into one parquet file. */
export class RowGroupFileWriter {
  readonly #output: ByteSink;
  readonly #buffer = new ByteWriter(1 << 16);
  readonly #writer: ParquetWriter;
  #rows = 0;

  /** `footer` entries go into the footer's key-value metadata (the run id, say). */
  constructor(
    output: ByteSink,
    schema: SchemaElement[],
    footer: Record<string, string> = {},
    createdBy = "dpd",
  ) {
    this.#output = output;
    const kvMetadata = Object.entries(footer).map(([key, value]) => ({ key, value }));
    this.#writer = new ParquetWriter({
      writer: this.#buffer,
      schema,
      compressors: { SNAPPY: snappyCompress },
      createdBy,
      kvMetadata: kvMetadata.length ? kvMetadata : undefined,
    });
    this.#flush();
  }

  /** Rows appended so far. */
  get rows(): number {
    return this.#rows;
  }

  append(encoded: EncodedRowGroup): void {
    const rowGroup = encoded.rowGroup;
    shiftOffsets(rowGroup, BigInt(this.#buffer.offset));
    this.#output.writeSync(encoded.bytes);
    // The footer's offsets must count the bytes written around the buffer.
    this.#buffer.offset += encoded.bytes.length;
    this.#writer.row_groups.push(rowGroup);
    this.#writer.num_rows += rowGroup.num_rows;
    this.#rows += Number(rowGroup.num_rows);
  }

  /** Writes the footer. The caller commits the file. */
  finish(): void {
    this.#writer.finish();
    this.#flush();
  }

  #flush(): void {
    this.#output.writeSync(this.#buffer.getBytes().slice());
    this.#buffer.index = 0;
  }
}
