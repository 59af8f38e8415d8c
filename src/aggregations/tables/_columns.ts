/**
 * The result columns the tables share: a grouping label, a count, an amount of money, a mean one. Each reads one
 * label or one sum out of the sorted group entries.
 */
import type { ParquetTableColumn } from "../../io/parquet_write.ts";
import { monthLabel } from "../calendar.ts";
import type { GroupEntry } from "../group_totals.ts";
import { amountFromCents, meanAmountFromCents } from "../money.ts";

/** A string label of each group (the `index`-th grouping dimension). */
export function labelColumn(
  name: string,
  entries: GroupEntry[],
  index: number,
): ParquetTableColumn {
  return { name, type: "STRING", values: entries.map((entry) => entry.labels[index] as string) };
}

/** A month label (`YYYY-MM`) from a grouping dimension holding month numbers. */
export function monthColumn(
  name: string,
  entries: GroupEntry[],
  index: number,
): ParquetTableColumn {
  return {
    name,
    type: "STRING",
    values: entries.map((entry) => monthLabel(entry.labels[index] as number)),
  };
}

/** A count (INT64) from one of the groups' sums. */
export function countColumn(
  name: string,
  entries: GroupEntry[],
  metric: number,
): ParquetTableColumn {
  return { name, type: "INT64", values: entries.map((entry) => entry.sums[metric]) };
}

/** An amount of money (DOUBLE, 2 decimals) from a sum kept in whole cents. */
export function moneyColumn(
  name: string,
  entries: GroupEntry[],
  metric: number,
): ParquetTableColumn {
  return {
    name,
    type: "DOUBLE",
    values: entries.map((entry) => amountFromCents(entry.sums[metric])),
  };
}

/** A mean amount of money (DOUBLE): a sum in whole cents over a count, rounded half up to cents. */
export function meanMoneyColumn(
  name: string,
  entries: GroupEntry[],
  metric: number,
  count: number,
): ParquetTableColumn {
  return {
    name,
    type: "DOUBLE",
    values: entries.map((entry) => meanAmountFromCents(entry.sums[metric], entry.sums[count])),
  };
}
