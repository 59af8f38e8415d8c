/**
 * An index over a rejected-rows CSV (DESIGN §4, §10), built in one streaming pass per file version:
 * the rows per reason, the byte offset of every row by reason (for paging a reason without
 * scanning), a checkpoint every {@linkcode CHECKPOINT_EVERY} rows (for paging all rows), and the
 * raw region and category values that were rejected, with their counts (the review queue).
 *
 * Memory is 8 bytes per rejected row plus the distinct raw values; the file itself is never held.
 */
import {
  CsvChunkParser,
  type CsvRecordBatch,
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

/** Rows between two checkpoints of the unfiltered listing. */
export const CHECKPOINT_EVERY = 64;
/** Distinct raw values kept per review list; beyond it values are only counted. */
export const MAX_REVIEW_VALUES = 20_000;
/** Bytes read at a time: large for the indexing pass, small for reading one page or one row. */
const READ_CHUNK_BYTES = 4 << 20;
const PAGE_CHUNK_BYTES = 256 << 10;
const RECORD_CHUNK_BYTES = 16 << 10;

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
  path: string;
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
  offsetsByReason: Map<string, OffsetList>;
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

/** The index of the current version of a rejected CSV. Missing file → `Deno.errors.NotFound`. */
export function rejectedIndex(path: string, columns?: ColumnMapping): Promise<RejectedIndex> {
  return indexes.get(path, (file, info) => buildIndex(file, info, columns));
}

/** Reads a file chunk by chunk and hands each complete record batch to `onBatch`. */
async function scanRecords(
  file: Deno.FsFile,
  startOffset: number,
  fieldCount: number,
  onBatch: (batch: CsvRecordBatch, baseOffset: number) => boolean | void,
  chunkBytes = READ_CHUNK_BYTES,
): Promise<void> {
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
    if (batch.count > 0 && onBatch(batch, baseOffset) === false) return;
    const rest = filled - batch.consumed;
    buffer.copyWithin(0, batch.consumed, filled);
    baseOffset += batch.consumed;
    filled = rest;
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
  path: string,
  info: Deno.FileInfo,
  columns?: ColumnMapping,
): Promise<RejectedIndex> {
  using file = await Deno.open(path, { read: true });
  const { header, bodyOffset } = await readHeader(file);
  const lowerHeader = header.map((name) => name.trim().toLowerCase());
  const reasonColumn = lowerHeader.lastIndexOf("rejection_reason");
  if (reasonColumn < 0) throw new Error(`${path} has no rejection_reason column`);
  const inputHeader = header.slice(0, reasonColumn);
  const regionColumn = roleColumn(inputHeader, "region", columns);
  const categoryColumn = roleColumn(inputHeader, "category", columns);

  const reasonCounts = new Map<string, number>();
  const offsetsByReason = new Map<string, OffsetList>();
  const checkpoints = new OffsetList();
  const regions = new ReviewTally();
  const categories = new ReviewTally();
  let rows = 0;
  let unreadableRows = 0;

  await scanRecords(file, bodyOffset, header.length, (batch, baseOffset) => {
    for (let record = 0; record < batch.count; record++) {
      const offset = baseOffset + batch.recordStart[record];
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

  return {
    path,
    signature: fileSignature(info),
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

/**
 * A page of rejected rows, optionally of one reason. Re-indexes first when the file changed since
 * the index was built, so offsets always belong to the file being read.
 */
export async function readRejectedPage(
  path: string,
  options: { reason?: string; page: number; pageSize: number; columns?: ColumnMapping },
): Promise<{ index: RejectedIndex; page: RejectedPage }> {
  for (let attempt = 0;; attempt++) {
    const index = await rejectedIndex(path, options.columns);
    using file = await Deno.open(path, { read: true });
    if (fileSignature(await file.stat()) !== index.signature && attempt < 2) continue;
    const total = options.reason === undefined
      ? index.rows
      : index.reasonCounts.get(options.reason) ?? 0;
    const pageCount = Math.max(1, Math.ceil(total / options.pageSize));
    const page = Math.min(Math.max(1, options.page), pageCount);
    const first = (page - 1) * options.pageSize;
    const last = Math.min(total, first + options.pageSize);
    const rows: RejectedRow[] = [];
    const fieldCount = index.header.length;
    if (options.reason === undefined) {
      if (last > first) {
        const checkpoint = Math.floor(first / CHECKPOINT_EVERY);
        let skip = first - checkpoint * CHECKPOINT_EVERY;
        await scanRecords(file, index.checkpoints.at(checkpoint), fieldCount, (batch) => {
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
      const offsets = index.offsetsByReason.get(options.reason);
      for (let row = first; offsets && row < last; row++) {
        await scanRecords(file, offsets.at(row), fieldCount, (batch) => {
          rows.push(recordAsRow(batch, 0, fieldCount));
          return false;
        }, RECORD_CHUNK_BYTES);
      }
    }
    return { index, page: { rows, total, page, pageCount, first } };
  }
}
