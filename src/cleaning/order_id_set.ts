/**
 * The generator's order-ID shape, `ORD-` + 9 digits, recognised in bytes or text: the fast path
 * of rule 2 (`duplicate_order_id`). Workers send such IDs to the main thread as numbers, which the
 * dedup set keeps as bits (see `dedup/key_set.ts`).
 */

/** `ORD-` + 9 digits allows numbers below 10^9. */
export const MAX_CANONICAL_ID = 999_999_999;

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
