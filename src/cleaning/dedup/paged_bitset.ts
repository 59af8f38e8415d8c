/**
 * A set of non-negative integers below 2^53 as bits, in 1 MiB pages allocated only where members
 * fall: 100M sequential numbers take 12 pages (12.5 MB); a `Uint8Array` page is committed by the
 * OS as it is touched.
 */

/** Bits per page: 2^23, i.e. 1 MiB of memory per page. */
const PAGE_BITS = 23;
const PAGE_SIZE = 2 ** PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;
export const PAGE_BYTES = PAGE_SIZE / 8;

export class PagedBitset {
  readonly #pages = new Map<number, Uint8Array>();
  /** The most recent page, for the common case of neighbouring members. */
  #lastIndex = -1;
  #lastPage: Uint8Array | undefined;

  /** Pages allocated so far. */
  get pageCount(): number {
    return this.#pages.size;
  }

  /** Bytes held by the pages. */
  get bytes(): number {
    return this.#pages.size * PAGE_BYTES;
  }

  #page(value: number, create: boolean): Uint8Array | undefined {
    const pageIndex = value < 2 ** 31 ? value >>> PAGE_BITS : Math.floor(value / PAGE_SIZE);
    if (pageIndex === this.#lastIndex) return this.#lastPage;
    let page = this.#pages.get(pageIndex);
    if (page === undefined) {
      if (!create) return undefined;
      page = new Uint8Array(PAGE_BYTES);
      this.#pages.set(pageIndex, page);
    }
    this.#lastIndex = pageIndex;
    this.#lastPage = page;
    return page;
  }

  /** Adds `value`; true when it was not a member before. */
  add(value: number): boolean {
    const page = this.#page(value, true)!;
    const bit = value < 2 ** 31 ? value & PAGE_MASK : value % PAGE_SIZE;
    const byteIndex = bit >>> 3;
    const mask = 1 << (bit & 7);
    if (page[byteIndex] & mask) return false;
    page[byteIndex] |= mask;
    return true;
  }

  has(value: number): boolean {
    const page = this.#page(value, false);
    if (page === undefined) return false;
    const bit = value < 2 ** 31 ? value & PAGE_MASK : value % PAGE_SIZE;
    return (page[bit >>> 3] & (1 << (bit & 7))) !== 0;
  }
}
