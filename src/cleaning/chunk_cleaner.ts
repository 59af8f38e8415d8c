/**
 * Cleaning one chunk of the input: the work a clean-data worker does, in two phases.
 *
 * Rule 2 (`duplicate_order_id`) depends on every earlier row of the file, so it cannot run inside a
 * worker that sees one chunk. {@linkcode ChunkCleaner.scan} parses a chunk and applies every other
 * rule, listing the IDs the chunk claims; the main thread checks those against the whole file's IDs
 * in order; {@linkcode ChunkCleaner.finish} then marks duplicates, encodes the survivors as one
 * parquet row group and formats the rejected rows. Rule order and first-failure semantics are
 * those of docs/cleaning.md: a duplicate outranks every later rule, and a row claims its key even
 * if rules 3–9 reject it.
 */
import {
  CsvChunkParser,
  FIELD_ESCAPED_QUOTE,
  FIELD_NON_ASCII,
  fieldText,
  malformedRawText,
  type ParseChunkResult,
  RECORD_OK,
  skipRecord,
} from "../io/csv_parse.ts";
import { CsvByteWriter } from "../io/csv_write.ts";
import {
  DictionaryStringColumn,
  encodeColumns,
  NumberColumn,
  PlainStringColumn,
} from "../io/column_chunk_encoder.ts";
import type { EncodedRowGroup } from "../io/row_group_encoder.ts";
import { COLUMN_ROLES } from "../io/column_roles.ts";
import { ByteMemo } from "./byte_memo.ts";
import type { CleanConfig } from "./config.ts";
import { CLEAN_COLUMNS, type ExtraColumn, SECONDS_PER_DAY } from "./clean_schema.ts";
import { claimKeyText } from "./claim_key.ts";
import { shardOfKey, shardOfText, type ShardSpec } from "./shard.ts";
import { canonicalOrderNumber, canonicalOrderNumberOfText } from "./order_id_set.ts";
import { type PackedKeys, PackedKeyWriter } from "./dedup/key_encoding.ts";
import { CategoryMatcher } from "../lookups/category_matcher.ts";
import { discountAnomaly, parseDiscountBytes } from "./rules/discount.ts";
import { normaliseEmailBytes } from "./rules/email.ts";
import { parseQuantityBytes } from "./rules/quantity.ts";
import { REJECTION_REASONS, type RejectionReason } from "./rules/reasons.ts";
import { RegionResolver } from "./rules/region.ts";
import { computeRevenue, isValidRevenue } from "./rules/revenue.ts";
import { classifySaleDate, saleDateBounds } from "./rules/sale_date.ts";
import { parseUnitPriceBytes } from "./rules/unit_price.ts";
import { trimEndAscii, trimStartAscii } from "./rules/_bytes.ts";

/** The roles, in the order of {@linkcode CleanerSetup.columnPositions}. */
export const CLEANER_ROLES = COLUMN_ROLES;

const ORDER_ID = 0, PRODUCT_NAME = 1, CATEGORY = 2, QUANTITY = 3, UNIT_PRICE = 4, DISCOUNT = 5;
const REGION = 6, SALE_DATE = 7, EMAIL = 8;

function reasonCode(reason: RejectionReason): number {
  return REJECTION_REASONS.indexOf(reason);
}
const MALFORMED_ROW = reasonCode("malformed_row");
const MISSING_ORDER_ID = reasonCode("missing_order_id");
const MISSING_PRODUCT_NAME = reasonCode("missing_product_name");
const DUPLICATE_ORDER_ID = reasonCode("duplicate_order_id");
const INVALID_QUANTITY = reasonCode("invalid_quantity");
const ZERO_QUANTITY = reasonCode("zero_quantity");
const INVALID_UNIT_PRICE = reasonCode("invalid_unit_price");
const UNKNOWN_CATEGORY = reasonCode("unknown_category");
const UNKNOWN_REGION = reasonCode("unknown_region");
const INVALID_SALE_DATE = reasonCode("invalid_sale_date");
const SALE_DATE_OUT_OF_RANGE = reasonCode("sale_date_out_of_range");
const INVALID_CALCULATED_REVENUE = reasonCode("invalid_calculated_revenue");
/** A row no rule rejected (yet: duplicates are known only after the main thread's check). */
const CLEAN = 255;
/** A row of another shard (`--shard K/N`): not this run's, so not counted anywhere. */
const OTHER_SHARD = 254;

/** What a worker needs to know once, before any chunk. Plain data: it crosses `postMessage`. */
export interface CleanerSetup {
  /** The header's field count; records with another count are `malformed_row`. */
  fieldCount: number;
  /** The file's line end: LF (LF and CR LF files) or CR (CR-only files). */
  lineEnd: number;
  /** Records longer than this are `malformed_row`, their raw text cut. */
  maxRecordBytes: number;
  /**
   * For each of {@linkcode CLEANER_ROLES}, its position in the header; -1 for an optional role the
   * file lacks (no discount is 0, no e-mail is null).
   */
  columnPositions: number[];
  /** The header positions of the dedup key's columns, in key order; empty turns rule 2 off. */
  dedupKey: number[];
  /** The input's columns that the contract does not use, kept in the clean parquet. */
  extraColumns: ExtraColumn[];
  /** False for a dry run: count only, encode nothing. */
  encodeParquet: boolean;
  /** The input file's name, written as each rejected row's `source_file` when set. */
  sourceFile?: string;
  /**
   * `--shard K/N`: only the rows whose dedup key hashes to K are this run's (shard.ts); malformed
   * rows and blank keys are shard 0's. The others are skipped as if absent.
   */
  shard?: ShardSpec;
  /** `--partition-by sale_month`: survivors encoded as one row group per sale month. */
  partitionByMonth?: boolean;
  /** The switches, the as-of date and the lookups. */
  config: CleanConfig;
  /**
   * False when the main thread needs no keys (the key census already found the duplicates): scans
   * then leave `ChunkScan.claimTexts` empty. Default true.
   */
  claimKeys?: boolean;
}

/** How {@linkcode ChunkCleaner.scan} runs. */
export interface ScanOptions {
  /** Rules 0–1 and the claims only (the key census): nothing is kept for `finish`. */
  claimsOnly?: boolean;
  /** Parse at most this many records (the census's scanner hands over one at a time). */
  maxRecords?: number;
}

/** Phase 1's answer: where the chunk ended and which IDs it claims, in row order. */
export interface ChunkScan {
  /** Offset in the source just past the last complete record (see `ParseChunkResult`). */
  consumed: number;
  /** Line ends in `[begin, consumed)`: the next chunk starts that many lines later. */
  lineFeeds: number;
  /** When the chunk began inside a record being skipped and that record goes on past its end:
   * the skipping state to go on with in the next chunk. */
  skipState?: number;
  records: number;
  /** Per claiming row: the number of an `ORD-#########` key, or -1 (then see `claimTexts`). */
  claimNumbers: Float64Array;
  /** The trimmed text of each claim whose number is -1, in order. */
  claimTexts: string[];
  /** With `claimsOnly`: every claim's key in its canonical encoding (dedup/key_encoding.ts). */
  claimKeys?: PackedKeys;
}

/** Phase 2's answer: everything the main thread writes for this chunk. */
export interface ChunkOutput {
  records: number;
  cleanRows: number;
  /** The survivors as one encoded parquet row group, or undefined when none survived. */
  rowGroup?: EncodedRowGroup;
  /** With `partitionByMonth`: one row group per sale month (`YYYY-MM`), months in order. */
  monthGroups?: { month: string; rowGroup: EncodedRowGroup }[];
  /** The rejected rows as CSV lines (no header), in input order. */
  rejectedCsv: Uint8Array;
  /** Rows per rejection reason, indexed like `REJECTION_REASONS`. */
  reasonCounts: number[];
  heavyDiscountRows: number;
}

interface SaleDateClass {
  day: number;
  reason: number;
}

const encoder = new TextEncoder();

/** The state of one scanned chunk, kept until its duplicates are known. */
interface ScannedChunk {
  batch: ParseChunkResult;
  reasons: Uint8Array;
  claimRecords: Int32Array;
  claimCount: number;
  quantity: Float64Array;
  unitPrice: Float64Array;
  discount: Float64Array;
  revenue: Float64Array;
  saleDay: Int32Array;
  categoryIndex: Int16Array;
  regionIndex: Int16Array;
  idStart: Int32Array;
  idEnd: Int32Array;
  nameStart: Int32Array;
  nameEnd: Int32Array;
  /** IDs and names whose trimmed value is not a plain byte range (escaped quotes, Unicode spaces). */
  decodedValues: Map<number, Uint8Array>;
}

/** Keys for `decodedValues`: record index × 2 (+1 for the product name). */
function decodedKey(record: number, column: number): number {
  return record * 2 + (column === PRODUCT_NAME ? 1 : 0);
}

/**
 * One field as rule 1 trims it, refilled for each row: a field holding escaped quotes or non-ASCII
 * bytes is decoded and trimmed as text (Unicode spaces count); a plain ASCII one stays a byte
 * range of the source, trimmed without decoding.
 */
class TrimmedField {
  /** The decoded, trimmed text; undefined when the field is the byte range `[start, end)`. */
  text: string | undefined = undefined;
  start = 0;
  end = 0;

  read(batch: ParseChunkResult, source: Uint8Array, record: number, position: number): void {
    const field = record * batch.fieldCount + position;
    if (batch.fieldFlags[field] & (FIELD_ESCAPED_QUOTE | FIELD_NON_ASCII)) {
      this.text = fieldText(batch, record, position).trim();
    } else {
      this.text = undefined;
      this.start = trimStartAscii(source, batch.fieldStart[field], batch.fieldEnd[field]);
      this.end = trimEndAscii(source, this.start, batch.fieldEnd[field]);
    }
  }

  get blank(): boolean {
    return this.text === undefined ? this.start === this.end : this.text === "";
  }

  /** The shard the trimmed value belongs to. */
  shardOf(source: Uint8Array, shardCount: number): number {
    return this.text === undefined
      ? shardOfKey(source, this.start, this.end, shardCount)
      : shardOfText(this.text, shardCount);
  }

  /** Keeps the value for the clean row: decoded text by record, a byte range in `starts`/`ends`. */
  keep(
    chunk: ScannedChunk,
    record: number,
    column: number,
    starts: Int32Array,
    ends: Int32Array,
  ): void {
    if (this.text === undefined) {
      starts[record] = this.start;
      ends[record] = this.end;
    } else chunk.decodedValues.set(decodedKey(record, column), encoder.encode(this.text));
  }
}

export class ChunkCleaner {
  readonly #setup: CleanerSetup;
  readonly #categoryBytes: Uint8Array[];
  readonly #regionBytes: Uint8Array[];
  readonly #categoryOf: ByteMemo<number>;
  readonly #regionOf: ByteMemo<number>;
  readonly #saleDateOf: ByteMemo<SaleDateClass>;
  readonly #categoryMatcher: CategoryMatcher;
  readonly #regionResolver: RegionResolver;
  readonly #matchCategory: (text: string) => number;
  readonly #resolveRegion: (text: string) => number;
  readonly #classifyDate: (text: string) => SaleDateClass;
  readonly #heavyDiscount = encoder.encode("heavy_discount");
  readonly #scanned = new Map<number, ScannedChunk>();

  constructor(setup: CleanerSetup) {
    this.#setup = setup;
    const { categories, regions, regionMap, categoryMap } = setup.config.lookups;
    this.#categoryMatcher = new CategoryMatcher(categories, categoryMap);
    this.#regionResolver = new RegionResolver(regions, regionMap);
    const categoryIndex = new Map(categories.map((name, index) => [name, index]));
    const regionIndex = new Map(regions.map((name, index) => [name, index]));
    this.#categoryBytes = categories.map((name) => encoder.encode(name));
    this.#regionBytes = regions.map((name) => encoder.encode(name));
    this.#matchCategory = (text: string) => {
      const canonical = this.#categoryMatcher.match(text);
      return canonical === undefined ? -1 : categoryIndex.get(canonical) ?? -1;
    };
    this.#resolveRegion = (text: string) => {
      const canonical = this.#regionResolver.resolve(text);
      return canonical === undefined ? -1 : regionIndex.get(canonical) ?? -1;
    };
    const bounds = saleDateBounds(setup.config.asOf);
    this.#classifyDate = (text: string): SaleDateClass => {
      const result = classifySaleDate(text, bounds);
      if (result === "invalid_sale_date") return { day: 0, reason: INVALID_SALE_DATE };
      if (result === "sale_date_out_of_range") return { day: 0, reason: SALE_DATE_OUT_OF_RANGE };
      return { day: result, reason: CLEAN };
    };
    this.#categoryOf = new ByteMemo(this.#matchCategory);
    this.#regionOf = new ByteMemo(this.#resolveRegion);
    this.#saleDateOf = new ByteMemo(this.#classifyDate);
  }

  /**
   * Phase 1: parses `source[begin, end)` (which starts at a record boundary) and applies every rule
   * but the duplicate check. The chunk is kept under `chunkId` until {@linkcode finish}.
   *
   * With `skipState` the chunk starts inside a record over the limit (already rejected by the
   * main thread): its rest is skipped first, and only then are records parsed.
   */
  scan(
    chunkId: number,
    source: Uint8Array,
    begin: number,
    end: number,
    final: boolean,
    skipState?: number,
    options: ScanOptions = {},
  ): ChunkScan {
    const setup = this.#setup;
    const claimsOnly = options.claimsOnly ?? false;
    // The census takes keys as encoded bytes; the in-memory set as text.
    const claimKeys = !claimsOnly && (setup.claimKeys ?? true);
    let parseFrom = begin;
    let firstLine = 1;
    let skipStateAfter: number | undefined;
    if (skipState !== undefined) {
      const skipped = skipRecord(source, begin, end, skipState, setup.lineEnd);
      firstLine += skipped.lineEnds;
      if (skipped.next >= 0) {
        parseFrom = skipped.next;
      } else {
        // The record goes on past this chunk (or, at the end of input, ends with it).
        parseFrom = end;
        if (!final) skipStateAfter = skipped.state;
      }
    }
    const batch = new CsvChunkParser({ reuseArrays: false }).parse(source, parseFrom, end, {
      fieldCount: setup.fieldCount,
      firstLine,
      final,
      lineEnd: setup.lineEnd,
      maxRecordBytes: setup.maxRecordBytes,
      maxRecords: options.maxRecords,
    });
    const count = batch.count;
    const packedKeys = claimsOnly ? new PackedKeyWriter(count) : undefined;
    const ruleRows = claimsOnly ? 0 : count;
    const chunk: ScannedChunk = {
      batch,
      reasons: new Uint8Array(count),
      claimRecords: new Int32Array(count),
      claimCount: 0,
      // Rules 3–9 do not run for the census: no room for their values.
      quantity: new Float64Array(ruleRows),
      unitPrice: new Float64Array(ruleRows),
      discount: new Float64Array(ruleRows),
      revenue: new Float64Array(ruleRows),
      saleDay: new Int32Array(ruleRows),
      categoryIndex: new Int16Array(ruleRows),
      regionIndex: new Int16Array(ruleRows),
      idStart: new Int32Array(count),
      idEnd: new Int32Array(count),
      nameStart: new Int32Array(count),
      nameEnd: new Int32Array(count),
      decodedValues: new Map(),
    };
    const claimNumbers = new Float64Array(count);
    const claimTexts: string[] = [];
    const { fieldStart, fieldEnd, status, fieldCount } = batch;
    const positions = setup.columnPositions;
    const dropZeroQuantity = setup.config.dropZeroQuantity;
    // The default key, order_id alone, claims the ID rule 1 just trimmed (as a number when it has
    // the generator's shape); any other key is built by claimKeyText().
    const keyIsOrderId = setup.dedupKey.length === 1 && setup.dedupKey[0] === positions[ORDER_ID];
    const keyColumns = setup.dedupKey;
    const discountPosition = positions[DISCOUNT];
    // Shards split by the dedup key, so every row of a key is in one shard and rule 2 stays exact;
    // with rule 2 off they split by order_id. Only a shard other than 0 has rows to skip unseen.
    const shard = setup.shard;
    const shardByOrderId = keyIsOrderId || keyColumns.length === 0;
    const notMine = (shardOfRow: number) => shard !== undefined && shardOfRow !== shard.index;
    const id = new TrimmedField();
    const name = new TrimmedField();

    for (let record = 0; record < count; record++) {
      if (status[record] !== RECORD_OK) {
        chunk.reasons[record] = notMine(0) ? OTHER_SHARD : MALFORMED_ROW;
        continue;
      }
      const base = record * fieldCount;
      let shardKey: string | undefined;
      if (shard && !shardByOrderId) {
        shardKey = claimKeyText(batch, record, keyColumns);
        if (notMine(shardKey === undefined ? 0 : shardOfText(shardKey, shard.count))) {
          chunk.reasons[record] = OTHER_SHARD;
          continue;
        }
      }

      // Rule 1: the ID and product name, trimmed. Plain ASCII fields are trimmed as byte ranges.
      id.read(batch, source, record, positions[ORDER_ID]);
      if (
        shard && shardByOrderId &&
        notMine(id.blank ? 0 : id.shardOf(source, shard.count))
      ) {
        chunk.reasons[record] = OTHER_SHARD;
        continue;
      }
      if (id.blank) {
        chunk.reasons[record] = MISSING_ORDER_ID;
        continue;
      }
      id.keep(chunk, record, ORDER_ID, chunk.idStart, chunk.idEnd);
      const idDecoded = id.text !== undefined;
      let claimNumber: number;
      let claimText = "";
      if (id.text !== undefined) {
        claimNumber = keyIsOrderId ? canonicalOrderNumberOfText(id.text) : -1;
        claimText = id.text;
      } else {
        claimNumber = keyIsOrderId ? canonicalOrderNumber(source, id.start, id.end) : -1;
        if (claimNumber < 0 && keyIsOrderId && claimKeys) {
          claimText = fieldText(batch, record, positions[ORDER_ID]).trim();
        }
      }
      name.read(batch, source, record, positions[PRODUCT_NAME]);
      if (name.blank) {
        chunk.reasons[record] = MISSING_PRODUCT_NAME;
        continue;
      }
      name.keep(chunk, record, PRODUCT_NAME, chunk.nameStart, chunk.nameEnd);

      // Rule 2 happens on the main thread: this row claims its key whatever rules 3–9 say.
      if (keyIsOrderId) {
        claimNumbers[chunk.claimCount] = claimNumber;
        chunk.claimRecords[chunk.claimCount++] = record;
        if (claimNumber < 0 && claimKeys) claimTexts.push(claimText);
        if (packedKeys) {
          if (claimNumber >= 0) packedKeys.addOrderNumber(claimNumber);
          else if (idDecoded) packedKeys.addText(claimText);
          else packedKeys.addAscii(source, chunk.idStart[record], chunk.idEnd[record]);
        }
      } else if (keyColumns.length > 0) {
        const key = shardKey ?? claimKeyText(batch, record, keyColumns);
        if (key !== undefined) {
          claimNumbers[chunk.claimCount] = -1;
          chunk.claimRecords[chunk.claimCount++] = record;
          if (claimKeys) claimTexts.push(key);
          packedKeys?.addText(key);
        }
      }
      // The census needs only the claims: rules 3–9 do not run.
      if (packedKeys) continue;

      // Numeric fields: a value holding a quote is invalid either way, so raw bytes are safe here.
      const quantityField = base + positions[QUANTITY];
      const quantity = parseQuantityBytes(
        source,
        fieldStart[quantityField],
        fieldEnd[quantityField],
      );
      if (quantity === undefined) {
        chunk.reasons[record] = INVALID_QUANTITY;
        continue;
      }
      if (quantity === 0 && dropZeroQuantity) {
        chunk.reasons[record] = ZERO_QUANTITY;
        continue;
      }
      const priceField = base + positions[UNIT_PRICE];
      const unitPrice = parseUnitPriceBytes(source, fieldStart[priceField], fieldEnd[priceField]);
      if (unitPrice === undefined) {
        chunk.reasons[record] = INVALID_UNIT_PRICE;
        continue;
      }
      const category = this.#memoised(
        this.#categoryOf,
        batch,
        record,
        positions[CATEGORY],
        this.#matchCategory,
      );
      if (category < 0) {
        chunk.reasons[record] = UNKNOWN_CATEGORY;
        continue;
      }
      const region = this.#memoised(
        this.#regionOf,
        batch,
        record,
        positions[REGION],
        this.#resolveRegion,
      );
      if (region < 0) {
        chunk.reasons[record] = UNKNOWN_REGION;
        continue;
      }
      const saleDate = this.#memoised(
        this.#saleDateOf,
        batch,
        record,
        positions[SALE_DATE],
        this.#classifyDate,
      );
      if (saleDate.reason !== CLEAN) {
        chunk.reasons[record] = saleDate.reason;
        continue;
      }
      const discountField = base + discountPosition;
      const discount = discountPosition < 0
        ? 0
        : parseDiscountBytes(source, fieldStart[discountField], fieldEnd[discountField]);
      const revenue = computeRevenue(quantity, unitPrice, discount);
      if (!isValidRevenue(revenue)) {
        chunk.reasons[record] = INVALID_CALCULATED_REVENUE;
        continue;
      }
      chunk.reasons[record] = CLEAN;
      chunk.quantity[record] = quantity;
      chunk.unitPrice[record] = unitPrice;
      chunk.discount[record] = discount;
      chunk.revenue[record] = revenue;
      chunk.saleDay[record] = saleDate.day;
      chunk.categoryIndex[record] = category;
      chunk.regionIndex[record] = region;
    }

    if (!claimsOnly) this.#scanned.set(chunkId, chunk);
    return {
      consumed: batch.consumed,
      lineFeeds: batch.nextLine - 1,
      records: count,
      claimNumbers: claimNumbers.slice(0, chunk.claimCount),
      claimTexts,
      skipState: skipStateAfter,
      claimKeys: packedKeys?.take(),
    };
  }

  /** Forgets a scanned chunk whose scan turned out to start mid-record (it will be re-scanned). */
  discard(chunkId: number): void {
    this.#scanned.delete(chunkId);
  }

  /**
   * Phase 2: `duplicates[i]` is 1 when the chunk's i-th claim was an ID seen earlier in the file.
   * `firstLine` is the input line number of the chunk's first byte.
   */
  finish(chunkId: number, duplicates: Uint8Array, firstLine: number): ChunkOutput {
    const chunk = this.#scanned.get(chunkId);
    if (!chunk) throw new Error(`chunk ${chunkId} was not scanned`);
    this.#scanned.delete(chunkId);
    const { batch, reasons } = chunk;
    for (let claim = 0; claim < chunk.claimCount; claim++) {
      if (duplicates[claim]) reasons[chunk.claimRecords[claim]] = DUPLICATE_ORDER_ID;
    }

    const reasonCounts = new Array<number>(REJECTION_REASONS.length).fill(0);
    let cleanRows = 0;
    let otherShardRows = 0;
    for (let record = 0; record < batch.count; record++) {
      if (reasons[record] === CLEAN) cleanRows++;
      else if (reasons[record] === OTHER_SHARD) otherShardRows++;
      else reasonCounts[reasons[record]]++;
    }
    const { rowGroup, monthGroups, heavyDiscountRows } = cleanRows === 0
      ? { rowGroup: undefined, monthGroups: undefined, heavyDiscountRows: 0 }
      : this.#setup.partitionByMonth
      ? this.#collectByMonth(chunk)
      : { ...this.#collectSurvivors(chunk, cleanRows), monthGroups: undefined };
    const rejectedCsv = this.#setup.config.saveRejectedRows
      ? this.#formatRejected(chunk, firstLine)
      : new Uint8Array(0);
    return {
      records: batch.count - otherShardRows,
      cleanRows,
      rowGroup,
      monthGroups,
      rejectedCsv,
      reasonCounts,
      heavyDiscountRows,
    };
  }

  /** A memoised rule over a field; fields with escaped quotes bypass the byte-keyed memo. */
  #memoised<Value>(
    memo: ByteMemo<Value>,
    batch: ParseChunkResult,
    record: number,
    column: number,
    fromText: (text: string) => Value,
  ): Value {
    const field = record * batch.fieldCount + column;
    if (batch.fieldFlags[field] & FIELD_ESCAPED_QUOTE) {
      return fromText(fieldText(batch, record, column));
    }
    return memo.get(batch.source, batch.fieldStart[field], batch.fieldEnd[field]);
  }

  /** The survivors as one row group per sale month: each month's rows in input order. */
  #collectByMonth(chunk: ScannedChunk): {
    rowGroup: undefined;
    monthGroups: { month: string; rowGroup: EncodedRowGroup }[];
    heavyDiscountRows: number;
  } {
    const { reasons, saleDay } = chunk;
    const monthOfDay = new Map<number, string>();
    const months = new Array<string>(reasons.length);
    const rowsByMonth = new Map<string, number>();
    for (let record = 0; record < reasons.length; record++) {
      if (reasons[record] !== CLEAN) continue;
      const day = saleDay[record];
      let month = monthOfDay.get(day);
      if (month === undefined) {
        month = new Date(day * SECONDS_PER_DAY * 1000).toISOString().slice(0, 7);
        monthOfDay.set(day, month);
      }
      months[record] = month;
      rowsByMonth.set(month, (rowsByMonth.get(month) ?? 0) + 1);
    }
    const monthGroups: { month: string; rowGroup: EncodedRowGroup }[] = [];
    let heavyDiscountRows = 0;
    for (const month of [...rowsByMonth.keys()].sort()) {
      // The month's rows alone read as clean: the encoder takes exactly those.
      const monthReasons = reasons.map((reason, record) =>
        reason === CLEAN && months[record] === month ? CLEAN : OTHER_SHARD
      );
      const part = this.#collectSurvivors(
        { ...chunk, reasons: monthReasons },
        rowsByMonth.get(month)!,
      );
      heavyDiscountRows += part.heavyDiscountRows;
      if (part.rowGroup) monthGroups.push({ month, rowGroup: part.rowGroup });
    }
    return { rowGroup: undefined, monthGroups, heavyDiscountRows };
  }

  #collectSurvivors(
    chunk: ScannedChunk,
    cleanRows: number,
  ): { rowGroup?: EncodedRowGroup; heavyDiscountRows: number } {
    const { batch, reasons } = chunk;
    const source = batch.source;
    let heavyDiscountRows = 0;
    if (!this.#setup.encodeParquet) {
      for (let record = 0; record < batch.count; record++) {
        if (reasons[record] === CLEAN && discountAnomaly(chunk.discount[record])) {
          heavyDiscountRows++;
        }
      }
      return { heavyDiscountRows };
    }
    const emailPosition = this.#setup.columnPositions[EMAIL];
    const columns = {
      order_id: new PlainStringColumn("order_id", cleanRows, false),
      product_name: new DictionaryStringColumn("product_name", cleanRows, false),
      category: new DictionaryStringColumn("category", cleanRows, false, this.#categoryBytes),
      quantity: new NumberColumn("quantity", "INT64", cleanRows),
      unit_price: new NumberColumn("unit_price", "DOUBLE", cleanRows),
      discount_percent: new NumberColumn("discount_percent", "DOUBLE", cleanRows),
      region: new DictionaryStringColumn("region", cleanRows, false, this.#regionBytes),
      sale_date: new NumberColumn("sale_date", "INT64", cleanRows),
      customer_email: new PlainStringColumn("customer_email", cleanRows, true),
      revenue: new NumberColumn("revenue", "DOUBLE", cleanRows),
      anomaly_flag: new DictionaryStringColumn("anomaly_flag", cleanRows, true, [
        this.#heavyDiscount,
      ]),
    };
    for (let record = 0; record < batch.count; record++) {
      if (reasons[record] !== CLEAN) continue;
      const decodedId = chunk.decodedValues.get(decodedKey(record, ORDER_ID));
      if (decodedId) columns.order_id.push(decodedId, 0, decodedId.length);
      else columns.order_id.push(source, chunk.idStart[record], chunk.idEnd[record]);
      const decodedName = chunk.decodedValues.get(decodedKey(record, PRODUCT_NAME));
      if (decodedName) columns.product_name.push(decodedName, 0, decodedName.length);
      else columns.product_name.push(source, chunk.nameStart[record], chunk.nameEnd[record]);
      columns.category.pushIndex(chunk.categoryIndex[record]);
      columns.quantity.push(chunk.quantity[record]);
      columns.unit_price.push(chunk.unitPrice[record]);
      const discount = chunk.discount[record];
      columns.discount_percent.push(discount);
      columns.region.pushIndex(chunk.regionIndex[record]);
      columns.sale_date.push(chunk.saleDay[record] * SECONDS_PER_DAY);
      const emailField = record * batch.fieldCount + emailPosition;
      const email = emailPosition < 0
        ? null
        : batch.fieldFlags[emailField] & FIELD_ESCAPED_QUOTE
        ? normaliseEmailText(fieldText(batch, record, emailPosition))
        : normaliseEmailBytes(source, batch.fieldStart[emailField], batch.fieldEnd[emailField]);
      if (email) columns.customer_email.push(email, 0, email.length);
      else columns.customer_email.pushNull();
      columns.revenue.push(chunk.revenue[record]);
      if (discountAnomaly(discount) === "heavy_discount") {
        columns.anomaly_flag.pushIndex(0);
        heavyDiscountRows++;
      } else {
        columns.anomaly_flag.pushNull();
      }
    }
    const extras = this.#setup.extraColumns.map((extra) =>
      extraColumnValues(chunk, cleanRows, extra)
    );
    const rowGroup = encodeColumns([
      ...CLEAN_COLUMNS.map((column) => columns[column.name]),
      ...extras,
    ]);
    return { rowGroup, heavyDiscountRows };
  }

  /**
   * The rejected rows as CSV: the fields as read, `rejection_reason`, `source_line`, then
   * `source_file` when the setup names one.
   */
  #formatRejected(chunk: ScannedChunk, firstLine: number): Uint8Array {
    const { batch, reasons } = chunk;
    const lineOffset = firstLine - 1;
    const { fieldCount, sourceFile } = this.#setup;
    const out = new CsvByteWriter(1 << 20);
    for (let record = 0; record < batch.count; record++) {
      const reason = reasons[record];
      if (reason === CLEAN || reason === OTHER_SHARD) continue;
      if (reason === MALFORMED_ROW) {
        // The raw text goes in the first column; the rest stay empty (docs/cleaning.md).
        out.writeField(malformedRawText(batch, record));
        for (let field = 1; field < fieldCount; field++) out.writeField("");
      } else {
        for (let field = 0; field < fieldCount; field++) out.writeSourceField(batch, record, field);
      }
      out.writeField(REJECTION_REASONS[reason]);
      out.writeField(String(batch.recordLine[record] + lineOffset));
      if (sourceFile !== undefined) out.writeField(sourceFile);
      out.endRecord();
    }
    return out.take();
  }
}

/** An extra column's values on the clean rows: trimmed, a blank one null. */
function extraColumnValues(
  chunk: ScannedChunk,
  cleanRows: number,
  extra: ExtraColumn,
): PlainStringColumn {
  const { batch, reasons } = chunk;
  const { source, fieldStart, fieldEnd, fieldFlags, fieldCount } = batch;
  const column = new PlainStringColumn(extra.name, cleanRows, true);
  for (let record = 0; record < batch.count; record++) {
    if (reasons[record] !== CLEAN) continue;
    const field = record * fieldCount + extra.position;
    if (fieldFlags[field] & (FIELD_ESCAPED_QUOTE | FIELD_NON_ASCII)) {
      const value = fieldText(batch, record, extra.position).trim();
      if (value === "") column.pushNull();
      else {
        const bytes = encoder.encode(value);
        column.push(bytes, 0, bytes.length);
      }
    } else {
      const start = trimStartAscii(source, fieldStart[field], fieldEnd[field]);
      const end = trimEndAscii(source, start, fieldEnd[field]);
      if (start === end) column.pushNull();
      else column.push(source, start, end);
    }
  }
  return column;
}

function normaliseEmailText(text: string): Uint8Array | null {
  const bytes = encoder.encode(text);
  return normaliseEmailBytes(bytes, 0, bytes.length);
}
