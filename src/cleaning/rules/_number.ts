/**
 * The number grammar shared by `unit_price` and `discount_percent` (docs/cleaning.md): a plain decimal with
 * an optional sign, fraction and exponent. No `NaN`, `Infinity`, `$`, `%`, thousands separators or
 * hex, all of which JS `Number()` or `parseFloat()` would accept or half-accept.
 */
import { decodeField, hasNonAscii, isAsciiDigit, trimEndAscii, trimStartAscii } from "./_bytes.ts";

export const NUMBER_PATTERN = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/** The value of trimmed `raw` when it matches {@linkcode NUMBER_PATTERN}, else `NaN`. */
export function parseNumberText(raw: string): number {
  const text = raw.trim();
  return NUMBER_PATTERN.test(text) ? Number(text) : NaN;
}

// 10^0 … 10^22 are exact doubles, so `mantissa / POWERS_OF_TEN[k]` is one correctly rounded
// division of two exact values: the same double `Number(text)` gives.
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, exponent) => Number(`1e${exponent}`));
const MAX_FRACTION_DIGITS = POWERS_OF_TEN.length - 1;

/**
 * {@linkcode parseNumberText} over `source[start, end)` without building a string: the value, or
 * `NaN` when the bytes do not match the grammar.
 */
export function parseNumberBytes(source: Uint8Array, start: number, end: number): number {
  const fast = scanNumberBytes(source, start, end);
  return fast === undefined ? parseNumberText(decodeField(source, start, end)) : fast;
}

/**
 * The fast path: the value, `NaN` for no match, or `undefined` when it cannot decide exactly (non-ASCII
 * bytes, an exponent, a mantissa of 2^53 or more, more than 22 fraction digits).
 */
function scanNumberBytes(source: Uint8Array, start: number, end: number): number | undefined {
  if (hasNonAscii(source, start, end)) return undefined;
  let index = trimStartAscii(source, start, end);
  end = trimEndAscii(source, index, end);

  let negative = false;
  if (index < end && (source[index] === 0x2b || source[index] === 0x2d)) {
    negative = source[index] === 0x2d;
    index++;
  }
  // Exact while below 2^53; once the true mantissa reaches 2^53 the computed one does too
  // (rounding is monotone and 2^53 is a double), which sends the value to the fallback.
  let mantissa = 0;
  let digitCount = 0;
  while (index < end && isAsciiDigit(source[index])) {
    mantissa = mantissa * 10 + (source[index] - 0x30);
    digitCount++;
    index++;
  }
  let fractionDigits = 0;
  if (index < end && source[index] === 0x2e) {
    index++;
    while (index < end && isAsciiDigit(source[index])) {
      mantissa = mantissa * 10 + (source[index] - 0x30);
      fractionDigits++;
      index++;
    }
  }
  if (digitCount + fractionDigits === 0) return NaN;
  if (index < end) {
    const byte = source[index];
    return byte === 0x65 || byte === 0x45 ? undefined : NaN; // `e`/`E`: exponent, rare
  }
  if (mantissa > Number.MAX_SAFE_INTEGER || fractionDigits > MAX_FRACTION_DIGITS) return undefined;
  const magnitude = fractionDigits === 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits];
  return negative ? -magnitude : magnitude;
}
