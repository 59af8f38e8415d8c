/**
 * The text a row claims under rule 2 (`duplicate_order_id`, i.e. "duplicate dedup key") when the
 * dedup key is not `order_id` alone; that default keeps its byte-level fast path in the cleaner.
 *
 * Each key column's value is trimmed and compared case-sensitively, like `order_id`. One column's
 * key is its trimmed value, so `--dedup-key order_id` claims exactly what the default does. A
 * composite key writes each value's length before it (`8:ORD-0001|5:P-042` without the `|`), so
 * two different tuples can never give the same text, whatever bytes the values hold.
 */
import { fieldText, type ParseChunkResult } from "../io/csv_parse.ts";

/**
 * The claim text of `record`'s key columns (`keyColumns`: header indexes, in key order), or
 * `undefined` when any of them is blank: a row with part of its key missing claims nothing and is
 * never a duplicate, since two blanks say nothing about being the same row.
 */
export function claimKeyText(
  batch: ParseChunkResult,
  record: number,
  keyColumns: readonly number[],
): string | undefined {
  if (keyColumns.length === 1) {
    const value = fieldText(batch, record, keyColumns[0]).trim();
    return value === "" ? undefined : value;
  }
  let key = "";
  for (const column of keyColumns) {
    const value = fieldText(batch, record, column).trim();
    if (value === "") return undefined;
    key += `${value.length}:${value}`;
  }
  return key;
}
