/**
 * Rule 3 (`invalid_quantity`) of docs/cleaning.md and the normalisation of negatives.
 */
import { decodeField, hasNonAscii, isAsciiDigit, trimEndAscii, trimStartAscii } from "./_bytes.ts";

/** A whole number, optionally signed, optionally followed by `.` and zeros (`3.0` is 3). */
const QUANTITY_PATTERN = /^[+-]?[0-9]+(\.0*)?$/;

/**
 * The quantity of a raw field, or `undefined` when it is not an integer (`invalid_quantity`).
 *
 * Trimmed, it must match `^[+-]?[0-9]+(\.0*)?$` with |value| ≤ 2^53 − 1: `3`, `+3`, `007`, `3.`,
 * `3.00` pass; `3.5`, `1e3`, `3,0`, `two` and blank do not. A negative quantity (and `-0`) becomes 0,
 * which rule 4 (`zero_quantity`) then sees.
 */
export function parseQuantity(raw: string): number | undefined {
  const text = raw.trim();
  if (!QUANTITY_PATTERN.test(text)) return undefined;
  const dot = text.indexOf(".");
  const value = Number(dot === -1 ? text : text.slice(0, dot));
  if (Math.abs(value) > Number.MAX_SAFE_INTEGER) return undefined;
  return value > 0 ? value : 0;
}

/** {@linkcode parseQuantity} of `source[start, end)` without building a string for ASCII fields. */
export function parseQuantityBytes(
  source: Uint8Array,
  start: number,
  end: number,
): number | undefined {
  if (hasNonAscii(source, start, end)) return parseQuantity(decodeField(source, start, end));
  let index = trimStartAscii(source, start, end);
  end = trimEndAscii(source, index, end);

  let negative = false;
  if (index < end && (source[index] === 0x2b || source[index] === 0x2d)) {
    negative = source[index] === 0x2d;
    index++;
  }
  const firstDigit = index;
  let value = 0;
  while (index < end && isAsciiDigit(source[index])) {
    value = value * 10 + (source[index] - 0x30);
    // Exact up to here; past 2^53 − 1 the field is invalid whatever follows.
    if (value > Number.MAX_SAFE_INTEGER) return undefined;
    index++;
  }
  if (index === firstDigit) return undefined;
  if (index < end) {
    if (source[index] !== 0x2e) return undefined;
    for (index++; index < end; index++) {
      if (source[index] !== 0x30) return undefined;
    }
  }
  return negative || value === 0 ? 0 : value;
}
