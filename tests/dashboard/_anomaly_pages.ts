/** Every flagged row the anomaly index pages through, for tests that compare whole listings. */
import { type AnomalyPageOptions, readAnomalyPage } from "../../dashboard/lib/anomaly_index.ts";

/** Reads page after page (7 rows each, so rows cross page and row-group ends) until the last. */
export async function everyAnomalyPage(
  path: string,
  options: Omit<AnomalyPageOptions, "page" | "pageSize">,
): Promise<Record<string, unknown>[]> {
  const seen: Record<string, unknown>[] = [];
  for (let page = 1;; page++) {
    const result = await readAnomalyPage(path, { ...options, page, pageSize: 7 });
    seen.push(...result.rows);
    if (page >= result.pageCount) return seen;
  }
}
