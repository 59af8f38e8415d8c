/**
 * Parquet written by several workers at once, as one file.
 *
 * hyparquet-writer encodes value by value, so one core cannot keep up with the parser. Each worker
 * therefore encodes whole row groups into memory (`encodeColumns` in column_chunk_encoder.ts); the
 * main thread appends them to the file in order and shifts their byte offsets
 * ({@linkcode RowGroupFileWriter}), then hyparquet-writer writes the footer. The result is an
 * ordinary single parquet file.
 *
 * @example Assemble row groups encoded elsewhere (by workers, in dpd) into one file
 * ```ts
 * import { AtomicFile } from "./atomic_file.ts";
 * import { encodeColumns, NumberColumn } from "./column_chunk_encoder.ts";
 *
 * const schema = schemaFor([{ name: "quantity", type: "INT64", nullable: false }]);
 * await using file = await AtomicFile.create("quantities.parquet");
 * const writer = new RowGroupFileWriter(file, schema, { run_id: "example" });
 * for (const quantities of [[1, 2, 3], [4, 5]]) {
 *   const column = new NumberColumn("quantity", "INT64", quantities.length);
 *   for (const quantity of quantities) column.push(quantity);
 *   writer.append(encodeColumns([column])); // in file order
 * }
 * writer.finish();
 * await file.commit();
 * console.log(writer.rows); // 5
 * ```
 */
import { ByteWriter, ParquetWriter, schemaFromColumnData } from "hyparquet-writer";
import type { ColumnSource as HyparquetColumnSource } from "hyparquet-writer";
import type {
  RowGroup as HyparquetRowGroup,
  SchemaElement as HyparquetSchemaElement,
} from "hyparquet";
import { snappyCompress } from "./_snappy.ts";

/** A column described for hyparquet-writer: name, type, nullability and values. */
export type ColumnSource = HyparquetColumnSource;
/** A row group's parquet metadata (its column chunks, offsets, sizes), as hyparquet types it. */
export type RowGroup = HyparquetRowGroup;
/** One element of a parquet file's flattened schema, as hyparquet types it. */
export type SchemaElement = HyparquetSchemaElement;

/**
 * One row group's bytes (column chunks, no file header) and its metadata, with every offset
 * relative to the first byte of `bytes`.
 */
export interface EncodedRowGroup {
  /** The row group's column chunks, back to back. */
  bytes: Uint8Array;
  /** Its metadata, offsets counted from `bytes[0]` (the writer shifts them). */
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
  /** Writes all of `bytes`. */
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

  /** Writes one row group after the previous ones and records it for the footer. */
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
