/**
 * Writing parquet files with hyparquet-writer, streamed to disk and atomic.
 *
 * hyparquet-writer's own file writer keeps growing one buffer and its default row group sizes start
 * with a 1,000-row group (measured here), so dpd writes through {@linkcode ParquetStreamWriter}: one
 * `writeRowGroup` call per row group, each flushed to an {@linkcode AtomicFile} as soon as it is
 * encoded, the file renamed into place only by `commit`. {@linkcode writeParquetTable} is the
 * one-call form for small tables (the aggregations).
 *
 * Values are given in the forms that are natural in JS, and converted here to what the writer wants:
 * INT64 as numbers (BigInt only at the writer's edge), DATE as days since 1970-01-01.
 *
 * @example Write a small table in one call, and a large one row group by row group
 * ```ts
 * await writeParquetTable("daily.parquet", [
 *   { name: "day", type: "DATE", values: [20454, 20455] },
 *   { name: "revenue", type: "DOUBLE", values: new Float64Array([120.5, 99]) },
 *   { name: "region", type: "STRING", nullable: true, values: ["North", null] },
 * ]);
 *
 * const writer = await ParquetStreamWriter.create(
 *   "orders.parquet",
 *   [{ name: "quantity", type: "INT64" }],
 *   { rowGroupSize: 100_000 },
 * );
 * try {
 *   writer.writeRowGroup({ quantity: [1, 2, 3] });
 *   writer.writeRowGroup({ quantity: [4, 5] });
 *   await writer.commit();
 * } catch (error) {
 *   await writer.abort();
 *   throw error;
 * }
 * ```
 */
import { ByteWriter, type ColumnSource, ParquetWriter } from "hyparquet-writer";
import { snappyCompress } from "./_snappy.ts";
import { AtomicFile } from "./atomic_file.ts";
import type { SchemaElement } from "./row_group_encoder.ts";

/** The column types dpd writes. DATE is a parquet INT32 with the DATE logical type. */
export type ParquetValueType = "STRING" | "INT64" | "INT32" | "DOUBLE" | "DATE" | "BOOLEAN";

/** A column's name and type, without values: a table's schema. */
export interface ParquetColumnDefinition {
  /** The column's name in the schema. */
  name: string;
  /** Its type. */
  type: ParquetValueType;
  /** Whether values may be `null`; required (false) by default. */
  nullable?: boolean;
}

/**
 * Values for one column. Required numeric columns may be typed arrays; nullable ones are plain
 * arrays holding `null`. INT64 values are JS numbers (or bigints); DATE values are days since
 * 1970-01-01; STRING values are strings, or UTF-8 bytes when the caller already has them.
 */
export type ParquetColumnValues =
  | ArrayLike<number | null>
  | ArrayLike<bigint | null>
  | ArrayLike<string | null>
  | ArrayLike<Uint8Array | null>
  | ArrayLike<boolean | null>;

/** A column with its values: one column of a whole table. */
export interface ParquetTableColumn extends ParquetColumnDefinition {
  /** The column's values, one per row. */
  values: ParquetColumnValues;
}

/** Rows per row group for small tables: large enough that a table is usually one group. */
export const DEFAULT_TABLE_ROW_GROUP_SIZE = 100_000;

/** The value types stored as another physical type, with the annotation readers go by. */
const ANNOTATED_TYPES: Partial<Record<ParquetValueType, Omit<SchemaElement, "name">>> = {
  STRING: { type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" } },
  DATE: { type: "INT32", converted_type: "DATE", logical_type: { type: "DATE" } },
};

/** The parquet schema (root first) for a list of column definitions. */
export function parquetSchemaFor(columns: readonly ParquetColumnDefinition[]): SchemaElement[] {
  const schema: SchemaElement[] = [{ name: "root", num_children: columns.length }];
  for (const column of columns) {
    const repetition_type = column.nullable ? "OPTIONAL" : "REQUIRED";
    const physical = ANNOTATED_TYPES[column.type] ?? { type: column.type as SchemaElement["type"] };
    schema.push({ name: column.name, ...physical, repetition_type });
  }
  return schema;
}

/** Converts one column's values into the arrays hyparquet-writer encodes fastest. */
function writerValues(column: ParquetTableColumn): ColumnSource["data"] {
  const { values } = column;
  if (column.type === "INT64") {
    if (values instanceof BigInt64Array) return values;
    if (column.nullable) {
      return Array.from(values as ArrayLike<number | bigint | null>, (value) => toBigInt(value));
    }
    const converted = new BigInt64Array(values.length);
    for (let index = 0; index < values.length; index++) {
      converted[index] = toBigInt(values[index] as number | bigint) as bigint;
    }
    return converted;
  }
  if (column.type === "DOUBLE" && !column.nullable && !(values instanceof Float64Array)) {
    return Float64Array.from(values as ArrayLike<number>);
  }
  if ((column.type === "INT32" || column.type === "DATE") && !column.nullable) {
    return values instanceof Int32Array ? values : Int32Array.from(values as ArrayLike<number>);
  }
  return Array.isArray(values) ? values : Array.from(values as ArrayLike<unknown>);
}

function toBigInt(value: number | bigint | null | undefined): bigint | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`INT64 value must be a safe integer, got ${value}`);
  }
  return BigInt(value);
}

/**
 * A hyparquet-writer `Writer` that hands its bytes to a file after every row group, so memory
 * holds at most one encoded row group.
 */
class FileSinkWriter extends ByteWriter {
  readonly #output: AtomicFile;

  constructor(output: AtomicFile) {
    super(1 << 20);
    this.#output = output;
  }

  flush(): void {
    if (this.index === 0) return;
    this.#output.writeSync(new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }
}

/** Row group and page sizes of a {@linkcode ParquetStreamWriter}, and its footer entries. */
export interface ParquetStreamWriterOptions {
  /** Maximum rows per row group: a `writeRowGroup` call with more rows is split. */
  rowGroupSize: number;
  /** Target uncompressed page size in bytes (hyparquet-writer's default is 1 MiB). */
  pageSize?: number;
  /** Entries of the footer's key-value metadata (the run id of the set the file belongs to). */
  footer?: Record<string, string>;
}

/**
 * A parquet file written row group by row group under a temporary name. Call
 * {@linkcode ParquetStreamWriter.commit} when done (renames into place) or
 * {@linkcode ParquetStreamWriter.abort} on failure.
 */
export class ParquetStreamWriter {
  /** The final path. */
  readonly path: string;
  /** The schema, in column order. */
  readonly columns: readonly ParquetColumnDefinition[];
  readonly #output: AtomicFile;
  readonly #writer: ParquetWriter;
  readonly #options: ParquetStreamWriterOptions;
  #rows = 0;

  private constructor(
    path: string,
    columns: readonly ParquetColumnDefinition[],
    output: AtomicFile,
    options: ParquetStreamWriterOptions,
  ) {
    this.path = path;
    this.columns = columns;
    this.#output = output;
    this.#options = options;
    this.#writer = new ParquetWriter({
      writer: new FileSinkWriter(output),
      schema: parquetSchemaFor(columns),
      compressors: { SNAPPY: snappyCompress },
      kvMetadata: options.footer
        ? Object.entries(options.footer).map(([key, value]) => ({ key, value }))
        : undefined,
    });
  }

  /** Opens `path` (under a temporary name) for writing a table with these columns. */
  static async create(
    path: string,
    columns: readonly ParquetColumnDefinition[],
    options: ParquetStreamWriterOptions,
  ): Promise<ParquetStreamWriter> {
    if (!(options.rowGroupSize >= 1)) throw new RangeError("rowGroupSize must be at least 1");
    const output = await AtomicFile.create(path);
    return new ParquetStreamWriter(path, columns, output, options);
  }

  /** Rows written so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Bytes written so far (the whole file once committed). */
  get bytesWritten(): number {
    return this.#output.bytesWritten;
  }

  /**
   * Encodes and writes rows: `values[name]` for every column, all of one length. Written as one
   * row group when it fits `rowGroupSize`.
   */
  writeRowGroup(values: Record<string, ParquetColumnValues>): void {
    const rowCount = this.#checkedRowCount(values);
    if (rowCount === 0) return;
    const columnData: ColumnSource[] = this.columns.map((column) => ({
      name: column.name,
      data: writerValues({ ...column, values: values[column.name] }),
      // Readers here scan whole row groups; offset indexes would only add bytes.
      offsetIndex: false,
    }));
    const pending = this.#writer.write({
      columnData,
      rowGroupSize: this.#options.rowGroupSize,
      pageSize: this.#options.pageSize,
    });
    if (pending) throw new Error("parquet writer unexpectedly deferred a row group");
    this.#rows += rowCount;
  }

  /** Writes the footer, closes the file and renames it into place. */
  async commit(): Promise<void> {
    await this.#writer.finish();
    await this.#output.commit();
  }

  /**
   * Writes the footer and closes the file, still under its temporary name: for a set of files
   * published together (`publish.ts`). Returns the file to publish.
   */
  async finish(): Promise<AtomicFile> {
    await this.#writer.finish();
    this.#output.complete();
    return this.#output;
  }

  /** Removes the temporary file; the final path is left untouched. */
  async abort(): Promise<void> {
    await this.#output.abort();
  }

  #checkedRowCount(values: Record<string, ParquetColumnValues>): number {
    let rowCount: number | undefined;
    for (const column of this.columns) {
      const columnValues = values[column.name];
      if (!columnValues) throw new Error(`no values for parquet column ${column.name}`);
      rowCount ??= columnValues.length;
      if (columnValues.length !== rowCount) {
        throw new Error(
          `parquet column ${column.name} has ${columnValues.length} values, expected ${rowCount}`,
        );
      }
      if (!column.nullable && !ArrayBuffer.isView(columnValues)) {
        const values = columnValues as ArrayLike<unknown>;
        for (let index = 0; index < values.length; index++) {
          if (values[index] === null || values[index] === undefined) {
            throw new Error(`parquet column ${column.name} is required but value ${index} is null`);
          }
        }
      }
    }
    return rowCount ?? 0;
  }
}

/** A table as written: where, how many rows, how many bytes. */
export interface WrittenTable {
  /** The final path. */
  path: string;
  /** Rows written. */
  rows: number;
  /** The file's size in bytes. */
  bytes: number;
}

/**
 * Writes a whole table to `path` atomically. Columns keep their order; all must hold the same
 * number of values. An empty table is written with its schema and no row groups.
 */
export async function writeParquetTable(
  path: string,
  columns: readonly ParquetTableColumn[],
  options: { rowGroupSize?: number; footer?: Record<string, string> } = {},
): Promise<WrittenTable> {
  const { file, ...written } = await writeUnpublishedParquetTable(path, columns, options);
  try {
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
  return written;
}

/**
 * {@linkcode writeParquetTable} up to the rename: the complete file under its temporary name, for
 * a set published together. The caller publishes or aborts `file`.
 */
export async function writeUnpublishedParquetTable(
  path: string,
  columns: readonly ParquetTableColumn[],
  options: { rowGroupSize?: number; footer?: Record<string, string> } = {},
): Promise<WrittenTable & { file: AtomicFile }> {
  const writer = await ParquetStreamWriter.create(path, columns, {
    rowGroupSize: options.rowGroupSize ?? DEFAULT_TABLE_ROW_GROUP_SIZE,
    footer: options.footer,
  });
  try {
    writer.writeRowGroup(Object.fromEntries(columns.map((column) => [column.name, column.values])));
    const file = await writer.finish();
    return { path, rows: writer.rows, bytes: writer.bytesWritten, file };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
