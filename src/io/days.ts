/**
 * Days since 1970-01-01, the unit of parquet DATE and of `sale_date / SECONDS_PER_DAY`: the one
 * place the day length and the ISO form of a day are defined, for src/ and the dashboard alike.
 *
 * @example
 * ```ts
 * import { isoDateFromDays } from "./days.ts";
 * console.log(isoDateFromDays(19_723)); // 2024-01-01
 * ```
 */

/** Seconds in a (UTC) day: `sale_date` is days since 1970-01-01 times this. */
export const SECONDS_PER_DAY = 86_400;
/** Milliseconds in a (UTC) day. */
export const MS_PER_DAY = SECONDS_PER_DAY * 1000;

/** `YYYY-MM-DD` of a day counted from 1970-01-01 (negative before it). */
export function isoDateFromDays(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}
