/**
 * docs/cleaning.md's rules, written out again for the tests: what a valid value looks like, and how the
 * dates and numbers in a generated file are read. Independent of the generator's own code.
 */

export const QUANTITY = /^[+-]?[0-9]+(\.0*)?$/;
export const DECIMAL = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
export const EMAIL = /^[a-z0-9_%+-]+(\.[a-z0-9_%+-]+)*@([a-z0-9-]+\.)+[a-z]{2,}$/;

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a real calendar day, or undefined. */
export function epochDay(year: number, month: number, day: number): number | undefined {
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1) return undefined;
  if (date.getUTCDate() !== day) return undefined;
  return Math.round(date.getTime() / DAY_MS);
}

export type DateFormat = "iso" | "us" | "european" | "slashed";

/** Reads a sale date in one of the four accepted formats (docs/cleaning.md). */
export function parseSaleDate(raw: string): { day: number; format: DateFormat } | undefined {
  const text = raw.trim();
  const patterns: [DateFormat, RegExp, (match: RegExpExecArray) => number[]][] = [
    ["iso", /^(\d{4})-(\d{1,2})-(\d{1,2})$/, (m) => [+m[1], +m[2], +m[3]]],
    ["us", /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, (m) => [+m[3], +m[1], +m[2]]],
    ["european", /^(\d{1,2})-(\d{1,2})-(\d{4})$/, (m) => [+m[3], +m[2], +m[1]]],
    ["slashed", /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, (m) => [+m[1], +m[2], +m[3]]],
  ];
  for (const [format, pattern, parts] of patterns) {
    const match = pattern.exec(text);
    if (!match) continue;
    const [year, month, day] = parts(match);
    const value = epochDay(year, month, day);
    return value === undefined ? undefined : { day: value, format };
  }
  return undefined;
}

/** The as-of day and the cleaner's accepted range around it (minus 20 years, plus 1 year). */
export function dateBounds(asOf: string): { asOfDay: number; earliest: number; latest: number } {
  const [year, month, day] = asOf.split("-").map(Number);
  const clampDay = (y: number) => epochDay(y, month, day) ?? epochDay(y, month, day - 1)!;
  return {
    asOfDay: epochDay(year, month, day)!,
    earliest: clampDay(year - 20),
    latest: clampDay(year + 1),
  };
}

/** docs/cleaning.md's revenue: left to right in doubles, rounded to cents. */
export function revenueOf(quantity: number, price: number, discount: number): number {
  return Math.round(quantity * price * (1 - discount) * 100) / 100;
}

/** How docs/generation.md says revenue reads dirty values: quantity a non-negative integer, discount in [0, 1]. */
export function dirtyRevenue(
  quantityText: string,
  priceText: string,
  discountText: string,
): number {
  const number = (text: string) => (DECIMAL.test(text.trim()) ? Number(text) : 0);
  const quantity = Math.max(0, Math.trunc(number(quantityText)));
  const discount = Math.min(1, Math.max(0, number(discountText)));
  return revenueOf(quantity, number(priceText), discount);
}
