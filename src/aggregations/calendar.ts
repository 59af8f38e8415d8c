/**
 * Days and months of `sale_date` (docs/cleaning.md): day = 1970-01-01 + floor(sale_date / 86,400); month
 * = `YYYY-MM` of that day, kept as a month number (year × 12 + month − 1) while aggregating.
 */
import { SECONDS_PER_DAY } from "../cleaning/clean_schema.ts";

import { isoDateFromDays } from "../io/days.ts";

/** Days since 1970-01-01 of an epoch-seconds timestamp (floor, so it holds before 1970 too). */
export function dayFromEpochSeconds(seconds: number): number {
  return Math.floor(seconds / SECONDS_PER_DAY);
}

/**
 * The month number (year × 12 + month − 1) of a day, in whole-number arithmetic (the proleptic
 * Gregorian `civil_from_days` of H. Hinnant): called once per row, where a `Date` would be slow.
 */
export function monthOfDay(day: number): number {
  const shifted = day + 719_468; // days since 0000-03-01
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) -
    Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153); // 0 = March
  const month = monthFromMarch < 10 ? monthFromMarch + 2 : monthFromMarch - 10; // 0 = January
  const year = yearOfEra + era * 400 + (month < 2 ? 1 : 0);
  return year * 12 + month;
}

/** `YYYY-MM` for a month number. */
export function monthLabel(month: number): string {
  const year = Math.floor(month / 12);
  const monthOfYear = month - year * 12 + 1;
  return `${String(year).padStart(4, "0")}-${String(monthOfYear).padStart(2, "0")}`;
}

/** `YYYY-MM-DD` for a day. */
export function dayLabel(day: number): string {
  return isoDateFromDays(day);
}
