/**
 * Dedup keys as bytes: one canonical encoding per key, so two keys are equal exactly when their
 * encodings are, and the shapes that allow it take fewer bytes than their text.
 *
 * | tag | shape                                                  | bytes after the tag          |
 * | --- | ------------------------------------------------------ | ---------------------------- |
 * | 0   | anything else                                          | the key's UTF-8              |
 * | 1   | UUID text, `8-4-4-4-12` hex digits, no upper-case hex  | 16 (the 128-bit value)       |
 * | 2   | the same with upper-case hex only (at least one letter) | 16                          |
 * | 3   | the generator's `ORD-` + 9 digits                      | 4 (the number, little-endian) |
 *
 * Keys compare case-sensitively, so `a0…` and `A0…` are different keys with different tags; a
 * UUID of digits only has no letters and is always tag 1. A key with mixed-case hex is tag 0.
 */
import { ByteBuffer } from "../../io/byte_buffer.ts";
import { mix32 } from "../../io/mix32.ts";
import { canonicalOrderNumber, canonicalOrderNumberOfText } from "../order_id_set.ts";

export const KEY_RAW = 0;
export const KEY_UUID_LOWER = 1;
export const KEY_UUID_UPPER = 2;
export const KEY_ORDER_NUMBER = 3;

/** The most bytes {@linkcode encodeKeyText} writes for a key of `length` UTF-16 units. */
export function maxEncodedKeyBytes(length: number): number {
  return 1 + 3 * length;
}

const encoder = new TextEncoder();

/** The value of a hex digit's char code, or -1. */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  return -1;
}

/**
 * The tag of `text` if it is UUID-shaped ({@linkcode KEY_UUID_LOWER} or {@linkcode KEY_UUID_UPPER}),
 * else {@linkcode KEY_RAW}.
 */
export function uuidTag(text: string): number {
  if (text.length !== 36) return KEY_RAW;
  let lower = false, upper = false;
  for (let index = 0; index < 36; index++) {
    const code = text.charCodeAt(index);
    if (index === 8 || index === 13 || index === 18 || index === 23) {
      if (code !== 0x2d) return KEY_RAW;
      continue;
    }
    if (code >= 0x30 && code <= 0x39) continue;
    if (code >= 0x61 && code <= 0x66) lower = true;
    else if (code >= 0x41 && code <= 0x46) upper = true;
    else return KEY_RAW;
  }
  if (lower && upper) return KEY_RAW;
  return upper ? KEY_UUID_UPPER : KEY_UUID_LOWER;
}

/** Writes the canonical encoding of the generator ID with this number; returns the bytes written. */
export function encodeOrderNumber(orderNumber: number, out: Uint8Array, offset: number): number {
  out[offset] = KEY_ORDER_NUMBER;
  out[offset + 1] = orderNumber & 0xff;
  out[offset + 2] = (orderNumber >>> 8) & 0xff;
  out[offset + 3] = (orderNumber >>> 16) & 0xff;
  out[offset + 4] = (orderNumber >>> 24) & 0xff;
  return 5;
}

/**
 * Writes the canonical encoding of the key `text` at `out[offset]` (room for
 * {@linkcode maxEncodedKeyBytes} bytes) and returns the bytes written.
 */
export function encodeKeyText(text: string, out: Uint8Array, offset: number): number {
  const orderNumber = canonicalOrderNumberOfText(text);
  if (orderNumber >= 0) return encodeOrderNumber(orderNumber, out, offset);
  const tag = uuidTag(text);
  if (tag !== KEY_RAW) {
    out[offset] = tag;
    let position = offset + 1;
    for (let index = 0; index < 36; index += 2) {
      if (index === 8 || index === 13 || index === 18 || index === 23) index++;
      out[position++] = (hexValue(text.charCodeAt(index)) << 4) |
        hexValue(text.charCodeAt(index + 1));
    }
    return 17;
  }
  out[offset] = KEY_RAW;
  let position = offset + 1;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x80) {
      const { written } = encoder.encodeInto(text, out.subarray(offset + 1));
      return 1 + written;
    }
    out[position++] = code;
  }
  return position - offset;
}

/** The key text back from its encoding (for tests and messages). */
export function decodeKey(bytes: Uint8Array): string {
  const tag = bytes[0];
  if (tag === KEY_ORDER_NUMBER) {
    const value = (bytes[1] | bytes[2] << 8 | bytes[3] << 16 | bytes[4] << 24) >>> 0;
    return `ORD-${String(value).padStart(9, "0")}`;
  }
  if (tag === KEY_UUID_LOWER || tag === KEY_UUID_UPPER) {
    let hex = "";
    for (let index = 1; index < 17; index++) hex += bytes[index].toString(16).padStart(2, "0");
    if (tag === KEY_UUID_UPPER) hex = hex.toUpperCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
      hex.slice(20)
    }`;
  }
  return new TextDecoder().decode(bytes.subarray(1));
}

/**
 * A 32-bit hash of `bytes[start, end)`; different seeds give independent-looking hashes, so a
 * partition can be split again by the next seed. MurmurHash3's x86_32, four bytes a step: every
 * census claim is hashed once, so a UUID's 17 bytes take 5 steps rather than 17.
 */
export function keyHash(bytes: Uint8Array, start: number, end: number, seed: number): number {
  let hash = (0x811c9dc5 ^ Math.imul(seed, 0x9e3779b1)) | 0;
  let index = start;
  for (const last = end - 3; index < last; index += 4) {
    let word = bytes[index] | bytes[index + 1] << 8 | bytes[index + 2] << 16 |
      bytes[index + 3] << 24;
    word = Math.imul(word, 0xcc9e2d51);
    word = Math.imul(word << 15 | word >>> 17, 0x1b873593);
    hash ^= word;
    hash = (Math.imul(hash << 13 | hash >>> 19, 5) + 0xe6546b64) | 0;
  }
  let tail = 0;
  for (let shift = 0; index < end; index++, shift += 8) tail |= bytes[index] << shift;
  tail = Math.imul(tail, 0xcc9e2d51);
  hash ^= Math.imul(tail << 15 | tail >>> 17, 0x1b873593);
  return mix32(hash ^ (end - start));
}

/**
 * For keys kept in memory: a key that is a constant prefix followed by 1–15 ASCII digits, split
 * into the shape (prefix and digit count, as one string) and the number. Undefined for any other
 * key. `A7` and `A007` differ in shape, so different keys never share a (shape, number).
 */
export function numericShape(text: string): { shape: string; value: number } | undefined {
  let digitsStart = text.length;
  while (digitsStart > 0) {
    const code = text.charCodeAt(digitsStart - 1);
    if (code < 0x30 || code > 0x39) break;
    digitsStart--;
  }
  const width = text.length - digitsStart;
  if (width === 0 || width > 15 || digitsStart > 32) return undefined;
  let value = 0;
  for (let index = digitsStart; index < text.length; index++) {
    value = value * 10 + (text.charCodeAt(index) - 0x30);
  }
  return { shape: `${text.slice(0, digitsStart)}\u0001${width}`, value };
}

/** `encodeKeyText` into a fresh array (tests, small inputs). */
export function encodeKey(text: string): Uint8Array {
  const out = new Uint8Array(maxEncodedKeyBytes(text.length) + 5);
  return out.slice(0, encodeKeyText(text, out, 0));
}

/**
 * {@linkcode encodeKeyText} for a key held as ASCII bytes `source[start, end)`: the same encoding
 * as for its text, without making a string.
 */
export function encodeKeyAscii(
  source: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  offset: number,
): number {
  const length = end - start;
  if (length === 13 && source[start] === 0x4f) {
    const orderNumber = canonicalOrderNumber(source, start, end);
    if (orderNumber >= 0) return encodeOrderNumber(orderNumber, out, offset);
  }
  if (length === 36 && encodeUuidAscii(source, start, out, offset)) return 17;
  out[offset] = KEY_RAW;
  out.set(source.subarray(start, end), offset + 1);
  return 1 + length;
}

/** Per byte: its hex value, | 0x10 for a lower-case letter, | 0x20 for upper case; 0xff if not hex. */
const HEX_DIGIT = new Uint8Array(256).fill(0xff);
for (let digit = 0; digit < 10; digit++) HEX_DIGIT[0x30 + digit] = digit;
for (let letter = 0; letter < 6; letter++) {
  HEX_DIGIT[0x61 + letter] = (10 + letter) | 0x10;
  HEX_DIGIT[0x41 + letter] = (10 + letter) | 0x20;
}
/** Where each of a UUID's 16 bytes starts in its 36-character text. */
const UUID_BYTE_AT = Uint8Array.from([0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34]);

/**
 * Writes the UUID encoding of the 36 bytes at `source[start]` (tag and 16 bytes) when they are a
 * UUID of one letter case; false (and `out` to be overwritten) otherwise. One pass, table-driven:
 * this runs once per row of a UUID-keyed file.
 */
function encodeUuidAscii(
  source: Uint8Array,
  start: number,
  out: Uint8Array,
  offset: number,
): boolean {
  if (
    source[start + 8] !== 0x2d || source[start + 13] !== 0x2d || source[start + 18] !== 0x2d ||
    source[start + 23] !== 0x2d
  ) return false;
  let flags = 0;
  for (let index = 0; index < 16; index++) {
    const at = start + UUID_BYTE_AT[index];
    const high = HEX_DIGIT[source[at]];
    const low = HEX_DIGIT[source[at + 1]];
    if (high === 0xff || low === 0xff) return false;
    flags |= high | low;
    out[offset + 1 + index] = ((high & 15) << 4) | (low & 15);
  }
  if ((flags & 0x30) === 0x30) return false;
  out[offset] = flags & 0x20 ? KEY_UUID_UPPER : KEY_UUID_LOWER;
  return true;
}

/** Encoded keys back to back: key `i` is `bytes[ends[i − 1] (0 for the first), ends[i])`. */
export interface PackedKeys {
  bytes: Uint8Array;
  ends: Uint32Array;
}

/**
 * Arrays of keys already spilled, for the next {@linkcode PackedKeyWriter}: the census fills one
 * of some megabytes per block, and fresh ones cost their page faults every time.
 */
const spareKeys: { bytes: Uint8Array; ends: Uint32Array }[] = [];
const MAX_SPARE_KEYS = 4;

/** Hands the arrays of `keys` to later writers: `keys` must not be read again. */
export function recyclePackedKeys(keys: PackedKeys): void {
  if (spareKeys.length >= MAX_SPARE_KEYS) return;
  spareKeys.push({
    bytes: new Uint8Array(keys.bytes.buffer),
    ends: new Uint32Array(keys.ends.buffer),
  });
}

/** Builds {@linkcode PackedKeys}, growing as keys come. */
export class PackedKeyWriter {
  #bytes: ByteBuffer;
  #ends: Uint32Array;
  #count = 0;

  constructor(expectedKeys: number) {
    const bytes = Math.max(64, expectedKeys * 24);
    const ends = Math.max(16, expectedKeys);
    const spare = spareKeys.pop();
    const reused = spare !== undefined && spare.bytes.length >= bytes && spare.ends.length >= ends;
    this.#bytes = new ByteBuffer(0);
    this.#bytes.bytes = reused ? spare.bytes : new Uint8Array(bytes);
    this.#ends = reused ? spare.ends : new Uint32Array(ends);
  }

  /** Room for one more key of up to `bytes` bytes. */
  #room(bytes: number): void {
    this.#bytes.reserve(bytes);
    if (this.#count === this.#ends.length) {
      const larger = new Uint32Array(this.#ends.length * 2);
      larger.set(this.#ends);
      this.#ends = larger;
    }
  }

  addOrderNumber(orderNumber: number): void {
    this.#room(5);
    const out = this.#bytes;
    out.length += encodeOrderNumber(orderNumber, out.bytes, out.length);
    this.#ends[this.#count++] = out.length;
  }

  addAscii(source: Uint8Array, start: number, end: number): void {
    this.#room(end - start + 1);
    const out = this.#bytes;
    out.length += encodeKeyAscii(source, start, end, out.bytes, out.length);
    this.#ends[this.#count++] = out.length;
  }

  addText(text: string): void {
    this.#room(maxEncodedKeyBytes(text.length));
    const out = this.#bytes;
    out.length += encodeKeyText(text, out.bytes, out.length);
    this.#ends[this.#count++] = out.length;
  }

  /** Appends one key already encoded: `bytes[start, end)`. */
  addEncoded(bytes: Uint8Array, start: number, end: number): void {
    this.#room(end - start);
    this.#bytes.pushBytes(bytes, start, end);
    this.#ends[this.#count++] = this.#bytes.length;
  }

  /** Appends every key of `keys`. */
  addAll(keys: PackedKeys): void {
    let start = 0;
    for (let index = 0; index < keys.ends.length; index++) {
      this.addEncoded(keys.bytes, start, keys.ends[index]);
      start = keys.ends[index];
    }
  }

  take(): PackedKeys {
    return {
      bytes: this.#bytes.view(),
      ends: this.#ends.subarray(0, this.#count),
    };
  }
}
