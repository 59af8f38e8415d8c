/**
 * Where a chart's x axis puts its labels, and how bar labels are laid out, as pure functions the
 * chart island calls (and tests check). uPlot's own time ticks pick days whenever the visible range
 * is short, even when every point is a month, and stack the year on a second line that the axis
 * clips; these ticks follow the data's grain and fit on one line.
 */

export interface TimeTick {
  /** Unix seconds (UTC) of the tick. */
  seconds: number;
  label: string;
}

import { isoDateFromDays } from "./format.ts";

import { SECONDS_PER_DAY } from "../../src/io/days.ts";
const MONTH_NAMES = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];
/** Steps between month ticks: every month, two, a quarter, half a year, years. */
const MONTH_STEPS = [1, 2, 3, 6, 12, 24, 60, 120];
/** Steps between day ticks, in days. */
const DAY_STEPS = [1, 2, 7, 14];
/** Horizontal room one label needs, in CSS pixels at a 12 px font ("Jun 2025", "Jun 30"). */
export const TICK_LABEL_SPACE = 76;

/** How many labels fit along `plotWidth` pixels (at least one). */
export function ticksThatFit(plotWidth: number): number {
  return Math.max(1, Math.floor(plotWidth / TICK_LABEL_SPACE));
}

/**
 * Ticks between `minSeconds` and `maxSeconds` (inclusive), at most `maxTicks`: first days of months
 * for monthly data (never days between them), and for daily data single days when a short range
 * has room, else first days of months. A label names the year at the first tick and at every
 * January; other labels are the month (and day) alone.
 */
export function timeTicks(
  minSeconds: number,
  maxSeconds: number,
  unit: "day" | "month",
  maxTicks: number,
): TimeTick[] {
  if (!(maxSeconds >= minSeconds) || !Number.isFinite(minSeconds + maxSeconds)) return [];
  const limit = Math.max(1, Math.floor(maxTicks));
  if (unit === "day") {
    const firstDay = Math.ceil(minSeconds / SECONDS_PER_DAY);
    const lastDay = Math.floor(maxSeconds / SECONDS_PER_DAY);
    const days = lastDay - firstDay + 1;
    const step = DAY_STEPS.find((candidate) => Math.ceil(days / candidate) <= limit);
    // Month starts read better once a tick would stand for more than two weeks.
    if (step !== undefined && days <= 62) {
      const ticks: TimeTick[] = [];
      for (let day = firstDay; day <= lastDay; day += step) {
        const date = new Date(day * SECONDS_PER_DAY * 1000);
        const name = `${MONTH_NAMES[date.getUTCMonth()]} ${date.getUTCDate()}`;
        const withYear = ticks.length === 0 ||
          (date.getUTCMonth() === 0 && date.getUTCDate() <= step);
        ticks.push({
          seconds: day * SECONDS_PER_DAY,
          label: withYear ? `${name}, ${date.getUTCFullYear()}` : name,
        });
      }
      return ticks;
    }
  }
  return monthTicks(minSeconds, maxSeconds, limit);
}

function monthIndexOf(seconds: number): number {
  const date = new Date(seconds * 1000);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

function monthStartSeconds(monthIndex: number): number {
  return Date.UTC(Math.floor(monthIndex / 12), monthIndex % 12, 1) / 1000;
}

function monthTicks(minSeconds: number, maxSeconds: number, limit: number): TimeTick[] {
  let first = monthIndexOf(minSeconds);
  if (monthStartSeconds(first) < minSeconds) first++;
  const last = monthIndexOf(maxSeconds);
  const months = last - first + 1;
  if (months <= 0) return [];
  const step = MONTH_STEPS.find((candidate) => Math.ceil(months / candidate) <= limit) ??
    Math.ceil(months / limit / 12) * 12;
  // Aligned steps (quarters start in Jan, Apr, …) so ticks stay put as the range moves.
  const start = Math.ceil(first / step) * step;
  const ticks: TimeTick[] = [];
  for (let month = start; month <= last; month += step) {
    const name = MONTH_NAMES[month % 12];
    const year = Math.floor(month / 12);
    const withYear = ticks.length === 0 || month % 12 === 0 || step >= 12;
    ticks.push({
      seconds: monthStartSeconds(month),
      label: step >= 12 ? String(year) : withYear ? `${name} ${year}` : name,
    });
  }
  return ticks;
}

/** How the labels under a bar chart are drawn so that none is cut or overlaps another. */
export interface BarLabelLayout {
  /** uPlot's `rotate` for the x axis: 0 (level) or 90 (reading upwards, ending at the tick). */
  rotate: 0 | 90;
  /** Height of the x axis in CSS pixels: room for the longest label. */
  axisSize: number;
}

/**
 * Level labels when each fits its bar's slot, else upright ones (rotated a quarter turn, so a long
 * reason name such as `invalid_calculated_revenue` stays whole and never runs past the canvas).
 * `labelWidths` are the labels' measured widths in CSS pixels.
 */
export function barLabelLayout(labelWidths: number[], plotWidth: number): BarLabelLayout {
  const widest = Math.max(0, ...labelWidths);
  const slot = plotWidth / Math.max(1, labelWidths.length);
  if (widest + 8 <= slot) return { rotate: 0, axisSize: 40 };
  // Tick (10) + gap (5) + the text + a little air.
  return { rotate: 90, axisSize: Math.ceil(widest) + 22 };
}

/**
 * The date filter a horizontal selection stands for: the first and last data points inside it
 * (the nearest one when it falls between two), widened to whole months for monthly data.
 */
export function selectedRange(
  fromSeconds: number,
  toSeconds: number,
  unit: "day" | "month",
): { from: string; to: string } {
  const day = SECONDS_PER_DAY;
  if (unit === "day") {
    let first = Math.ceil(fromSeconds / day);
    let last = Math.floor(toSeconds / day);
    if (first > last) first = last = Math.round((fromSeconds + toSeconds) / 2 / day);
    return { from: isoDateFromDays(first), to: isoDateFromDays(last) };
  }
  const monthOf = (seconds: number) => {
    const date = new Date(seconds * 1000);
    return date.getUTCFullYear() * 12 + date.getUTCMonth();
  };
  const startOf = (month: number) => Date.UTC(Math.floor(month / 12), month % 12, 1) / 1000;
  let first = monthOf(fromSeconds);
  if (startOf(first) < fromSeconds) first++;
  let last = monthOf(toSeconds);
  if (first > last) first = last = monthOf((fromSeconds + toSeconds) / 2);
  const lastDay = new Date(Date.UTC(Math.floor(last / 12), (last % 12) + 1, 0));
  return {
    from: isoDateFromDays(startOf(first) / day),
    to: lastDay.toISOString().slice(0, 10),
  };
}
