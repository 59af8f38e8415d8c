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

/** The shapes `generate-data --id-shape` writes order IDs in. */
export const ORDER_ID_SHAPES = ["ord", "uuid"] as const;
/** One order ID shape: `ord` (`ORD-` + 9 digits) or `uuid`. */
export type OrderIdShape = typeof ORDER_ID_SHAPES[number];

/** Bytes of a UUID-shaped order ID. */
export const UUID_ID_BYTES = 36;

/** The four words a file's UUID IDs are mixed with: a function of the seed alone. */
export function uuidIdKey(seed: number): Uint32Array {
  return Uint32Array.from(
    [0x75756964, 0x6b657931, 0x6b657932, 0x6b657933],
    (salt) => hashInteger(seed, salt),
  );
}

const HEX = new TextEncoder().encode("0123456789abcdef");

function writeHex(value: number, digits: number, out: Uint8Array, position: number): number {
  for (let index = digits - 1; index >= 0; index--) {
    out[position + index] = HEX[value & 15];
    value >>>= 4;
  }
  return position + digits;
}

/**
 * Writes the UUID-shaped ID of order number `orderId` (a version-4 layout, lower-case hex) at
 * `out[position]` and returns the position after it. The first 8 hex digits are a bijective mix
 * of the number's low 32 bits, so different numbers below 2^32 always give different UUIDs, and
 * a file and its UUID twin have the same duplicates.
 */
export function writeUuidOrderId(
  key: Uint32Array,
  orderId: number,
  out: Uint8Array,
  position: number,
): number {
  const high = Math.floor(orderId / 0x1_0000_0000);
  const a = mix32((orderId >>> 0) ^ key[0]) >>> 0;
  let b = mix32(a + key[1] + high) >>> 0;
  let c = mix32(b ^ key[2]) >>> 0;
  const d = mix32(c + key[3]) >>> 0;
  b = ((b & 0xffff0fff) | 0x4000) >>> 0;
  c = ((c & 0x3fffffff) | 0x80000000) >>> 0;
  position = writeHex(a, 8, out, position);
  out[position++] = 0x2d;
  position = writeHex(b >>> 16, 4, out, position);
  out[position++] = 0x2d;
  position = writeHex(b & 0xffff, 4, out, position);
  out[position++] = 0x2d;
  position = writeHex(c >>> 16, 4, out, position);
  out[position++] = 0x2d;
  position = writeHex(c & 0xffff, 4, out, position);
  return writeHex(d, 8, out, position);
}
