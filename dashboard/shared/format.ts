/**
 * Number, money, percent and date formatting shared by the server-rendered pages and the islands,
 * so a value reads the same in a table cell, a KPI and a chart tooltip. Browser-safe: no Deno APIs.
 */

/** How a column's values are shown. */
export type ValueFormat = "money" | "count" | "percent" | "decimal" | "date" | "text";

const COUNT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const MONEY = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const DECIMAL = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });
const PERCENT = new Intl.NumberFormat("en-US", {
  style: "percent",
  minimumFractionDigits: 1,
  maximumFractionDigits: 2,
});
const COMPACT = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** Milliseconds per day: dates travel as days since 1970-01-01, like parquet DATE. */
export { isoDateFromDays, MS_PER_DAY } from "../../src/io/days.ts";
import { isoDateFromDays, MS_PER_DAY } from "../../src/io/days.ts";

/** Days since 1970-01-01 for `YYYY-MM-DD`, or undefined when it is not a real calendar day. */
export function daysFromIsoDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1) return undefined;
  if (date.getUTCDate() !== day) return undefined;
  return time / MS_PER_DAY;
}

/** A number as a person reads it in the given format; `—` for a missing value. */
export function formatValue(value: unknown, format: ValueFormat): string {
  if (value === null || value === undefined || value === "") return "—";
  if (format === "text") return String(value);
  if (format === "date") return typeof value === "number" ? isoDateFromDays(value) : String(value);
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(number)) return String(value);
  switch (format) {
    case "money":
      return MONEY.format(number);
    case "count":
      return COUNT.format(number);
    case "percent":
      return PERCENT.format(number);
    default:
      return DECIMAL.format(number);
  }
}

/** A short form for chart axes: `1.2M`, `35K`, `12%`. */
export function formatCompact(value: number, format: ValueFormat): string {
  if (!Number.isFinite(value)) return "";
  if (format === "percent") return `${Math.round(value * 1000) / 10}%`;
  return COMPACT.format(value);
}

/** `1,234` */
export function formatCount(value: number): string {
  return COUNT.format(value);
}

/** A byte count as `12.3 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = -1;
  do {
    value /= 1000;
    unit++;
  } while (value >= 1000 && unit < units.length - 1);
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** `just now`, `5 min ago`, `3 h ago`, `2 days ago`, relative to `now`. */
export function formatAge(timeMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - timeMs) / 1000));
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? "1 day ago" : `${days} days ago`;
}

/** A duration in seconds as `850 ms`, `12.4 s` or `3 min 05 s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, "0")} s`;
}

/** `daily_sales` → `Daily sales`. */
export function humanize(name: string): string {
  const words = name.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
