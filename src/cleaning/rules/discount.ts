/**
 * `discount_percent` normalisation and the `heavy_discount` anomaly (docs/cleaning.md). A discount
 * never rejects a row: whatever it holds becomes a fraction in [0, 1].
 */
import type { AnomalyFlag } from "./reasons.ts";
import { parseNumberBytes, parseNumberText } from "./_number.ts";

/** A clamped discount strictly above this sets `anomaly_flag = "heavy_discount"`. */
export const HEAVY_DISCOUNT_THRESHOLD = 0.8;

/**
 * The discount of a raw field as a fraction in [0, 1]: blank or not a number (`abc`, `10%`) → 0,
 * otherwise the number (same grammar as unit prices) clamped, so `-0.2` → 0 and `1.5` → 1.
 */
export function parseDiscount(raw: string): number {
  return clampDiscount(parseNumberText(raw));
}

/** {@linkcode parseDiscount} of `source[start, end)` without building a string for plain decimals. */
export function parseDiscountBytes(source: Uint8Array, start: number, end: number): number {
  return clampDiscount(parseNumberBytes(source, start, end));
}

/** `"heavy_discount"` for a clamped discount above 0.80, else `null` (the clean column's null). */
export function discountAnomaly(discount: number): AnomalyFlag | null {
  return discount > HEAVY_DISCOUNT_THRESHOLD ? "heavy_discount" : null;
}

function clampDiscount(value: number): number {
  // `NaN` (not a number) and `-0` both land on `0`.
  if (value > 1) return 1;
  return value > 0 ? value : 0;
}
