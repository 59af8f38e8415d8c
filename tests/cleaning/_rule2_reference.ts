/**
 * Rule 2 counted by hand, independently of dpd's parser and dedup sets, for the tests that check
 * clean-data's `duplicate_order_id` on generated files: a row claims its trimmed order ID when it
 * reaches rule 2 (well-formed, ID and product name not blank), and is a duplicate when an earlier
 * such row claimed the same ID (case-sensitive).
 */
import { parseCsv } from "../generation/_csv.ts";

export function countDuplicateOrderIds(csv: string): number {
  const [header, ...records] = parseCsv(csv);
  const idAt = header.fields.indexOf("order_id");
  const nameAt = header.fields.indexOf("product_name");
  const claimed = new Set<string>();
  let duplicates = 0;
  for (const { fields } of records) {
    if (fields.length !== header.fields.length) continue; // malformed_row
    const id = fields[idAt].trim();
    if (id === "" || fields[nameAt].trim() === "") continue; // rule 1
    if (claimed.has(id)) duplicates++;
    else claimed.add(id);
  }
  return duplicates;
}
