/**
 * Rule 5 (`invalid_unit_price`) of docs/cleaning.md, with its number grammar.
 */
import { parseNumberBytes, parseNumberText } from "./_number.ts";

/** The highest valid unit price, inclusive. */
export const MAX_UNIT_PRICE = 50_000;

/**
 * The unit price of a raw field, or `undefined` when it is not a number or outside 0–50,000
 * inclusive (`invalid_unit_price`).
 *
 * Trimmed, it must match `^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`; its value is JS
 * `Number()` of that text, kept as parsed (not rounded to cents). `-0` is a valid price of `0`.
 */
export function parseUnitPrice(raw: string): number | undefined {
  return validUnitPrice(parseNumberText(raw));
}

/** {@linkcode parseUnitPrice} of `source[start, end)` without building a string for plain decimals. */
export function parseUnitPriceBytes(
  source: Uint8Array,
  start: number,
  end: number,
): number | undefined {
  return validUnitPrice(parseNumberBytes(source, start, end));
}

function validUnitPrice(value: number): number | undefined {
  // `NaN` fails both comparisons; `+ 0` turns `-0` into `0` so the parquet never holds `-0`.
  return value >= 0 && value <= MAX_UNIT_PRICE ? value + 0 : undefined;
}
