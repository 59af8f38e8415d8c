/**
 * Order IDs: `ORD-` and the row number from 1, and in dirty mode 1% duplicates of one of the last
 * 1,000 IDs issued and 0.1% blanks.
 *
 * Which rows are duplicates or blank is a hash of (seed, row number), not a draw from a block's
 * stream, so any row can tell whether an earlier row (maybe in another block, written by another
 * worker) kept its own ID: a duplicate only ever re-uses an ID that really occurs.
 */
import { DIRTY_RATES, DUPLICATE_WINDOW } from "./dirty_rates.ts";
import { hashInteger, mix32 } from "./prng.ts";

const ORDER_DUPLICATE = Math.round(DIRTY_RATES.orderId.duplicate * 0x1_0000_0000);
const ORDER_BLANK = Math.round(
  (DIRTY_RATES.orderId.duplicate + DIRTY_RATES.orderId.blank) * 0x1_0000_0000,
);

/** What happens to a row's order ID in dirty mode; a pure function of (seed, row). */
export const OrderIdKind = { Normal: 0, Duplicate: 1, Blank: 2 } as const;
export type OrderIdKind = typeof OrderIdKind[keyof typeof OrderIdKind];

function orderIdWord(seedHash: number, row: number): number {
  return mix32(seedHash ^ hashInteger(row, 0x0d1d));
}

/** The kind of order ID row `row` gets in a dirty file with this seed hash. */
export function orderIdKind(seedHash: number, row: number): OrderIdKind {
  const word = orderIdWord(seedHash, row);
  if (word < ORDER_DUPLICATE) return OrderIdKind.Duplicate;
  if (word < ORDER_BLANK) return OrderIdKind.Blank;
  return OrderIdKind.Normal;
}

/**
 * The earlier row whose ID a duplicate row re-uses: one of the last {@linkcode DUPLICATE_WINDOW}
 * rows that kept its own ID. −1 when there is none (the first rows of a file).
 */
export function duplicateSourceRow(seedHash: number, row: number): number {
  let word = orderIdWord(seedHash, row);
  for (let attempt = 0; attempt < 8; attempt++) {
    word = mix32(word + 0x6a09e667);
    const source = row - 1 - (word % DUPLICATE_WINDOW);
    if (source >= 0 && orderIdKind(seedHash, source) === OrderIdKind.Normal) return source;
  }
  return -1;
}

/** Hash of the seed that order-ID decisions start from. */
export function orderIdSeedHash(seed: number): number {
  return hashInteger(seed, 0x0bd1);
}

/**
 * The order IDs of rows `firstRow` … `firstRow + scratch.length − 1` (the row number + 1 when
 * clean; 0 for a blank one), written into `scratch`, which is returned.
 */
export function orderIdsOf(
  seed: number,
  dirty: boolean,
  firstRow: number,
  scratch: Float64Array,
): Float64Array {
  const seedHash = orderIdSeedHash(seed);
  for (let index = 0; index < scratch.length; index++) {
    const row = firstRow + index;
    const kind = dirty ? orderIdKind(seedHash, row) : OrderIdKind.Normal;
    if (kind === OrderIdKind.Blank) {
      scratch[index] = 0;
    } else if (kind === OrderIdKind.Duplicate) {
      const source = duplicateSourceRow(seedHash, row);
      scratch[index] = source >= 0 ? source + 1 : row + 1;
    } else {
      scratch[index] = row + 1;
    }
  }
  return scratch;
}
