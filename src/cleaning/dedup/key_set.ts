/**
 * The in-memory dedup set: exact, for files whose keys are compact, within a fixed memory budget.
 *
 * - the generator's `ORD-#########` IDs: one bit per possible number (a paged bitset);
 * - any other constant prefix + 1–15 digits (`ORDX000000001`, `12345`, `INV-2024-000017`): one
 *   paged bitset per (prefix, digit count), so dense numbering costs a bit per ID as well;
 * - anything else ("odd" keys): hash-sharded `Set`s of the text, which cost ~100 bytes a key.
 *
 * When the pages and odd keys together pass the budget, {@linkcode DedupBudgetExceeded} is thrown:
 * clean-data then starts over with the key census, which is exact in bounded memory for any keys
 * (see `key_census.ts`).
 */
import { canonicalOrderNumberOfText } from "../order_id_set.ts";
import { numericShape } from "./key_encoding.ts";
import { PagedBitset } from "./paged_bitset.ts";

/** Thrown when the keys of this file do not fit the in-memory budget. */
export class DedupBudgetExceeded extends Error {
  constructor(budgetBytes: number) {
    super(`the dedup keys passed the in-memory budget of ${budgetBytes} bytes`);
    this.name = "DedupBudgetExceeded";
  }
}

/** Shards for odd keys: each a `Set`, far below V8's 2^24 cap per `Set` within any budget here. */
const ODD_SHARDS = 64;
/** What one odd key costs in a `Set`, roughly: the string (2 bytes a unit) and the entry. */
const ODD_KEY_OVERHEAD = 80;
/** Distinct numeric shapes kept as bitsets; keys of further shapes count as odd. */
const MAX_SHAPES = 64;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export class KeySet {
  readonly #budgetBytes: number;
  readonly #orderNumbers = new PagedBitset();
  readonly #shapes = new Map<string, PagedBitset>();
  readonly #odd: Set<string>[] = Array.from({ length: ODD_SHARDS }, () => new Set());
  #lastKey: string | undefined;
  #lastDigitsStart = 0;
  #lastBits: PagedBitset | undefined;
  #lastValue = 0;
  #pageBytes = 0;
  #oddBytes = 0;
  #oddKeys = 0;
  #size = 0;

  constructor(budgetBytes: number) {
    this.#budgetBytes = budgetBytes;
  }

  /** Keys claimed so far. */
  get size(): number {
    return this.#size;
  }

  /** Keys kept as text: shapes the bitsets do not cover. */
  get oddKeys(): number {
    return this.#oddKeys;
  }

  /** Bytes the set holds by its own count (pages and odd keys). */
  get bytes(): number {
    return this.#pageBytes + this.#oddBytes;
  }

  /** Claims the generator ID with this number; true when it was not seen before. */
  claimNumber(orderNumber: number): boolean {
    return this.#claimIn(this.#orderNumbers, orderNumber);
  }

  /** Claims a key given as its text; true when it was not seen before. */
  claimText(key: string): boolean {
    const orderNumber = canonicalOrderNumberOfText(key);
    if (orderNumber >= 0) return this.claimNumber(orderNumber);
    const bitset = this.#sameShapeAsLast(key);
    if (bitset) return this.#claimIn(bitset, this.#lastValue);
    const numeric = numericShape(key);
    if (numeric) {
      let shapeBits = this.#shapes.get(numeric.shape);
      if (shapeBits === undefined && this.#shapes.size < MAX_SHAPES) {
        shapeBits = new PagedBitset();
        this.#shapes.set(numeric.shape, shapeBits);
      }
      if (shapeBits) {
        this.#lastKey = key;
        this.#lastDigitsStart = key.length -
          Number(numeric.shape.slice(numeric.shape.indexOf("\u0001") + 1));
        this.#lastBits = shapeBits;
        return this.#claimIn(shapeBits, numeric.value);
      }
    }
    const shard = this.#odd[fnv1a(key) % ODD_SHARDS];
    if (shard.has(key)) return false;
    shard.add(key);
    this.#oddBytes += 2 * key.length + ODD_KEY_OVERHEAD;
    this.#oddKeys++;
    this.#size++;
    this.#checkBudget();
    return true;
  }

  /**
   * The bitset of the previous numeric key when `key` has its shape (same prefix, same digit
   * count), leaving the number in `#lastValue`: a file's keys mostly share one shape, and this
   * check makes no string.
   */
  #sameShapeAsLast(key: string): PagedBitset | undefined {
    const last = this.#lastKey;
    if (last === undefined || key.length !== last.length) return undefined;
    const digitsStart = this.#lastDigitsStart;
    for (let index = 0; index < digitsStart; index++) {
      if (key.charCodeAt(index) !== last.charCodeAt(index)) return undefined;
    }
    let value = 0;
    for (let index = digitsStart; index < key.length; index++) {
      const code = key.charCodeAt(index);
      if (code < 0x30 || code > 0x39) return undefined;
      value = value * 10 + (code - 0x30);
    }
    // The prefix must not end in a digit, or the digit run (and so the shape) would be longer.
    if (digitsStart > 0) {
      const before = key.charCodeAt(digitsStart - 1);
      if (before >= 0x30 && before <= 0x39) return undefined;
    }
    this.#lastValue = value;
    return this.#lastBits;
  }

  #claimIn(bitset: PagedBitset, value: number): boolean {
    const pagesBefore = bitset.bytes;
    if (!bitset.add(value)) return false;
    this.#size++;
    const grown = bitset.bytes - pagesBefore;
    if (grown > 0) {
      this.#pageBytes += grown;
      this.#checkBudget();
    }
    return true;
  }

  #checkBudget(): void {
    if (this.#pageBytes + this.#oddBytes > this.#budgetBytes) {
      throw new DedupBudgetExceeded(this.#budgetBytes);
    }
  }
}
