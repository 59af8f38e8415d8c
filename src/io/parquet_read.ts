/**
 * Reading parquet files in flat memory with hyparquet.
 *
 * A file is opened once (its footer parsed once) and read through a file-backed buffer that reads
 * only the byte ranges asked for, so a 10 GB file costs what one row group of the chosen columns
 * costs. hyparquet's results are normalised into a few plain forms, whatever the encoding:
 *
 * - required numbers (INT32, INT64, FLOAT, DOUBLE, DATE) → one `Float64Array`; INT64 arrives as
 *   numbers, exact up to 2^53; DATE as days since 1970-01-01 ({@linkcode isoDateFromDays});
 * - nullable numbers → `(number | null)[]`; strings → `(string | null)[]`; booleans →
 *   `(boolean | null)[]`; other logical types (timestamps, JSON…) as hyparquet decodes them.
 *
 * A broken or missing file is a {@linkcode UserError} naming the path.
 *
 * @example Sum a column one row group at a time, and read a few rows of a file
 * ```ts
 * let revenue = 0;
 * await forEachRowGroup("data/clean/dirty_1m_clean.parquet", ["revenue"], (batch) => {
 *   const values = batch.columns.revenue as Float64Array;
 *   for (let row = 0; row < batch.rowCount; row++) revenue += values[row];
 * });
 *
 * using file = await openParquet("data/clean/dirty_1m_clean.parquet");
 * const head = await file.readRows({ columns: ["order_id", "sale_date"], rowEnd: 5 });
 * console.log(file.rowCount, head.columns.order_id, revenue);
 * ```
 */
import {
  type FileMetaData as HyparquetFileMetaData,
  parquetMetadataAsync,
  parquetRead,
  type SchemaElement,
} from "hyparquet";
import type { AsyncBuffer, ColumnData, DecodedArray, ParquetParsers } from "hyparquet";
import { snappyUncompress } from "./_snappy.ts";
import { errorMessage, UserError } from "./errors.ts";
import { cutList, shortQuote } from "./short_text.ts";

/** The type of a column as dpd names it; `OTHER` covers logical types dpd does not write. */
export type ParquetColumnType =
  | "STRING"
  | "INT32"
  | "INT64"
  | "FLOAT"
  | "DOUBLE"
  | "DATE"
  | "BOOLEAN"
  | "OTHER";

/** A parquet file's footer metadata (schema, row groups, key-value pairs), as hyparquet types it. */
export type FileMetaData = HyparquetFileMetaData;

/** One top-level column of a parquet file. */
export interface ParquetColumnInfo {
  /** The column's name in the schema. */
  name: string;
  /** Its type as dpd names it. */
  type: ParquetColumnType;
  /** Whether it may hold nulls (not REQUIRED). */
  nullable: boolean;
  /** The parquet physical type, like `BYTE_ARRAY` or `INT64`. */
  physicalType: string;
}

/** A row group: rows `[rowStart, rowEnd)` of the file. */
export interface RowGroupRange {
  /** The row group's position in the file, from 0. */
  index: number;
  /** Its first row in the file. */
  rowStart: number;
  /** One past its last row in the file. */
  rowEnd: number;
}

/** One column's values for a run of rows, in the forms described at the top of this module. */
export type ColumnValues =
  | Float64Array
  | (string | null)[]
  | (number | null)[]
  | (boolean | null)[]
  | unknown[];

/** Rows `[rowStart, rowEnd)` of some columns. */
export interface ParquetRowBatch {
  /** The first row read. */
  rowStart: number;
  /** One past the last row read. */
  rowEnd: number;
  /** `rowEnd - rowStart`. */
  rowCount: number;
  /** Values by column name; every array holds `rowCount` values. */
  columns: Record<string, ColumnValues>;
}

/** Which columns and rows {@linkcode ParquetFile.readRows} reads, and how it decodes strings. */
export interface ReadRowsOptions {
  /** Columns to read; all columns when omitted. */
  columns?: readonly string[];
  /** First row (inclusive); 0 when omitted. */
  rowStart?: number;
  /** Last row (exclusive), clamped to the file; the end of the file when omitted. */
  rowEnd?: number;
  /**
   * For some STRING columns, by name: turns a value's UTF-8 bytes into the value returned instead
   * of a string. It is called once per dictionary entry of dictionary-encoded pages, so a caller
   * that groups by a string column can have small ids without a lookup per row.
   */
  parseStrings?: Readonly<Record<string, (bytes: Uint8Array) => unknown>>;
}

const COMPRESSORS = { SNAPPY: snappyUncompress };
/** DATE as plain day numbers: a `Date` per value would cost an object per row. */
const PARSERS = { dateFromDays: (days: number) => days };

/** `YYYY-MM-DD` for a count of days since 1970-01-01. */
export { isoDateFromDays } from "./days.ts";

/**
 * An AsyncBuffer over an open file that reads each requested byte range with seek + read. Reads
 * are synchronous: hyparquet issues several slices at once, and one file position cannot serve
 * interleaved asynchronous reads.
 */
class FileRangeBuffer implements AsyncBuffer {
  readonly byteLength: number;
  readonly #file: Deno.FsFile;
  readonly #path: string;

  constructor(file: Deno.FsFile, byteLength: number, path: string) {
    this.#file = file;
    this.byteLength = byteLength;
    this.#path = path;
  }

  slice(start: number, end = this.byteLength): ArrayBuffer {
    const length = Math.max(0, Math.min(end, this.byteLength) - start);
    const bytes = new Uint8Array(length);
    this.#file.seekSync(start, Deno.SeekMode.Start);
    let filled = 0;
    while (filled < length) {
      const read = this.#file.readSync(bytes.subarray(filled));
      if (read === null) {
        throw new UserError(`${this.#path} ended early: the parquet file is truncated`);
      }
      filled += read;
    }
    return bytes.buffer;
  }
}

function columnTypeOf(element: SchemaElement): ParquetColumnType {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  if (logical === "STRING" || converted === "UTF8") return "STRING";
  if (logical === "DATE" || converted === "DATE") return "DATE";
  if (logical !== undefined || converted !== undefined) return "OTHER";
  switch (element.type) {
    case "INT32":
    case "INT64":
    case "FLOAT":
    case "DOUBLE":
    case "BOOLEAN":
      return element.type;
    case "BYTE_ARRAY":
      return "STRING";
    default:
      return "OTHER";
  }
}

const NUMERIC_TYPES = new Set<ParquetColumnType>(["INT32", "INT64", "FLOAT", "DOUBLE", "DATE"]);

/** Copies `source[from, to)` into `target` at `at` as doubles, whatever hyparquet decoded. */
function copyNumbers(
  source: DecodedArray,
  from: number,
  to: number,
  target: Float64Array,
  at: number,
): void {
  if (source instanceof Float64Array || source instanceof Int32Array) {
    target.set(source.subarray(from, to), at);
  } else if (source instanceof BigInt64Array) {
    // Two 32-bit halves instead of a BigInt per value: the same number, many times faster.
    const words = new Int32Array(source.buffer, source.byteOffset, source.length * 2);
    for (let index = from; index < to; index++) {
      target[at++] = words[2 * index + 1] * 4_294_967_296 + (words[2 * index] >>> 0);
    }
  } else {
    const values = source as ArrayLike<number | bigint>;
    for (let index = from; index < to; index++) {
      const value = values[index];
      target[at++] = typeof value === "bigint" ? Number(value) : value;
    }
  }
}

/** Copies `source[from, to)` into a plain array, turning bigints into numbers. */
function copyValues(
  source: DecodedArray,
  from: number,
  to: number,
  target: unknown[],
  at: number,
  numeric: boolean,
): void {
  const values = source as ArrayLike<unknown>;
  for (let index = from; index < to; index++) {
    const value = values[index];
    target[at++] = value === undefined
      ? null
      : numeric && typeof value === "bigint"
      ? Number(value)
      : value;
  }
}

/**
 * Puts one column's chunks (a page each, or the whole chunk, as hyparquet hands them) back
 * together for rows `[rowStart, rowEnd)`. Chunks may start before or end after that range.
 */
function assembleColumn(
  info: ParquetColumnInfo,
  chunks: ColumnData[],
  rowStart: number,
  rowEnd: number,
): ColumnValues {
  const rowCount = rowEnd - rowStart;
  const numeric = NUMERIC_TYPES.has(info.type);
  if (numeric && !info.nullable) {
    const output = new Float64Array(rowCount);
    eachChunkPart(info, chunks, rowStart, rowEnd, (data, from, to, at) => {
      copyNumbers(data, from, to, output, at);
    });
    return output;
  }
  // One chunk that is exactly the range, strings or booleans: no copy needed.
  if (
    !numeric && chunks.length === 1 && chunks[0].rowStart === rowStart &&
    chunks[0].rowEnd === rowEnd && Array.isArray(chunks[0].columnData) &&
    !(chunks[0].columnData as unknown[]).includes(undefined)
  ) {
    return chunks[0].columnData as unknown[];
  }
  const output: unknown[] = new Array(rowCount);
  eachChunkPart(info, chunks, rowStart, rowEnd, (data, from, to, at) => {
    copyValues(data, from, to, output, at, numeric);
  });
  return output;
}

/**
 * Calls `copy` with each chunk's part of rows `[rowStart, rowEnd)`: the chunk's data, the part's
 * rows within the chunk, and where they start in the range. The parts must cover the range.
 */
function eachChunkPart(
  info: ParquetColumnInfo,
  chunks: ColumnData[],
  rowStart: number,
  rowEnd: number,
  copy: (data: DecodedArray, from: number, to: number, at: number) => void,
): void {
  let covered = 0;
  for (const chunk of chunks) {
    const from = Math.max(chunk.rowStart, rowStart);
    const to = Math.min(chunk.rowEnd, rowEnd);
    if (from >= to) continue;
    copy(chunk.columnData, from - chunk.rowStart, to - chunk.rowStart, from - rowStart);
    covered += to - from;
  }
  const rowCount = rowEnd - rowStart;
  if (covered !== rowCount) throw new Error(`column ${info.name}: ${covered} of ${rowCount} rows`);
}

/** Reads a parquet problem as something a person can act on. */
function unreadable(path: string, error: unknown, where?: string): UserError {
  if (error instanceof UserError) return error;
  const reason = errorMessage(error);
  const detail = where ? `${where}: ${reason}` : reason;
  return new UserError(
    `cannot read ${path} as parquet (${detail}). It is damaged or not parquet: ` +
      `re-run the command that wrote it.`,
    { cause: error },
  );
}

/** An open parquet file. Close it when done (or use `using`). */
export class ParquetFile implements Disposable {
  /** The path as given to {@linkcode ParquetFile.open}. */
  readonly path: string;
  /** The file's size in bytes. */
  readonly byteLength: number;
  /** The parsed footer. */
  readonly metadata: FileMetaData;
  /** Rows in the file. */
  readonly rowCount: number;
  /** The top-level columns, in schema order. */
  readonly columns: readonly ParquetColumnInfo[];
  /** The row groups, in file order. */
  readonly rowGroups: readonly RowGroupRange[];
  readonly #file: Deno.FsFile;
  readonly #buffer: FileRangeBuffer;
  readonly #columnsByName: Map<string, ParquetColumnInfo>;
  /** Schema positions of plain INT64 columns (no logical type), by name. */
  readonly #int64SchemaIndex = new Map<string, number>();
  #closed = false;

  private constructor(
    path: string,
    file: Deno.FsFile,
    buffer: FileRangeBuffer,
    metadata: FileMetaData,
  ) {
    this.path = path;
    this.#file = file;
    this.#buffer = buffer;
    this.byteLength = buffer.byteLength;
    this.metadata = metadata;
    this.rowCount = Number(metadata.num_rows);
    this.columns = topLevelColumns(metadata.schema);
    this.#columnsByName = new Map(this.columns.map((column) => [column.name, column]));
    metadata.schema.forEach((element, index) => {
      if (
        index > 0 && element.type === "INT64" && !element.num_children &&
        element.converted_type === undefined && element.logical_type === undefined
      ) this.#int64SchemaIndex.set(element.name, index);
    });
    let rowStart = 0;
    this.rowGroups = metadata.row_groups.map((group, index) => {
      const rowEnd = rowStart + Number(group.num_rows);
      const range = { index, rowStart, rowEnd };
      rowStart = rowEnd;
      return range;
    });
  }

  /** Opens `path` and reads its footer. Missing, unreadable or not parquet → UserError. */
  static async open(path: string): Promise<ParquetFile> {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { read: true });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new UserError(`${path} does not exist`, { cause: error });
      }
      throw unreadable(path, error);
    }
    try {
      const { size } = await file.stat();
      const buffer = new FileRangeBuffer(file, size, path);
      const metadata = await parquetMetadataAsync(buffer, { parsers: PARSERS });
      return new ParquetFile(path, file, buffer, metadata);
    } catch (error) {
      file.close();
      throw unreadable(path, error);
    }
  }

  /** The column called `name`, or undefined. */
  column(name: string): ParquetColumnInfo | undefined {
    return this.#columnsByName.get(name);
  }

  /** Reads rows `[rowStart, rowEnd)` of the given columns (all by default). */
  async readRows(options: ReadRowsOptions = {}): Promise<ParquetRowBatch> {
    if (this.#closed) throw new Error(`${this.path} is closed`);
    const rowStart = Math.max(0, Math.min(options.rowStart ?? 0, this.rowCount));
    const rowEnd = Math.max(rowStart, Math.min(options.rowEnd ?? this.rowCount, this.rowCount));
    const names = options.columns ?? this.columns.map((column) => column.name);
    const infos = names.map((name) => {
      const info = this.#columnsByName.get(name);
      if (!info) {
        throw new UserError(
          `${this.path} has no column ${shortQuote(name)} (it has ${
            cutList(this.columns.map((column) => column.name))
          })`,
        );
      }
      return info;
    });
    const chunksByColumn = new Map<string, ColumnData[]>(names.map((name) => [name, []]));
    if (rowEnd > rowStart && names.length > 0) {
      // hyparquet's parsers apply to a whole read, so a column with its own is read on its own.
      const parseStrings = options.parseStrings ?? {};
      const plain = names.filter((name) => !parseStrings[name]);
      const reads: { columns: string[]; parsers: Partial<ParquetParsers> }[] = names
        .filter((name) => parseStrings[name]).map((name) => ({
          columns: [name],
          parsers: { ...PARSERS, stringFromBytes: parseStrings[name] },
        }));
      if (plain.length > 0) reads.unshift({ columns: plain, parsers: PARSERS });
      try {
        for (const read of reads) {
          await parquetRead({
            file: this.#buffer,
            metadata: this.#metadataFor(read.columns, rowStart, rowEnd),
            columns: read.columns,
            rowStart,
            rowEnd,
            compressors: COMPRESSORS,
            parsers: read.parsers,
            onChunk: (chunk) => chunksByColumn.get(chunk.columnName)?.push(chunk),
          });
        }
      } catch (error) {
        throw unreadable(this.path, error, `rows ${rowStart}–${rowEnd}`);
      }
    }
    const columns: Record<string, ColumnValues> = {};
    for (const info of infos) {
      columns[info.name] = assembleColumn(info, chunksByColumn.get(info.name)!, rowStart, rowEnd);
    }
    return { rowStart, rowEnd, rowCount: rowEnd - rowStart, columns };
  }

  /**
   * The metadata to read with. hyparquet expands a dictionary-encoded INT64 column into one
   * BigInt per value (an allocation each: most of the cost of reading `sale_date`). Labelled as a
   * DECIMAL of scale 0, the same column is converted once per dictionary entry, by `Number`, and
   * its pages become plain numbers: the same values, exact up to 2^53, several times faster. Only
   * columns whose chunks in the range all have a dictionary are relabelled: a plain INT64 chunk is
   * faster as the `BigInt64Array` hyparquet returns for it.
   */
  #metadataFor(names: readonly string[], rowStart: number, rowEnd: number): FileMetaData {
    const relabel = names.filter((name) => {
      const schemaIndex = this.#int64SchemaIndex.get(name);
      if (schemaIndex === undefined) return false;
      return this.rowGroups.every((group) =>
        group.rowEnd <= rowStart || group.rowStart >= rowEnd ||
        this.metadata.row_groups[group.index].columns.some((chunk) =>
          chunk.meta_data?.path_in_schema[0] === name &&
          chunk.meta_data.dictionary_page_offset !== undefined
        )
      );
    });
    if (relabel.length === 0) return this.metadata;
    const schema = this.metadata.schema.map((element) =>
      relabel.includes(element.name) && this.#int64SchemaIndex.has(element.name)
        ? { ...element, converted_type: "DECIMAL" as const, scale: 0, precision: 18 }
        : element
    );
    return { ...this.metadata, schema };
  }

  /** Reads one whole row group of the given columns (`options` as for `readRows`). */
  readRowGroup(
    index: number,
    columns?: readonly string[],
    options: Pick<ReadRowsOptions, "parseStrings"> = {},
  ): Promise<ParquetRowBatch> {
    const group = this.rowGroups[index];
    if (!group) throw new RangeError(`${this.path} has no row group ${index}`);
    return this.readRows({ ...options, columns, rowStart: group.rowStart, rowEnd: group.rowEnd });
  }

  /** Closes the file; later reads fail. Closing twice is harmless. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#file.close();
  }

  /** Closes the file at the end of a `using` block. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/** The top-level (flat) columns of a schema; nested groups are listed as `OTHER`. */
function topLevelColumns(schema: SchemaElement[]): ParquetColumnInfo[] {
  const columns: ParquetColumnInfo[] = [];
  let index = 1;
  const skipSubtree = (at: number): number => {
    let next = at + 1;
    for (let child = 0; child < (schema[at].num_children ?? 0); child++) next = skipSubtree(next);
    return next;
  };
  while (index < schema.length) {
    const element = schema[index];
    const nested = (element.num_children ?? 0) > 0;
    columns.push({
      name: element.name,
      type: nested ? "OTHER" : columnTypeOf(element),
      nullable: element.repetition_type !== "REQUIRED",
      physicalType: nested ? "GROUP" : element.type ?? "UNKNOWN",
    });
    index = skipSubtree(index);
  }
  return columns;
}

/** Opens a parquet file: see {@linkcode ParquetFile}. */
export function openParquet(path: string): Promise<ParquetFile> {
  return ParquetFile.open(path);
}

/** Which row groups {@linkcode forEachRowGroup} visits. */
export interface ForEachRowGroupOptions {
  /** Only these row groups (indexes), in this order; all by default. */
  rowGroups?: readonly number[];
}

/**
 * Calls `onRowGroup` with each row group of `columns`, one at a time, awaiting it before reading
 * the next: memory holds one row group of those columns.
 */
export async function forEachRowGroup(
  path: string,
  columns: readonly string[],
  onRowGroup: (batch: ParquetRowBatch, group: RowGroupRange) => void | Promise<void>,
  options: ForEachRowGroupOptions = {},
): Promise<void> {
  using file = await ParquetFile.open(path);
  const indexes = options.rowGroups ?? file.rowGroups.map((group) => group.index);
  for (const index of indexes) {
    const batch = await file.readRowGroup(index, columns);
    await onRowGroup(batch, file.rowGroups[index]);
  }
}
