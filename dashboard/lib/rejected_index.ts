/**
 * An index over a rejected-rows CSV (docs/cleaning.md), built in one streaming pass per file
 * version: the rows per reason, the byte offset of every row by reason (for paging a reason without
 * scanning), a checkpoint every {@linkcode CHECKPOINT_EVERY} rows (for paging all rows), and the
 * raw region and category values that were rejected, with their counts (the review queue).
 *
 * Several files read as one list (the rejected CSVs of a sharded run, in shard order) are indexed
 * as one: a row's position is its file's number times {@linkcode FILE_STRIDE} plus its byte
 * offset in that file, so every list of positions below spans the files in their order.
 *
 * Memory is 8 bytes per rejected row plus the distinct raw values; the file itself is never held.
 * A search, column filter or sort is answered by one streaming pass that keeps the matching rows'
 * offsets (8 bytes each), cached for the last few queries, so paging and reloading it are warm.
 */
import {
  CsvChunkParser,
  type CsvRecordBatch,
  FIELD_NON_ASCII,
  fieldText,
  RECORD_OK,
  recordFields,
} from "../../src/io/csv_parse.ts";
import { categoryKey, regionKey } from "../../src/lookups/keys.ts";
import {
  type ColumnMapping,
  type ColumnRole,
  normaliseColumnName,
} from "../../src/io/column_roles.ts";
import { FileDerivedCache, fileSignature } from "./file_cache.ts";
import {
  compareSortKeys,
  isIndexedQuery,
  queryKey,
  type RejectedQuery,
  rowMatcher,
  sortKey,
} from "./rejected_query.ts";

/** Rows between two checkpoints of the unfiltered listing. */
export const CHECKPOINT_EVERY = 64;
/** Distinct raw values kept per review list; beyond it values are only counted. */
export const MAX_REVIEW_VALUES = 20_000;
/** Bytes read at a time: large for the indexing pass, small for reading one page or one row. */
const READ_CHUNK_BYTES = 4 << 20;
const PAGE_CHUNK_BYTES = 256 << 10;
const RECORD_CHUNK_BYTES = 16 << 10;
/**
 * Positions per file: a row at byte `offset` of file `n` is at `n * FILE_STRIDE + offset`. Files
 * up to 1 TiB, and 8192 files, stay within the integers a float64 holds exactly.
 */
export const FILE_STRIDE = 2 ** 40;

/** A growable list of byte offsets. */
class OffsetList {
  #values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.length++] = value;
  }

  at(index: number): number {
    return this.#values[index];
  }
}

/** A rejected raw value awaiting review, grouped by its lookup key. */
export interface ReviewValue {
  /** The key the cleaner compared (region key or category key). */
  key: string;
  /** The most frequent spelling (trimmed), for display and for a new canonical name. */
  display: string;
  rows: number;
  /** Distinct spellings seen for the key. */
  spellings: number;
}

export interface RejectedIndex {
  /** The first file (the only one unless several are read as one). */
  path: string;
  /** Every file, in the order their rows are listed. */
  paths: string[];
  /** Where each file's rows start (after its header). */
  bodyOffsets: number[];
  signature: string;
  /** The CSV header: the input's fields, then `rejection_reason` and `source_line`. */
  header: string[];
  rows: number;
  /** Reason → rows, in first-seen order. */
  reasonCounts: Map<string, number>;
  /** Rows of the file that could not be parsed (a damaged file). */
  unreadableRows: number;
  reviewRegions: ReviewValue[];
  reviewCategories: ReviewValue[];
  /** Distinct review values beyond {@linkcode MAX_REVIEW_VALUES} that were only counted. */
  reviewOverflowRows: number;
  /** Positions (see {@linkcode FILE_STRIDE}) of each reason's rows. */
  offsetsByReason: Map<string, OffsetList>;
  /** The position of every {@linkcode CHECKPOINT_EVERY}th row. */
  checkpoints: OffsetList;
}

interface ValueTally {
  rows: number;
  spellings: Map<string, number>;
}

class ReviewTally {
  readonly #byKey = new Map<string, ValueTally>();
  overflowRows = 0;

  add(raw: string, key: string): void {
    let tally = this.#byKey.get(key);
    if (!tally) {
      if (this.#byKey.size >= MAX_REVIEW_VALUES) {
        this.overflowRows++;
        return;
      }
      this.#byKey.set(key, tally = { rows: 0, spellings: new Map() });
    }
    tally.rows++;
    const spelling = raw.trim();
    if (tally.spellings.size < 64 || tally.spellings.has(spelling)) {
      tally.spellings.set(spelling, (tally.spellings.get(spelling) ?? 0) + 1);
    }
  }

  values(): ReviewValue[] {
    return [...this.#byKey].map(([key, tally]) => {
      let display = "";
      let best = -1;
      for (const [spelling, rows] of tally.spellings) {
        if (rows > best || (rows === best && spelling < display)) {
          display = spelling;
          best = rows;
        }
      }
      return { key, display, rows: tally.rows, spellings: tally.spellings.size };
    }).sort((a, b) => b.rows - a.rows || (a.key < b.key ? -1 : 1));
  }
}

const indexes = new FileDerivedCache<RejectedIndex>(8);

/** One path, or several read as one list, as the functions below take them. */
export type RejectedPaths = string | readonly string[];

function pathList(paths: RejectedPaths): string[] {
  const list = typeof paths === "string" ? [paths] : [...paths];
  if (list.length === 0) throw new Deno.errors.NotFound("no rejected CSV to read");
  return list;
}

/**
 * The index of the current version of a rejected CSV, or of several read as one list (the shards'
 * files, in shard order). A missing file → `Deno.errors.NotFound`.
 */
export function rejectedIndex(
  paths: RejectedPaths,
  columns?: ColumnMapping,
): Promise<RejectedIndex> {
  const list = pathList(paths);
  return indexes.getAll(list, (infos) => buildIndex(list, infos, columns));
}

/** The files of an index, open for reading; closed together. */
class OpenFiles implements Disposable {
  private constructor(readonly files: Deno.FsFile[]) {}

  static async open(paths: readonly string[]): Promise<OpenFiles> {
    const files: Deno.FsFile[] = [];
    try {
      for (const path of paths) files.push(await Deno.open(path, { read: true }));
    } catch (error) {
      for (const file of files) file.close();
      throw error;
    }
    return new OpenFiles(files);
  }

  /** The files' versions, as {@linkcode RejectedIndex.signature} records them. */
  async signature(): Promise<string> {
    return (await Promise.all(this.files.map((file) => file.stat()))).map(fileSignature).join("|");
  }

  [Symbol.dispose](): void {
    for (const file of this.files) file.close();
  }
}

/** Takes a batch of records and where its bytes start; false stops the scan. */
type BatchHandler = (
  batch: CsvRecordBatch,
  baseOffset: number,
) => boolean | void | Promise<boolean | void>;

/**
 * Reads a file chunk by chunk and hands each complete record batch to `onBatch`; true when
 * `onBatch` stopped it.
 */
async function scanRecords(
  file: Deno.FsFile,
  startOffset: number,
  fieldCount: number,
  onBatch: BatchHandler,
  chunkBytes = READ_CHUNK_BYTES,
): Promise<boolean> {
  const parser = new CsvChunkParser();
  let buffer = new Uint8Array(chunkBytes);
  let filled = 0;
  let baseOffset = startOffset;
  await file.seek(startOffset, Deno.SeekMode.Start);
  let ended = false;
  while (!ended) {
    if (filled === buffer.length) {
      // One record larger than the buffer: grow until it fits.
      const grown = new Uint8Array(buffer.length * 2);
      grown.set(buffer);
      buffer = grown;
    }
    const read = await file.read(buffer.subarray(filled));
    if (read === null) ended = true;
    else filled += read;
    const batch = parser.parse(buffer, 0, filled, { fieldCount, firstLine: 1, final: ended });
    if (batch.count > 0 && (await onBatch(batch, baseOffset)) === false) return true;
    const rest = filled - batch.consumed;
    buffer.copyWithin(0, batch.consumed, filled);
    baseOffset += batch.consumed;
    filled = rest;
  }
  return false;
}

/**
 * {@linkcode scanRecords} over an index's files from `position` on: the rest of that file, then
 * each later file's rows. `onBatch` gets the position of the batch's bytes.
 */
async function scanFrom(
  open: OpenFiles,
  index: RejectedIndex,
  position: number,
  onBatch: BatchHandler,
  chunkBytes = READ_CHUNK_BYTES,
): Promise<void> {
  let fileNumber = Math.floor(position / FILE_STRIDE);
  let offset = position - fileNumber * FILE_STRIDE;
  while (fileNumber < open.files.length) {
    const base = fileNumber * FILE_STRIDE;
    const stopped = await scanRecords(
      open.files[fileNumber],
      offset,
      index.header.length,
      (batch, baseOffset) => onBatch(batch, base + baseOffset),
      chunkBytes,
    );
    if (stopped) return;
    fileNumber++;
    offset = index.bodyOffsets[fileNumber];
  }
}

async function readHeader(file: Deno.FsFile): Promise<{ header: string[]; bodyOffset: number }> {
  const parser = new CsvChunkParser();
  let buffer = new Uint8Array(64 * 1024);
  let filled = 0;
  for (;;) {
    const read = await file.read(buffer.subarray(filled));
    const ended = read === null;
    if (!ended) filled += read;
    const batch = parser.parse(buffer, 0, filled, {
      fieldCount: 0,
      firstLine: 1,
      final: ended,
      maxRecords: 1,
    });
    if (batch.count === 1 && batch.status[0] === RECORD_OK) {
      return { header: recordFields(batch, 0), bodyOffset: batch.consumed };
    }
    if (ended || batch.count === 1) throw new Error("the rejected CSV has no readable header");
    if (filled === buffer.length) {
      const grown = new Uint8Array(buffer.length * 2);
      grown.set(buffer);
      buffer = grown;
    }
  }
}

/**
 * The rejected CSV's region and category columns: the input's header names, so the ones the clean
 * run read for those roles (the report's `columns`), else the ones named like the role.
 */
function roleColumn(header: readonly string[], role: ColumnRole, columns?: ColumnMapping): number {
  const name = columns?.columns?.[role]?.trim();
  const exact = name === undefined ? -1 : header.findIndex((column) => column.trim() === name);
  return exact >= 0 ? exact : header.findIndex((column) => normaliseColumnName(column) === role);
}

async function buildIndex(
  paths: readonly string[],
  infos: readonly Deno.FileInfo[],
  columns?: ColumnMapping,
): Promise<RejectedIndex> {
  let header: string[] = [];
  const bodyOffsets: number[] = [];
  const reasonCounts = new Map<string, number>();
  const offsetsByReason = new Map<string, OffsetList>();
  const checkpoints = new OffsetList();
  const regions = new ReviewTally();
  const categories = new ReviewTally();
  let rows = 0;
  let unreadableRows = 0;

  for (const [fileNumber, path] of paths.entries()) {
    using file = await Deno.open(path, { read: true });
    const read = await readHeader(file);
    bodyOffsets.push(read.bodyOffset);
    if (fileNumber === 0) header = read.header;
    else if (read.header.join("\n") !== header.join("\n")) {
      throw new Error(
        `${path} has other columns than ${paths[0]} (${read.header.join(",")} against ` +
          `${header.join(",")}): the shards did not clean the same input; re-run every shard`,
      );
    }
    const lowerHeader = header.map((name) => name.trim().toLowerCase());
    const reasonColumn = lowerHeader.lastIndexOf("rejection_reason");
    if (reasonColumn < 0) throw new Error(`${path} has no rejection_reason column`);
    const inputHeader = header.slice(0, reasonColumn);
    const regionColumn = roleColumn(inputHeader, "region", columns);
    const categoryColumn = roleColumn(inputHeader, "category", columns);
    const base = fileNumber * FILE_STRIDE;

    await scanRecords(file, read.bodyOffset, header.length, (batch, baseOffset) => {
      for (let record = 0; record < batch.count; record++) {
        const offset = base + baseOffset + batch.recordStart[record];
        if (rows % CHECKPOINT_EVERY === 0) checkpoints.push(offset);
        rows++;
        if (batch.status[record] !== RECORD_OK) {
          unreadableRows++;
          continue;
        }
        const reason = fieldText(batch, record, reasonColumn);
        reasonCounts.set(reason, (reasonCounts.get(reason) ?? 0) + 1);
        let offsets = offsetsByReason.get(reason);
        if (!offsets) offsetsByReason.set(reason, offsets = new OffsetList());
        offsets.push(offset);
        if (reason === "unknown_region" && regionColumn >= 0) {
          const raw = fieldText(batch, record, regionColumn);
          regions.add(raw, regionKey(raw));
        } else if (reason === "unknown_category" && categoryColumn >= 0) {
          const raw = fieldText(batch, record, categoryColumn);
          categories.add(raw, categoryKey(raw));
        }
      }
    });
  }

  return {
    path: paths[0],
    paths: [...paths],
    bodyOffsets,
    signature: infos.map(fileSignature).join("|"),
    header,
    rows,
    reasonCounts,
    unreadableRows,
    reviewRegions: regions.values(),
    reviewCategories: categories.values(),
    reviewOverflowRows: regions.overflowRows + categories.overflowRows,
    offsetsByReason,
    checkpoints,
  };
}

/** One rejected row as read: its fields in header order. */
export type RejectedRow = string[];

export interface RejectedPage {
  rows: RejectedRow[];
  /** Rows matching the filter (all rows without one). */
  total: number;
  /** 1-based page, clamped. */
  page: number;
  pageCount: number;
  /** Index of the page's first row among the matching rows. */
  first: number;
}

function recordAsRow(batch: CsvRecordBatch, record: number, fieldCount: number): RejectedRow {
  if (batch.status[record] === RECORD_OK) return recordFields(batch, record);
  const row = new Array<string>(fieldCount).fill("");
  row[0] = "(this row of the rejected file is damaged)";
  return row;
}

/** Reads the rows at the positions `offsets[first..last)`, one short read each. */
async function readRowsAt(
  open: OpenFiles,
  offsets: { at(index: number): number | undefined; length: number },
  first: number,
  last: number,
  fieldCount: number,
): Promise<RejectedRow[]> {
  const rows: RejectedRow[] = [];
  for (let row = first; row < Math.min(last, offsets.length); row++) {
    const position = offsets.at(row)!;
    const fileNumber = Math.floor(position / FILE_STRIDE);
    const file = open.files[fileNumber];
    await scanRecords(file, position - fileNumber * FILE_STRIDE, fieldCount, (batch) => {
      rows.push(recordAsRow(batch, 0, fieldCount));
      return false;
    }, RECORD_CHUNK_BYTES);
  }
  return rows;
}

/** Matching rows' offsets per query, most recent few: paging and reloading a search is warm. */
const matchCache = new Map<string, Promise<Float64Array>>();
const MATCH_CACHE_ENTRIES = 6;

/**
 * The byte offsets of the rows a query selects, in its order: one streaming pass over the file
 * (the reason compared before any other field is decoded), then a sort when asked. Cached per
 * file version and query.
 */
function matchingOffsets(
  open: OpenFiles,
  index: RejectedIndex,
  query: RejectedQuery,
): Promise<Float64Array> {
  const key = `${index.paths.join("\n")}\n${index.signature}\n${queryKey(query)}`;
  let entry = matchCache.get(key);
  if (entry) {
    matchCache.delete(key); // re-inserted below: the map's order is the use order
  } else {
    entry = scanMatches(open, index, query);
    entry.catch(() => matchCache.delete(key));
  }
  matchCache.set(key, entry);
  while (matchCache.size > MATCH_CACHE_ENTRIES) {
    matchCache.delete(matchCache.keys().next().value!);
  }
  return entry;
}

/**
 * Numbers, then text, then blanks, in either direction: a column of numbers sorted largest first
 * starts with its largest number, not with the odd `two` or `N/A`.
 */
function sortRank(key: number | string | undefined): number {
  return key === undefined ? 2 : typeof key === "number" ? 0 : 1;
}

/** ASCII lower case of one byte. */
function lowerByte(byte: number): number {
  return byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte;
}

/**
 * Whether `source[start, end)` holds `needle` (lower-case ASCII bytes), ignoring ASCII case: a
 * cheap test on a record's raw bytes before any field is decoded.
 */
function holdsBytes(source: Uint8Array, start: number, end: number, needle: Uint8Array): boolean {
  const first = needle[0];
  const last = end - needle.length;
  for (let at = start; at <= last; at++) {
    if (lowerByte(source[at]) !== first) continue;
    let matched = 1;
    while (matched < needle.length && lowerByte(source[at + matched]) === needle[matched]) {
      matched++;
    }
    if (matched === needle.length) return true;
  }
  return false;
}

async function scanMatches(
  open: OpenFiles,
  index: RejectedIndex,
  query: RejectedQuery,
): Promise<Float64Array> {
  const offsets = new OffsetList();
  if (index.rows === 0) return new Float64Array(0);
  const fieldCount = index.header.length;
  const reasonColumn = index.header.lastIndexOf("rejection_reason");
  const sortColumn = query.sort === undefined ? -1 : index.header.indexOf(query.sort);
  const matches = rowMatcher(query, index.header);
  const filterColumns = query.filters.map((filter) => index.header.indexOf(filter.column));
  const filterValues = query.filters.map((filter) => filter.value.trim().toLowerCase());
  // An ASCII search without quotes appears in a matching record's raw bytes as typed (quoting
  // only adds quotes around a field), so records without it are skipped undecoded. Records with
  // non-ASCII text take the exact path: lower-casing them may produce ASCII letters.
  const search = query.search?.toLowerCase();
  const needle = search !== undefined && /^[\x20-\x7e]+$/.test(search) && !search.includes('"')
    ? new TextEncoder().encode(search)
    : undefined;
  const keys: (number | string | undefined)[] = [];
  await scanFrom(open, index, index.checkpoints.at(0), (batch, baseOffset) => {
    records: for (let record = 0; record < batch.count; record++) {
      if (batch.status[record] !== RECORD_OK) continue;
      if (
        query.reason !== undefined && fieldText(batch, record, reasonColumn) !== query.reason
      ) continue;
      for (let filter = 0; filter < filterColumns.length; filter++) {
        const text = fieldText(batch, record, filterColumns[filter]).trim().toLowerCase();
        if (text !== filterValues[filter]) continue records;
      }
      if (needle !== undefined) {
        const start = batch.recordStart[record];
        if (!holdsBytes(batch.source, start, batch.recordEnd[record], needle)) {
          let ascii = true;
          for (let field = 0; field < fieldCount && ascii; field++) {
            ascii = (batch.fieldFlags[record * fieldCount + field] & FIELD_NON_ASCII) === 0;
          }
          if (ascii) continue;
        }
      }
      if (search !== undefined && !matches(recordFields(batch, record))) continue;
      offsets.push(baseOffset + batch.recordStart[record]);
      if (sortColumn >= 0) keys.push(sortKey(fieldText(batch, record, sortColumn)));
    }
  });
  const found = new Float64Array(offsets.length);
  for (let at = 0; at < offsets.length; at++) found[at] = offsets.at(at);
  if (sortColumn < 0) return found;
  const sign = query.direction === "desc" ? -1 : 1;
  const order = Array.from({ length: found.length }, (_, at) => at);
  order.sort((a, b) =>
    sortRank(keys[a]) - sortRank(keys[b]) ||
    (keys[a] === undefined ? 0 : sign * compareSortKeys(keys[a]!, keys[b]!)) ||
    a - b // equal keys keep the file's order
  );
  return Float64Array.from(order, (at) => found[at]);
}

/**
 * A page of rejected rows: all rows, one reason's (answered from the index), or the rows a search,
 * column filters or a sort select (one pass over the file, then cached). Re-indexes first when the
 * file changed since the index was built, so offsets always belong to the file being read.
 */
export async function readRejectedPage(
  paths: RejectedPaths,
  options: {
    reason?: string;
    query?: RejectedQuery;
    page: number;
    pageSize: number;
    columns?: ColumnMapping;
  },
): Promise<{ index: RejectedIndex; page: RejectedPage }> {
  const query: RejectedQuery = options.query ??
    { reason: options.reason, filters: [], direction: "asc" };
  for (let attempt = 0;; attempt++) {
    const index = await rejectedIndex(paths, options.columns);
    using open = await OpenFiles.open(index.paths);
    if (await open.signature() !== index.signature && attempt < 2) continue;
    const fieldCount = index.header.length;
    const selected = isIndexedQuery(query) ? undefined : await matchingOffsets(open, index, query);
    const total = selected
      ? selected.length
      : query.reason === undefined
      ? index.rows
      : index.reasonCounts.get(query.reason) ?? 0;
    const pageCount = Math.max(1, Math.ceil(total / options.pageSize));
    const page = Math.min(Math.max(1, options.page), pageCount);
    const first = (page - 1) * options.pageSize;
    const last = Math.min(total, first + options.pageSize);
    let rows: RejectedRow[] = [];
    if (selected) {
      rows = await readRowsAt(open, selected, first, last, fieldCount);
    } else if (query.reason === undefined) {
      if (last > first) {
        const checkpoint = Math.floor(first / CHECKPOINT_EVERY);
        let skip = first - checkpoint * CHECKPOINT_EVERY;
        await scanFrom(open, index, index.checkpoints.at(checkpoint), (batch) => {
          for (let record = 0; record < batch.count && rows.length < last - first; record++) {
            if (skip > 0) {
              skip--;
              continue;
            }
            rows.push(recordAsRow(batch, record, fieldCount));
          }
          return rows.length < last - first;
        }, PAGE_CHUNK_BYTES);
      }
    } else {
      const offsets = index.offsetsByReason.get(query.reason);
      if (offsets) rows = await readRowsAt(open, offsets, first, last, fieldCount);
    }
    return { index, page: { rows, total, page, pageCount, first } };
  }
}

/** Rows handed over per call while streaming every match (a download). */
const STREAM_BATCH_ROWS = 2_000;

/**
 * Every row a query selects, in its order, handed over in batches (for the CSV download): a
 * streaming pass for file order, reads by offset for a sorted result. `onRows` may wait (the
 * response's back-pressure). Returns the index the rows were read with.
 */
export async function streamRejectedRows(
  paths: RejectedPaths,
  query: RejectedQuery,
  onRows: (rows: RejectedRow[]) => Promise<void>,
  columns?: ColumnMapping,
): Promise<RejectedIndex> {
  const index = await rejectedIndex(paths, columns);
  using open = await OpenFiles.open(index.paths);
  if (await open.signature() !== index.signature) {
    throw new Error(`${index.paths.join(", ")} changed while being read; try again`);
  }
  const fieldCount = index.header.length;
  if (index.rows === 0) return index;
  if (query.sort !== undefined) {
    const offsets = await matchingOffsets(open, index, query);
    for (let first = 0; first < offsets.length; first += STREAM_BATCH_ROWS) {
      await onRows(await readRowsAt(open, offsets, first, first + STREAM_BATCH_ROWS, fieldCount));
    }
    return index;
  }
  const matches = rowMatcher(query, index.header);
  await scanFrom(open, index, index.checkpoints.at(0), async (batch) => {
    const rows: RejectedRow[] = [];
    for (let record = 0; record < batch.count; record++) {
      const row = recordAsRow(batch, record, fieldCount);
      if (batch.status[record] === RECORD_OK && matches(row)) rows.push(row);
    }
    if (rows.length > 0) await onRows(rows);
  });
  return index;
}
