/**
 * The set of order IDs seen so far, for rule 2 (`duplicate_order_id`) at 100M+ rows.
 *
 * V8 caps a `Set` at 2^24 entries, so IDs of the generator's shape (`ORD-` + 9 digits) live in a
 * paged bitset: one bit per possible number, pages allocated only where IDs fall (1 MiB of bits per
 * 8M IDs), so 100M sequential IDs cost ~12.5 MB. Any other shape falls back to hash-sharded `Set`s,
 * each far below the cap even at billions of odd IDs.
 */

/** Bits per page: 2^23, i.e. 1 MiB of memory per page. */
const PAGE_BITS = 23;
const PAGE_MASK = (1 << PAGE_BITS) - 1;
/** `ORD-` + 9 digits allows numbers below 10^9. */
export const MAX_CANONICAL_ID = 999_999_999;
/** Shards for IDs of other shapes; each shard is one `Set`. */
const FALLBACK_SHARDS = 256;

const CHAR_O = 0x4f, CHAR_R = 0x52, CHAR_D = 0x44, CHAR_DASH = 0x2d, CHAR_0 = 0x30, CHAR_9 = 0x39;

/**
 * The number in a canonical ID `ORD-#########` held in `source[start, end)`, or -1 for any other
 * shape. `ORD-000000001` and `ORD-1` are different IDs, so only the exact 13-byte shape qualifies.
 */
export function canonicalOrderNumber(source: Uint8Array, start: number, end: number): number {
  if (end - start !== 13) return -1;
  if (
    source[start] !== CHAR_O || source[start + 1] !== CHAR_R || source[start + 2] !== CHAR_D ||
    source[start + 3] !== CHAR_DASH
  ) return -1;
  let value = 0;
  for (let index = start + 4; index < end; index++) {
    const byte = source[index];
    if (byte < CHAR_0 || byte > CHAR_9) return -1;
    value = value * 10 + (byte - CHAR_0);
  }
  return value;
}

/** The same test as {@linkcode canonicalOrderNumber}, for an ID already decoded to a string. */
export function canonicalOrderNumberOfText(id: string): number {
  if (id.length !== 13 || !id.startsWith("ORD-")) return -1;
  let value = 0;
  for (let index = 4; index < 13; index++) {
    const code = id.charCodeAt(index);
    if (code < CHAR_0 || code > CHAR_9) return -1;
    value = value * 10 + (code - CHAR_0);
  }
  return value;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export class OrderIdSet {
  readonly #pages: (Uint8Array | undefined)[] = [];
  readonly #fallback: Set<string>[] = Array.from({ length: FALLBACK_SHARDS }, () => new Set());
  #size = 0;

  /** IDs claimed so far. */
  get size(): number {
    return this.#size;
  }

  /** Claims a canonical ID by its number; true when it was not seen before. */
  claimNumber(orderNumber: number): boolean {
    const pageIndex = orderNumber >>> PAGE_BITS;
    let page = this.#pages[pageIndex];
    if (page === undefined) {
      page = new Uint8Array(1 << (PAGE_BITS - 3));
      this.#pages[pageIndex] = page;
    }
    const bit = orderNumber & PAGE_MASK;
    const byteIndex = bit >>> 3;
    const mask = 1 << (bit & 7);
    if (page[byteIndex] & mask) return false;
    page[byteIndex] |= mask;
    this.#size++;
    return true;
  }

  /** Claims an ID of any shape given as its trimmed text; true when it was not seen before. */
  claimText(id: string): boolean {
    const orderNumber = canonicalOrderNumberOfText(id);
    if (orderNumber >= 0) return this.claimNumber(orderNumber);
    const shard = this.#fallback[fnv1a(id) % FALLBACK_SHARDS];
    if (shard.has(id)) return false;
    shard.add(id);
    this.#size++;
    return true;
  }
}
