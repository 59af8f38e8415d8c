/** Orderings shared by the tables: locale-independent, so a file is the same on every machine. */
import type { GroupEntry } from "../group_totals.ts";

/** Plain code-unit order of strings (not locale collation). */
export function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Entries ordered by their labels, first dimension first; numbers numerically, strings plainly. */
export function byLabels(left: GroupEntry, right: GroupEntry): number {
  for (let index = 0; index < left.labels.length; index++) {
    const a = left.labels[index];
    const b = right.labels[index];
    const order = typeof a === "number" && typeof b === "number"
      ? a - b
      : compareText(String(a), String(b));
    if (order !== 0) return order;
  }
  return 0;
}
