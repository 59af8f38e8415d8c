/**
 * `customer_email` normalisation (docs/cleaning.md). An email never rejects a row: one that does not
 * look like `local@domain.tld` becomes null.
 */
import { decodeField, hasNonAscii, isAsciiDigit, trimEndAscii, trimStartAscii } from "./_bytes.ts";

/**
 * Conservative on purpose: ASCII only, one `@`, dot-separated local part without empty pieces, and a
 * domain of dot-terminated labels ending in a letters-only TLD of 2+ letters. Each piece is
 * delimited by a character it cannot hold, so matching is linear even on hostile input.
 */
const EMAIL_PATTERN = /^[a-z0-9_%+-]+(\.[a-z0-9_%+-]+)*@([a-z0-9-]+\.)+[a-z]{2,}$/;

/**
 * The email of a raw field, trimmed and lower-cased, or `null` when the result does not fully match
 * `[a-z0-9_%+-]+(\.[a-z0-9_%+-]+)*@([a-z0-9-]+\.)+[a-z]{2,}` (blank, no `@`, `@@`, inner spaces, no
 * TLD, a trailing dot, non-ASCII letters).
 */
export function normaliseEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  return EMAIL_PATTERN.test(email) ? email : null;
}

const encoder = new TextEncoder();

/**
 * {@linkcode normaliseEmail} of `source[start, end)` as UTF-8 bytes, for writers that take strings
 * as bytes. A plain ASCII field that is already lower case comes back as a view into `source` (no
 * copy: keep `source` unchanged while the view is used); one with capitals as a lower-cased copy in
 * memory of its own; anything non-ASCII goes through the string rule.
 */
export function normaliseEmailBytes(
  source: Uint8Array,
  start: number,
  end: number,
): Uint8Array | null {
  if (hasNonAscii(source, start, end)) {
    const email = normaliseEmail(decodeField(source, start, end));
    return email === null ? null : encoder.encode(email);
  }
  start = trimStartAscii(source, start, end);
  end = trimEndAscii(source, start, end);
  if (!matchesEmailPattern(source, start, end)) return null;
  let firstCapital = start;
  while (firstCapital < end && !isAsciiCapital(source[firstCapital])) firstCapital++;
  if (firstCapital === end) return source.subarray(start, end);
  return lowerCaseCopy(source, start, end);
}

// Lower-cased copies are carved out of shared arenas: a fresh `Uint8Array` per email costs ~10×
// a view of an existing buffer. An arena is never written again once handed out, and lives as long
// as any copy in it does.
const ARENA_BYTES = 64 * 1024;
let arena = new Uint8Array(ARENA_BYTES);
let arenaUsed = 0;

function lowerCaseCopy(source: Uint8Array, start: number, end: number): Uint8Array {
  const length = end - start;
  if (arenaUsed + length > arena.length) {
    arena = new Uint8Array(Math.max(ARENA_BYTES, length));
    arenaUsed = 0;
  }
  const copyStart = arenaUsed;
  for (let index = start; index < end; index++) arena[arenaUsed++] = lowerAscii(source[index]);
  return arena.subarray(copyStart, arenaUsed);
}

/**
 * {@linkcode EMAIL_PATTERN} over ASCII bytes, capitals read as lower case: the local part is
 * non-empty pieces of `[a-z0-9_%+-]` joined by single dots; the domain is two or more non-empty
 * labels of `[a-z0-9-]` joined by dots, the last of 2+ letters.
 */
function matchesEmailPattern(source: Uint8Array, start: number, end: number): boolean {
  let index = start;
  let pieceLength = 0;
  for (; index < end; index++) {
    const byte = lowerAscii(source[index]);
    if (byte === 0x40) break; // `@`
    if (byte === 0x2e) { // `.`
      if (pieceLength === 0) return false;
      pieceLength = 0;
    } else if (isLocalPartByte(byte)) {
      pieceLength++;
    } else {
      return false;
    }
  }
  if (index === end || pieceLength === 0) return false;
  let labels = 0;
  let lettersOnly = true;
  pieceLength = 0;
  for (index++; index < end; index++) {
    const byte = lowerAscii(source[index]);
    if (byte === 0x2e) {
      if (pieceLength === 0) return false;
      labels++;
      pieceLength = 0;
      lettersOnly = true;
    } else if (isLowerLetter(byte)) {
      pieceLength++;
    } else if (isAsciiDigit(byte) || byte === 0x2d) { // digits and `-`
      pieceLength++;
      lettersOnly = false;
    } else {
      return false;
    }
  }
  return labels > 0 && pieceLength >= 2 && lettersOnly;
}

function isAsciiCapital(byte: number): boolean {
  return byte >= 0x41 && byte <= 0x5a;
}

function lowerAscii(byte: number): number {
  return isAsciiCapital(byte) ? byte + 0x20 : byte;
}

function isLowerLetter(byte: number): boolean {
  return byte >= 0x61 && byte <= 0x7a;
}

/** `[a-z0-9_%+-]`. */
function isLocalPartByte(byte: number): boolean {
  return isLowerLetter(byte) || isAsciiDigit(byte) || byte === 0x5f || byte === 0x25 ||
    byte === 0x2b || byte === 0x2d;
}
