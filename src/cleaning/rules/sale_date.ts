/**
 * Rule 8 (`invalid_sale_date`, `sale_date_out_of_range`) of docs/cleaning.md, with its date formats and
 * bounds. Days are counted from 1970-01-01; the clean column holds them × 86,400 (`SECONDS_PER_DAY`).
 */
import { UserError } from "../../io/errors.ts";
import { daysFromCivil, daysInMonth, isRealDay } from "./_calendar.ts";

// `[0-9]`, not `\d` with the `u` flag or `Number.parseInt` leniency: ASCII digits only. The
// separator is captured and repeated, so `2024-1/5` matches neither shape.
/** `YYYY-M-D` and `YYYY/M/D`. */
const YEAR_FIRST = /^([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})$/;
/** `M/D/YYYY` (US, with `/`) and `D-M-YYYY` (with `-`). */
const YEAR_LAST = /^([0-9]{1,2})([-/])([0-9]{1,2})\2([0-9]{4})$/;

/**
 * The sale day of a raw field as days since 1970-01-01, or `undefined` when it is blank, not in one
 * of the four formats, or not a real day (`invalid_sale_date`).
 *
 * Trimmed, it must fully match `YYYY-M-D`, `M/D/YYYY`, `D-M-YYYY` or `YYYY/M/D`: a 4-digit year ≥ 1
 * and a 1–2 digit month and day, ASCII digits, on the proleptic Gregorian calendar. Where the
 * 4-digit year sits tells `YYYY-M-D` from `D-M-YYYY`.
 */
export function parseSaleDate(raw: string): number | undefined {
  const text = raw.trim();
  let year: number, month: number, day: number;
  const yearFirst = YEAR_FIRST.exec(text);
  if (yearFirst) {
    [year, month, day] = [Number(yearFirst[1]), Number(yearFirst[3]), Number(yearFirst[4])];
  } else {
    const yearLast = YEAR_LAST.exec(text);
    if (!yearLast) return undefined;
    const [first, second] = [Number(yearLast[1]), Number(yearLast[3])];
    year = Number(yearLast[4]);
    [month, day] = yearLast[2] === "/" ? [first, second] : [second, first];
  }
  return isRealDay(year, month, day) ? daysFromCivil(year, month, day) : undefined;
}

/** The inclusive range of valid sale days, as days since 1970-01-01. */
export interface SaleDateBounds {
  firstDay: number;
  lastDay: number;
}

/** Years before the as-of date that a sale may be. */
export const SALE_DATE_YEARS_BACK = 20;
/** Years after the as-of date that a sale may be. */
export const SALE_DATE_YEARS_AHEAD = 1;

const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/**
 * The valid sale days for an as-of date `YYYY-MM-DD`: as-of minus 20 years to as-of plus 1 year,
 * both inclusive. From February 29 the bounds land on February 28 when their year has no 29th.
 * Throws a {@linkcode UserError} for an as-of that is not a real `YYYY-MM-DD` day.
 */
export function saleDateBounds(asOf: string): SaleDateBounds {
  const match = ISO_DATE.exec(asOf);
  const [year, month, day] = match
    ? [Number(match[1]), Number(match[2]), Number(match[3])]
    : [0, 0, 0];
  if (!isRealDay(year, month, day)) {
    throw new UserError(`the as-of date must be a real day as YYYY-MM-DD, got "${asOf}"`);
  }
  return {
    firstDay: sameDayYearsLater(year, month, day, -SALE_DATE_YEARS_BACK),
    lastDay: sameDayYearsLater(year, month, day, SALE_DATE_YEARS_AHEAD),
  };
}

/**
 * The day `raw` names, or why the row is rejected: `invalid_sale_date` when {@linkcode parseSaleDate}
 * finds no day, `sale_date_out_of_range` when the day is outside `bounds`.
 */
export function classifySaleDate(
  raw: string,
  bounds: SaleDateBounds,
): number | "invalid_sale_date" | "sale_date_out_of_range" {
  const day = parseSaleDate(raw);
  if (day === undefined) return "invalid_sale_date";
  return day < bounds.firstDay || day > bounds.lastDay ? "sale_date_out_of_range" : day;
}

function sameDayYearsLater(year: number, month: number, day: number, years: number): number {
  const targetYear = year + years;
  return daysFromCivil(targetYear, month, Math.min(day, daysInMonth(targetYear, month)));
}
