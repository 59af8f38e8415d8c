/**
 * Helpers for the byte-level fast paths: the engine reads fields as byte ranges of a `Uint8Array`
 * and these let a rule skip building a string when the bytes are plain ASCII.
 *
 * JS `trim()` also removes non-ASCII spaces (U+00A0, U+FEFF, U+2028, U+3000…). A fast path therefore
 * only handles ranges that are entirely ASCII, where trimming the six ASCII whitespace bytes is
 * exactly what `trim()` does; anything else goes back to the string rule via {@linkcode decodeField}.
 */

const decoder = new TextDecoder();

/** Whether `byte` is one of the ASCII characters `trim()` removes: tab, LF, VT, FF, CR, space. */
export function isAsciiWhitespace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/** Whether any byte of `source[start, end)` is outside ASCII. */
export function hasNonAscii(source: Uint8Array, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    if (source[index] >= 0x80) return true;
  }
  return false;
}

/** The first index of `source[start, end)` that is not ASCII whitespace (or `end`). */
export function trimStartAscii(source: Uint8Array, start: number, end: number): number {
  while (start < end && isAsciiWhitespace(source[start])) start++;
  return start;
}

/** One past the last index of `source[start, end)` that is not ASCII whitespace (or `start`). */
export function trimEndAscii(source: Uint8Array, start: number, end: number): number {
  while (end > start && isAsciiWhitespace(source[end - 1])) end--;
  return end;
}

/**
 * The field's text, for the fallback to a string rule. Decoding is lenient (invalid bytes become
 * U+FFFD) because the engine has already rejected rows with invalid UTF-8 as `malformed_row`.
 */
export function decodeField(source: Uint8Array, start: number, end: number): string {
  return decoder.decode(source.subarray(start, end));
}

/** Whether `byte` is an ASCII digit `0`–`9`. */
export function isAsciiDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}
