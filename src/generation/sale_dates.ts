/**
 * Sale dates: the calendar arithmetic and the shape of demand over the window.
 *
 * Dates are days since 1970-01-01 (UTC), the same unit the cleaner stores; strings are built from
 * those numbers, never from the local time zone.
 */
import { SALE_DATE_WINDOW_DAYS } from "./dirty_rates.ts";
import { buildPickTable } from "./_pick_table.ts";

import { MS_PER_DAY } from "../io/days.ts";

/** Days since 1970-01-01 of an ISO `YYYY-MM-DD` date. */
export function isoToEpochDay(iso: string): number {
  const [year, month, day] = iso.split("-").map(Number);
  return Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

/** Year, month (1–12) and day of a day number. */
export function epochDayToParts(epochDay: number): { year: number; month: number; day: number } {
  const date = new Date(epochDay * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

/** The four spellings of a day that dirty files mix: ISO and three others the cleaner accepts. */
export function formatSaleDate(
  epochDay: number,
  format: "iso" | "us" | "european" | "slashed",
): string {
  const { year, month, day } = epochDayToParts(epochDay);
  const [y, m, d] = [pad(year, 4), pad(month, 2), pad(day, 2)];
  switch (format) {
    case "iso":
      return `${y}-${m}-${d}`;
    case "us":
      return `${m}/${d}/${y}`;
    case "european":
      return `${d}-${m}-${y}`;
    case "slashed":
      return `${y}/${m}/${d}`;
  }
}

/** Extra demand in the holiday season. */
const HOLIDAY_BOOST = 1.6;
/** The newest day is this many times as busy as the oldest (the business grew). */
const GROWTH = 2.5;

/**
 * Relative demand on the day `offset` days before as-of (0 = the as-of day): rising towards the
 * present, and boosted in November and December.
 */
export function dayWeight(asOfEpochDay: number, offset: number): number {
  const age = offset / (SALE_DATE_WINDOW_DAYS - 1);
  const trend = 1 + (GROWTH - 1) * (1 - age);
  const { month } = epochDayToParts(asOfEpochDay - offset);
  return trend * (month >= 11 ? HOLIDAY_BOOST : 1);
}

/**
 * A table of day offsets whose entries are spread like the demand: indexing it with a uniform
 * random integer draws a day. 65,536 entries (about 90 per day) keep the quantisation far below
 * the noise of any real sample.
 */
export function buildDayOffsetTable(asOfEpochDay: number, size = 65_536): Uint16Array {
  const weights = Array.from(
    { length: SALE_DATE_WINDOW_DAYS },
    (_, offset) => dayWeight(asOfEpochDay, offset),
  );
  return buildPickTable(weights, size);
}
